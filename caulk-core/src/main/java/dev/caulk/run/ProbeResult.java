package dev.caulk.run;

import java.time.Duration;

/**
 * What a successful probe saw.
 *
 * @param port the port probed on 127.0.0.1
 * @param status the HTTP status code, or 0 for a TCP-only probe; any status counts as an answer,
 *     the caller decides which are acceptable
 * @param body the response body (UTF-8, bounded to {@link Probe#MAX_BODY} bytes, control characters
 *     other than newline and tab replaced); empty for TCP
 * @param truncated true when the body was longer than the bound
 * @param duration from the start of the probe (waiting for the port included) to the end of the
 *     response
 * @param outputTail the end of the container's output when the probe finished
 */
public record ProbeResult(
    int port, int status, String body, boolean truncated, Duration duration, String outputTail) {}
