package dev.caulk.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client connection of a {@link FaultProxy}: reads requests one after another (keep-alive),
 * applies the fault plan, and forwards the rest over its own upstream connection, which it reopens
 * when the upstream closed it while idle.
 */
final class ProxyConnection implements Runnable {
  private static final int IO_TIMEOUT_MS = 120_000;
  private static final long IDLE_CHECK_MS = 200;

  private final Socket client;
  private final InetSocketAddress upstreamAddress;
  private final String proxyBase;
  private final List<String> upstreamBases;
  private final FaultPlan plan;
  private final Set<Socket> open;
  private Socket upstream;
  private InputStream upIn;
  private OutputStream upOut;
  private long upstreamIdleSince;

  ProxyConnection(
      Socket client,
      InetSocketAddress upstream,
      String proxyBase,
      FaultPlan plan,
      Set<Socket> open) {
    this.client = client;
    this.upstreamAddress = upstream;
    this.proxyBase = proxyBase;
    this.upstreamBases =
        List.of(
            "http://" + upstream.getHostString() + ":" + upstream.getPort(),
            "http://127.0.0.1:" + upstream.getPort(),
            "http://localhost:" + upstream.getPort());
    this.plan = plan;
    this.open = open;
  }

  @Override
  public void run() {
    try {
      client.setSoTimeout(IO_TIMEOUT_MS);
      client.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
      OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
      while (exchange(in, out)) {
        // next request on the same connection
      }
    } catch (IOException | RuntimeException e) {
      // The client or the upstream went away, or sent garbage: end this connection only.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      FaultProxy.closeQuietly(client);
      closeUpstream();
    }
  }

  /** Handles one request; false when the connection must close. */
  private boolean exchange(InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    Http1.Head req = Http1.readHead(in);
    if (req == null) {
      return false;
    }
    String[] line = req.startLine.split(" ");
    if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
      respond(out, 400, Map.of(), "", true);
      return false;
    }
    String method = line[0];
    String target = line[1];
    Http1.Framing reqFraming = req.requestFraming();
    long reqLength = req.contentLength();
    boolean expect = req.hasToken("Expect", "100-continue");
    boolean clientClose = req.hasToken("Connection", "close");
    FaultPlan.Fault fault = plan.next(method, target);

    if (fault instanceof FaultPlan.Respond r) {
      if (expect) { // the client has not sent the body and may never: answer and close
        respond(out, r.status(), r.headers(), r.body(), true);
        return false;
      }
      Http1.copyBody(in, null, reqFraming, reqLength, Long.MAX_VALUE);
      respond(out, r.status(), r.headers(), r.body(), clientClose);
      return !clientClose;
    }
    if (fault instanceof FaultPlan.Delay d) {
      Thread.sleep(d.delay().toMillis());
    }
    long responseLimit = Long.MAX_VALUE;
    if (fault instanceof FaultPlan.Stall st) {
      responseLimit = st.afterBytes();
    }
    if (fault instanceof FaultPlan.Drip drip) {
      out = new DripOutputStream(client.getOutputStream(), drip.interval());
    }
    if (fault instanceof FaultPlan.Drop d) {
      if (reqFraming != Http1.Framing.NONE) {
        if (expect) {
          continueResponse(out);
        }
        Http1.copyBody(in, null, reqFraming, reqLength, d.afterBytes());
        return false; // close mid-body, never forwarded
      }
      responseLimit = d.afterBytes();
    }

