package dev.caulk.registry;

import dev.caulk.event.EventListener;
import java.io.IOException;
import java.time.Duration;

/**
 * The one retry loop. Every request runs through exactly one: {@link Transport#send} and {@link
 * Transport#fetch} around the whole chain of {@link Exchange} steps (and, for a fetch, the reading
 * of the body), {@link BlobUploader} around a whole blob upload (whose requests are sent once each,
 * with {@link Transport#once}). So a request that keeps failing runs at most {@code retries + 1}
 * times in all.
 *
 * <p>Only a {@link RegistryException#isTemporary() temporary} failure is retried: 408, 429, 5xx
 * gateways and unavailable codes, dropped connections and idle timeouts; never a permanent 4xx, a
 * passed deadline, a TLS failure, or a failure of the source being uploaded. The wait is {@link
 * Backoff#delay} (the registry's {@code Retry-After} when longer, capped at {@code maxRetryWait});
 * each one is logged as a warning first. A wait that would end past the request's deadline is not
 * started: the request fails at once.
 */
final class Retry {
  private final String registry;
  private final int retries;
  private final Backoff backoff;
  private final Duration maxWait;
  private final EventListener listener;
  private final Sleeper sleeper;

  /** How a wait is spent (a test can count instead of sleeping). */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws IOException;
  }

  /** One try of the work being retried. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws IOException;
  }

  Retry(String registry, RegistryOptions opts) {
    this(
        registry,
        opts.retries(),
        new Backoff(opts.backoff(), opts.maxRetryWait()),
        opts.maxRetryWait(),
        opts.listener(),
        Backoff::sleep);
  }

  Retry(
      String registry,
      int retries,
      Backoff backoff,
      Duration maxWait,
      EventListener listener,
      Sleeper sleeper) {
    this.registry = registry;
    this.retries = retries;
    this.backoff = backoff;
    this.maxWait = maxWait;
    this.listener = listener;
    this.sleeper = sleeper;
  }

  int retries() {
    return retries;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for good, or the budget is spent (then its last
   * failure is thrown as it was).
   *
   * @param action what is retried, for the log, e.g. {@code GET (127.0.0.1:5000/app:v1)}
   * @param context what is being done, for the error when the deadline ends the retries
   * @param deadline the deadline the waits must fit in, or null for none (a blob upload: each of
   *     its requests has its own)
   */
  <T> T run(String action, String context, Deadline deadline, Attempt<T> attempt)
      throws IOException {
    for (int n = 0; ; n++) {
      try {
        return attempt.run();
      } catch (RegistryException e) {
        if (!e.isTemporary() || n >= retries) {
          throw e;
        }
        Duration wait = backoff.delay(n, e.retryAfter());
        String why = why(e);
        if (deadline != null && wait.compareTo(deadline.remaining()) >= 0) {
          throw RegistryException.ofTransport(
              e.method(),
              e.url(),
              "registry "
                  + registry
                  + ": gave up on "
                  + e.method()
                  + " "
                  + why
                  + ": the next retry would start after the "
                  + ErrorMapping.millis(deadline.total)
                  + " deadline ("
                  + context
                  + "; --deadline to change it)",
              false,
              e);
        }
        listener.warn(
            "retrying "
                + action
                + " "
                + why
                + " in "
                + ErrorMapping.millis(wait)
                + " (retry "
                + (n + 1)
                + " of "
                + retries
                + ")");
        sleeper.sleep(wait);
      }
    }
  }

  /** Why a retry is needed: {@code after HTTP 503 (Retry-After 5 s)}, {@code after timeout}, … */
  String why(RegistryException e) {
    if (e.status() > 0) {
      String why = "after HTTP " + e.status();
      Duration asked = e.retryAfter();
      if (asked != null) {
        why +=
            asked.compareTo(maxWait) > 0
                ? " (Retry-After "
                    + ErrorMapping.millis(asked)
                    + ", capped at "
                    + ErrorMapping.millis(maxWait)
                    + ")"
                : " (Retry-After " + ErrorMapping.millis(asked) + ")";
      }
      return why;
    }
    String cause =
        e.getCause() instanceof IOException io ? ErrorMapping.describe(io) : e.getMessage();
    return "after " + (e.brokeOff() ? "the response broke off: " : "") + cause;
  }
}
