package dev.caulk.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 reverse proxy on a free 127.0.0.1 port, in front of a plain-HTTP {@link
 * TestRegistry}, that forwards requests verbatim and injects faults on demand, so registry-client
 * tests can prove their retries, resumption and error messages against the real registry.
 *
 * <p>Forwarding streams bodies both ways (64 KiB at a time, chunked bodies with their framing),
 * keeps client connections alive (one upstream connection per client connection), passes {@code
 * Host} through, and rewrites a {@code Location} that points at the upstream so that it points at
 * the proxy. {@code Expect: 100-continue} is answered by the proxy itself.
 *
 * <p>Faults are matched in the order they were added, by method ({@code "*"} or null for any) and
 * by a regex found in the request path (query excluded; anchor with {@code ^…$} for an exact
 * match); each is armed for a number of requests. Every request is counted, faulted or not.
 * Thread-safe. Bounded: at most {@value #MAX_CONNECTIONS} connections at once, 64 KiB message
 * heads, {@value FaultPlan#MAX_RULES} rules, the last {@value FaultPlan#MAX_LOG} requests
 * remembered.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(registry)) {
 *     proxy.failNext("PUT", "/blobs/uploads/", 1, 503);
 *     client.push(proxy.host() + "/app:1");           // must retry once
 *     assertEquals(2, proxy.count("PUT", "/blobs/uploads/"));
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  static final int MAX_CONNECTIONS = 64;

  /** A request the proxy received: method and request target (path and query) as sent. */
  public record SeenRequest(String method, String target) {
    /** The path part of the target, without the query. */
    public String path() {
      return FaultPlan.pathOf(target);
    }
  }

  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final ExecutorService executor;
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final FaultPlan plan = new FaultPlan();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress upstream, ServerSocket server) {
    this.upstream = upstream;
    this.server = server;
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "caulk-fault-proxy");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts a proxy in front of a plain-HTTP registry.
   *
   * @throws IllegalArgumentException if the registry uses TLS (the proxy does not terminate TLS)
   */
  public static FaultProxy start(TestRegistry registry) throws IOException {
    if (registry.mode().tls()) {
      throw new IllegalArgumentException(
          "FaultProxy forwards plain HTTP only; registry is " + registry.mode());
    }
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), registry.port()));
  }

  /** Starts a proxy in front of any plain-HTTP/1.1 server. */
  public static FaultProxy start(InetSocketAddress upstream) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    FaultProxy proxy = new FaultProxy(Objects.requireNonNull(upstream, "upstream"), server);
    proxy.executor.execute(proxy::acceptLoop);
    return proxy;
  }

  /** {@code 127.0.0.1:PORT} of the proxy, the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The proxy's port. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public URI url() {
    return URI.create("http://" + host());
  }

  /**
   * Answers the next {@code times} matching requests with {@code status} and a distribution-style
   * error body.
   */
  public FaultProxy failNext(String method, String pathRegex, int times, int status) {
    return failNext(method, pathRegex, times, status, Map.of());
  }

  /**
   * Like {@link #failNext(String, String, int, int)}, adding response headers (e.g. {@code
   * Retry-After}).
   */
  public FaultProxy failNext(
      String method, String pathRegex, int times, int status, Map<String, String> headers) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200..599");
    }
    String code = status == 429 ? "TOOMANYREQUESTS" : status == 503 ? "UNAVAILABLE" : "UNKNOWN";
    String body =
        "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"injected by FaultProxy\"}]}";
    plan.add(method, pathRegex, times, new FaultPlan.Respond(status, Map.copyOf(headers), body));
    return this;
  }

  /**
   * Answers the next {@code times} matching requests itself with {@code status}, {@code headers}
   * and {@code body} (UTF-8; {@code Content-Type} is {@code application/json} unless {@code
   * headers} names one), without forwarding: how a test serves an endpoint the upstream registry
   * lacks, such as the referrers API, with content taken from the real registry.
   */
  public FaultProxy respondNext(
      String method,
      String pathRegex,
      int times,
      int status,
      Map<String, String> headers,
      String body) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200..599");
    }
    plan.add(
        method,
        pathRegex,
        times,
        new FaultPlan.Respond(status, Map.copyOf(headers), Objects.requireNonNull(body, "body")));
    return this;
  }

  /**
   * Forwards the next {@code times} matching requests and sets {@code headers} on each upstream
   * response (replacing a header of the same name), e.g. the {@code OCI-Subject} a registry with
   * the referrers API answers to a manifest PUT.
   */
  public FaultProxy addResponseHeaders(
      String method, String pathRegex, int times, Map<String, String> headers) {
    plan.add(method, pathRegex, times, new FaultPlan.AddHeaders(Map.copyOf(headers)));
    return this;
  }

  /**
   * Answers the next {@code times} matching requests with 429 and {@code Retry-After: seconds} (RFC
   * 9110 section 10.2.3).
   */
  public FaultProxy throttleNext(
      String method, String pathRegex, int times, int retryAfterSeconds) {
    return failNext(
        method, pathRegex, times, 429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  /**
   * Breaks the next matching request mid-body: for a request with a body, reads {@code afterBytes}
   * of it and closes the connection without forwarding; for one without (GET, HEAD), forwards it,
   * sends the response head and {@code afterBytes} of the response body, then closes.
   */
  public FaultProxy dropConnectionMidBody(String method, String pathRegex, long afterBytes) {
    return dropConnectionMidBody(method, pathRegex, 1, afterBytes);
  }

  /**
   * {@link #dropConnectionMidBody(String, String, long)} for the next {@code times} matching
   * requests.
   */
  public FaultProxy dropConnectionMidBody(
      String method, String pathRegex, int times, long afterBytes) {
    if (afterBytes < 0) {
      throw new IllegalArgumentException("afterBytes must be >= 0");
    }
    plan.add(method, pathRegex, times, new FaultPlan.Drop(afterBytes));
    return this;
  }

  /**
   * Holds the next {@code times} matching requests for {@code delay} before forwarding them (for
   * timeouts).
   */
  public FaultProxy delayNext(String method, String pathRegex, int times, Duration delay) {
    if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("delay must be within 0..5 min");
    }
    plan.add(method, pathRegex, times, new FaultPlan.Delay(delay));
    return this;
  }

  /**
   * Forwards the next {@code times} matching requests and sends each response to the client one
   * byte every {@code interval}, head included: a registry that is never idle long enough to trip a
   * read timeout.
   */
  public FaultProxy dripNext(String method, String pathRegex, int times, Duration interval) {
    if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("interval must be within 0..10 s");
    }
    plan.add(method, pathRegex, times, new FaultPlan.Drip(interval));
    return this;
  }

  /**
   * Forwards the next {@code times} matching requests, sends the response head and {@code
   * afterBytes} of the body, then sends nothing for {@code stall} before closing the connection
   * (for idle read timeouts).
   */
  public FaultProxy stallMidBody(
      String method, String pathRegex, int times, long afterBytes, Duration stall) {
    if (afterBytes < 0) {
      throw new IllegalArgumentException("afterBytes must be >= 0");
    }
    if (stall.isNegative() || stall.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("stall must be within 0..5 min");
    }
    plan.add(method, pathRegex, times, new FaultPlan.Stall(afterBytes, stall));
    return this;
  }

  /**
   * How many requests with this method ({@code "*"} or null for any) and a path matching the regex
   * were seen.
   */
  public int count(String method, String pathRegex) {
    return plan.count(method, pathRegex);
  }

  /** The requests seen, oldest first (the last {@value FaultPlan#MAX_LOG}). */
  public List<SeenRequest> requests() {
    return plan.seen();
  }

  /** How many fault uses are still armed. */
  public int pendingFaults() {
    return plan.pending();
  }

  /** How many client connections were accepted, to check that clients keep connections alive. */
  public int connectionsAccepted() {
    return connections.get();
  }

  /** Disarms every fault and forgets the requests seen. */
  public void reset() {
    plan.clearFaults();
    plan.clearLog();
  }

  /** Stops accepting, closes every connection, and stops the worker threads. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FaultProxy["
        + url()
        + " -> "
        + upstream.getHostString()
        + ":"
        + upstream.getPort()
        + "]";
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        return;
      }
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        slots.release();
        if (closed) {
          return;
        }
        continue;
      }
      connections.incrementAndGet();
      open.add(client);
      ProxyConnection conn = new ProxyConnection(client, upstream, url().toString(), plan, open);
      try {
        executor.execute(
            () -> {
              try {
                conn.run();
              } finally {
                open.remove(client);
                slots.release();
              }
            });
      } catch (RuntimeException rejected) {
        open.remove(client);
        closeQuietly(client);
        slots.release();
      }
    }
  }

  static void closeQuietly(Socket s) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }
}
