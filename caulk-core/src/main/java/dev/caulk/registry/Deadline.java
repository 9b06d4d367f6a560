package dev.caulk.registry;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The overall deadline of one request: connection, headers, body and the waits between its retries.
 * A registry that sends a byte now and then defeats an idle timeout; this does not.
 */
final class Deadline {
  /** The watchdog that ends requests at their deadline; one daemon thread for every client. */
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  final Duration total;
  private final long end;
  private volatile boolean expired;

  Deadline(Duration total) {
    this.total = total;
    this.end = System.nanoTime() + Math.min(total.toNanos(), Long.MAX_VALUE / 4);
  }

  boolean passed() {
    return expired || System.nanoTime() - end >= 0;
  }

  Duration remaining() {
    return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
  }

  /**
   * Runs {@code action} (closing the connection) when the deadline passes; cancel the result when
   * done.
   */
  Future<?> onExpiry(Runnable action) {
    return WATCHDOG.schedule(
        () -> {
          expired = true;
          // disconnect() may wait for the connection's lock: never in the watchdog's own thread
          Thread t = new Thread(action, "caulk-registry-deadline-close");
          t.setDaemon(true);
          t.start();
        },
        Math.max(1, end - System.nanoTime()),
        TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor w =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "caulk-registry-deadline");
              t.setDaemon(true);
              return t;
            });
    w.setRemoveOnCancelPolicy(true);
    return w;
  }
}