    if (expect) {
      req.remove("Expect"); // answered here, so the body copy below never waits on the upstream
      if (reqFraming != Http1.Framing.NONE) {
        continueResponse(out);
      }
    }
    ensureUpstream();
    upOut.write(req.bytes());
    boolean upstreamBroken = false;
    try {
      Http1.copyBody(in, upOut, reqFraming, reqLength, Long.MAX_VALUE);
      upOut.flush();
    } catch (IOException writeFailed) {
      // The registry may have answered early and closed (e.g. 401 on a large PUT); try to relay its
      // answer.
      upstreamBroken = true;
    }
    Http1.Head resp = Http1.readHead(upIn);
    while (resp != null && resp.status() / 100 == 1 && resp.status() != 101) {
      resp = Http1.readHead(upIn); // interim responses: the proxy already sent its own 100
    }
    if (resp == null) {
      throw new IOException("upstream closed without answering");
    }
    Http1.Framing respFraming = resp.responseFraming(method);
    if (fault instanceof FaultPlan.AddHeaders add) {
      add.headers().forEach(resp::set);
    }
    String location = resp.get("Location");
    if (location != null) {
      resp.set("Location", rewrite(location));
    }
    boolean close =
        clientClose
            || upstreamBroken
            || resp.hasToken("Connection", "close")
            || respFraming == Http1.Framing.UNTIL_CLOSE
            || responseLimit != Long.MAX_VALUE;
    out.write(resp.bytes());
    long sent = Http1.copyBody(upIn, out, respFraming, resp.contentLength(), responseLimit);
    out.flush();
    if (fault instanceof FaultPlan.Stall st) {
      Thread.sleep(st.stall().toMillis());
      closeUpstream();
      return false;
    }
    if (fault instanceof FaultPlan.Drip) {
      closeUpstream();
      return false;
    }
    upstreamIdleSince = System.currentTimeMillis();
    if (responseLimit != Long.MAX_VALUE && sent >= responseLimit) {
      closeUpstream(); // the rest of the body is still on that connection
    }
    if (close) {
      closeUpstream();
    }
    return !close;
  }

  private String rewrite(String location) {
    for (String base : upstreamBases) {
      if (location.startsWith(base)
          && (location.length() == base.length()
              || "/?#".indexOf(location.charAt(base.length())) >= 0)) {
        return proxyBase + location.substring(base.length());
      }
    }
    return location;
  }

  private void ensureUpstream() throws IOException {
    if (upstream != null
        && System.currentTimeMillis() - upstreamIdleSince > IDLE_CHECK_MS
        && !stillOpen()) {
      closeUpstream();
    }
    if (upstream == null) {
      Socket s = new Socket();
      open.add(s);
      s.connect(upstreamAddress, 5_000);
      s.setSoTimeout(IO_TIMEOUT_MS);
      s.setTcpNoDelay(true);
      upstream = s;
      upIn = new BufferedInputStream(s.getInputStream(), 64 * 1024);
      upOut = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }
  }

  /**
   * Whether an idle upstream connection is still usable: a 1 ms read must time out (EOF or bytes
   * mean no).
   */
  private boolean stillOpen() {
    try {
      upstream.setSoTimeout(1);
      upIn.read(); // EOF: closed by the upstream; a byte: out of sync. Either way, not reusable.
      return false;
    } catch (SocketTimeoutException alive) {
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      try {
        if (!upstream.isClosed()) {
          upstream.setSoTimeout(IO_TIMEOUT_MS);
        }
      } catch (IOException ignored) {
        // closed below
      }
    }
  }

  private void closeUpstream() {
    if (upstream != null) {
      open.remove(upstream);
      FaultProxy.closeQuietly(upstream);
      upstream = null;
      upIn = null;
      upOut = null;
    }
  }

  /** Writes one byte at a time, flushing and pausing after each. */
  private static final class DripOutputStream extends OutputStream {
    private final OutputStream out;
    private final long millis;

    DripOutputStream(OutputStream out, java.time.Duration interval) {
      this.out = out;
      this.millis = interval.toMillis();
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      out.flush();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("proxy closing");
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i++) {
        write(b[off + i]);
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }

  private static void continueResponse(OutputStream out) throws IOException {
    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static void respond(
      OutputStream out, int status, Map<String, String> headers, String body, boolean close)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    List<String[]> fields = new ArrayList<>();
    if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
      fields.add(new String[] {"Content-Type", "application/json"});
    }
    fields.add(new String[] {"Content-Length", Integer.toString(b.length)});
    fields.add(new String[] {"Docker-Distribution-Api-Version", "registry/2.0"});
    headers.forEach((k, v) -> fields.add(new String[] {k, v}));
    if (close) {
      fields.add(new String[] {"Connection", "close"});
    }
    out.write(new Http1.Head("HTTP/1.1 " + status + " " + reason(status), fields).bytes());
    out.write(b);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 200 -> "OK";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Injected";
    };
  }
}
