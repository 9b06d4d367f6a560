package dev.caulk.run;

import dev.caulk.image.Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Proves that a started container answers: waits until its port accepts a TCP connection (on
 * 127.0.0.1 inside the container's network namespace, through its relay, or on the host's with the
 * host network) (polling, bounded, failing early when the process has exited), then either stops
 * there or sends one HTTP/1.0 GET and returns status and body. Unlike SlimToolkit's HTTP probe
 * (build.md §5.1, §5.5 failure mode 4), a failure is always an error with the container's output in
 * it, never a silent continue, and a timeout always ends the wait.
 */
public final class Probe {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern PRINTABLE =
      com.google.re2j.Pattern.compile("[\\x21-\\x7e]+");

  /** How long {@link #run} waits for the port by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** The largest body kept, in bytes. */
  public static final int MAX_BODY = 64 * 1024;

  /** How much of each output stream an error message or result carries, in bytes. */
  public static final int TAIL_BYTES = 4 * 1024;

  private static final long POLL_MILLIS = 10;
  private static final int CONNECT_MILLIS = 250;

  /** What to check once the port accepts. */
  public sealed interface Check permits Tcp, Http {
    /** A TCP connect only. */
    static Check tcp() {
      return new Tcp();
    }

    /**
     * A GET of {@code path} (absolute, with an optional query; no spaces or control characters).
     */
    static Check http(String path) {
      return new Http(path);
    }
  }

  /** Connect only: the port accepts. */
  public record Tcp() implements Check {}

  /** Connect, then {@code GET path HTTP/1.0}. */
  public record Http(String path) implements Check {
    public Http {
      if (path == null
          || !path.startsWith("/")
          || path.length() > 2048
          || !PRINTABLE.matches(path)) {
        throw new IllegalArgumentException(
            "probe path must start with / and hold no spaces or control characters: "
                + Users.quote(path));
      }
    }
  }

  private Probe() {}

  /**
   * Runs {@code image} with {@code options}, checks it and tears it down.
   *
   * @throws ProbeException when the check fails, with the container's output
   * @throws RunException when the container cannot start
   */
  public static ProbeResult run(
      Image image, Container.Options options, Check check, Duration timeout) throws IOException {
    try (Container c = Container.start(image, options)) {
      return check(c, check, timeout);
    }
  }

  /**
   * Checks a started container on its {@link Container#port()}.
   *
   * @param timeout how long to wait for the port to accept; the HTTP exchange gets what is left, at
   *     least one second
   * @throws ProbeException when the port never accepts, the process exits first, or the HTTP
   *     exchange fails
   */
  public static ProbeResult check(Container c, Check check, Duration timeout) throws IOException {
    if (c.port().isEmpty()) {
      throw new RunException("nothing to probe: the image exposes no TCP port and none was given");
    }
    int port = c.port().getAsInt();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Endpoint endpoint = c.endpoint();
    while (!accepts(endpoint)) {
      if (!c.isRunning()) {
        throw failure(
            c, "container " + c.id() + " exited before port " + port + " accepted connections");
      }
      if (System.nanoTime() > deadline) {
        throw failure(c, "port " + port + " did not accept connections within " + seconds(timeout));
      }
      sleep();
    }
    if (check instanceof Http h) {
      int left = (int) Math.max(1000, (deadline - System.nanoTime()) / 1_000_000);
      HttpGet.Response r;
      try {
        r = HttpGet.get(endpoint, port, h.path(), left, MAX_BODY);
      } catch (IOException e) {
        throw failure(
            c,
            "GET "
                + h.path()
                + " on port "
                + port
                + ": "
                + OutputTail.clean(String.valueOf(e.getMessage())));
      }
      String body = OutputTail.clean(new String(r.body(), StandardCharsets.UTF_8));
      return new ProbeResult(
          port,
          r.status(),
          body,
          r.truncated(),
          Duration.ofNanos(System.nanoTime() - start),
          c.outputTail(TAIL_BYTES));
    }
    return new ProbeResult(
        port, 0, "", false, Duration.ofNanos(System.nanoTime() - start), c.outputTail(TAIL_BYTES));
  }

  private static boolean accepts(Endpoint endpoint) throws IOException {
    Endpoint.Connection c = endpoint.connect(CONNECT_MILLIS);
    if (c == null) return false;
    c.close();
    return true;
  }

  private static ProbeException failure(Container c, String what) throws IOException {
    String tail = c.outputTail(TAIL_BYTES);
    return new ProbeException(
        what + (tail.isEmpty() ? " (no output)" : "; output: " + oneLine(tail)), tail);
  }

  /**
   * The last lines of an output tail joined with {@code " | "}, at most 600 characters: messages
   * stay one line.
   */
  static String oneLine(String tail) {
    String[] lines = tail.strip().split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = lines.length - 1; i >= 0 && b.length() < 600; i--) {
      String l = lines[i].strip();
      if (l.isEmpty()) continue;
      b.insert(0, b.length() == 0 ? l : l + " | ");
    }
    return b.length() > 600 ? "…" + b.substring(b.length() - 600) : b.toString();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void sleep() throws RunException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunException("probe interrupted");
    }
  }
}
