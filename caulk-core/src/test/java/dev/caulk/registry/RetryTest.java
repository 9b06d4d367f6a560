package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.event.Event;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Retry} alone: attempts counted, waits recorded instead of slept. */
class RetryTest {
  private final List<Duration> waits = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();

  private Retry retry(int retries, Duration backoff, Duration maxWait) {
    return new Retry(
        "127.0.0.1:5000",
        retries,
        new Backoff(backoff, maxWait),
        maxWait,
        e -> {
          if (e instanceof Event.Log l && l.level() == Event.Level.WARN) {
            warnings.add(l.message());
          }
        },
        waits::add);
  }

  private static RegistryException status(int status, Duration retryAfter) {
    return RegistryException.ofResponse(
        "GET",
        "http://127.0.0.1:5000/v2/app/manifests/v1",
        status,
        new byte[0],
        "127.0.0.1:5000/app:v1",
        retryAfter);
  }

  private Retry.Attempt<String> failing(RegistryException e) {
    return () -> {
      attempts.incrementAndGet();
      throw e;
    };
  }

  @Test
  void aTemporaryFailureRunsRetriesPlusOneTimesAndEndsInItsOwnError() {
    RegistryException e503 = status(503, null);
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () ->
                retry(3, Duration.ofMillis(100), Duration.ofSeconds(60))
                    .run("GET (ctx)", "ctx", null, failing(e503)));
    assertSame(e503, e);
    assertEquals(4, attempts.get());
    assertEquals(3, waits.size());
    assertEquals(3, warnings.size(), "each wait is logged");
    assertEquals(
        "retrying GET (ctx) after HTTP 503 in " + waits.get(0).toMillis() + " ms (retry 1 of 3)",
        warnings.get(0));
    for (int i = 0; i < 3; i++) {
      long base = 100L << i;
      long ms = waits.get(i).toMillis();
      assertTrue(ms >= base / 2 && ms < base, "wait " + i + " is backoff x 2^n with jitter: " + ms);
    }
  }

  @Test
  void permanentFailuresAreNotRetried() {
    for (int s : new int[] {400, 401, 403, 404, 405, 431}) {
      attempts.set(0);
      assertThrows(
          RegistryException.class,
          () ->
              retry(5, Duration.ofMillis(1), Duration.ofSeconds(1))
                  .run("GET (ctx)", "ctx", null, failing(status(s, null))));
      assertEquals(1, attempts.get(), "HTTP " + s);
    }
    attempts.set(0);
    RegistryException tls =
        RegistryException.ofTransport("GET", "u", "TLS handshake failed", false, null);
    assertThrows(
        RegistryException.class,
        () ->
            retry(5, Duration.ofMillis(1), Duration.ofSeconds(1))
                .run("GET", "ctx", null, failing(tls)));
    assertEquals(1, attempts.get());
    assertEquals(List.of(), waits);
  }

  @Test
  void retryAfterIsHonouredUpToTheCap() {
    assertThrows(
        RegistryException.class,
        () ->
            retry(2, Duration.ofMillis(1), Duration.ofSeconds(60))
                .run("GET (ctx)", "ctx", null, failing(status(429, Duration.ofSeconds(5)))));
    assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), waits);
    assertTrue(
        warnings.get(0).contains("after HTTP 429 (Retry-After 5.0 s) in 5.0 s (retry 1 of 2)"),
        warnings.get(0));

    waits.clear();
    warnings.clear();
    assertThrows(
        RegistryException.class,
        () ->
            retry(1, Duration.ofMillis(1), Duration.ofMillis(700))
                .run("GET (ctx)", "ctx", null, failing(status(503, Duration.ofSeconds(99999)))));
    assertEquals(List.of(Duration.ofMillis(700)), waits);
    assertTrue(
        warnings.get(0).contains("(Retry-After 99999.0 s, capped at 700 ms) in 700 ms"),
        warnings.get(0));
  }

  @Test
  void aWaitPastTheDeadlineIsNotStarted() {
    Deadline deadline = new Deadline(Duration.ofSeconds(2));
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () ->
                retry(5, Duration.ofMillis(1), Duration.ofSeconds(60))
                    .run(
                        "GET (ctx)",
                        "ctx",
                        deadline,
                        failing(status(503, Duration.ofSeconds(30)))));
    assertEquals(1, attempts.get());
    assertEquals(List.of(), waits);
    assertEquals(
        "registry 127.0.0.1:5000: gave up on GET after HTTP 503 (Retry-After 30.0 s): the next retry would start after"
            + " the 2.0 s deadline (ctx; --deadline to change it)",
        e.getMessage());
    assertTrue(!e.isTemporary());
  }

  @Test
  void successAfterFailuresReturnsTheValueAndTransportFailuresSayWhy() throws IOException {
    RegistryException dropped =
        RegistryException.ofTransport(
                "GET", "u", "GET failed", true, new EOFException("connection closed"))
            .brokeOff(true);
    String v =
        retry(4, Duration.ofMillis(1), Duration.ofSeconds(1))
            .run(
                "GET (ctx)",
                "ctx",
                null,
                () -> {
                  if (attempts.incrementAndGet() < 3) {
                    throw dropped;
                  }
                  return "ok";
                });
    assertEquals("ok", v);
    assertEquals(3, attempts.get());
    assertTrue(
        warnings
            .get(0)
            .startsWith("retrying GET (ctx) after the response broke off: connection closed in "),
        warnings.get(0));
  }

  @Test
  void zeroRetriesMeansOneAttempt() {
    assertThrows(
        RegistryException.class,
        () ->
            retry(0, Duration.ofMillis(1), Duration.ofSeconds(1))
                .run("GET", "ctx", null, failing(status(503, null))));
    assertEquals(1, attempts.get());
    assertEquals(List.of(), warnings);
  }
}
