package dev.caulk.registry;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry: exponential backoff with jitter, or the registry's {@code Retry-After} when it is
 * longer (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), never longer than the cap.
 */
final class Backoff {
  private final Duration base;
  private final Duration max;

  Backoff(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  /**
   * The wait before retry number {@code attempt + 1}: {@code base * 2^attempt}, scaled by a random
   * factor in [0.5, 1) so that parallel uploads do not retry in step, and at least {@code
   * retryAfter} when the registry asked for it; capped at the maximum.
   */
  Duration delay(int attempt, Duration retryAfter) {
    long baseMs = base.toMillis() << Math.min(attempt, 20);
    long ms = (long) (baseMs * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5));
    if (retryAfter != null) ms = Math.max(ms, retryAfter.toMillis());
    return Duration.ofMillis(Math.max(0, Math.min(ms, max.toMillis())));
  }

  static void sleep(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /**
   * Parses a {@code Retry-After} value: whole seconds, or an IMF-fixdate relative to {@code now}.
   * Returns null for a missing or malformed value, zero for a date in the past.
   */
  static Duration parseRetryAfter(String value, Instant now) {
    if (value == null) return null;
    String v = value.trim();
    if (v.isEmpty()) return null;
    if (v.chars().allMatch(Character::isDigit)) {
      if (v.length() > 9) return Duration.ofSeconds(999_999_999L);
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
