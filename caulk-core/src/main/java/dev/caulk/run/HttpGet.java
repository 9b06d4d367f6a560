package dev.caulk.run;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.0 GET over a raw socket (RFC 1945): no keep-alive, no chunking, the body read to the
 * end of the connection and bounded. Small enough that any service answers it, and it never follows
 * redirects or reads more than it was told to.
 */
final class HttpGet {
  static final int MAX_HEAD = 16 * 1024;

  /** The status and (bounded) body of a response. */
  record Response(int status, byte[] body, boolean truncated) {}

  private HttpGet() {}

  /** A GET of 127.0.0.1:port on the host. */
  static Response get(int port, String path, int timeoutMillis, int maxBody) throws IOException {
    return get(new Endpoint.Tcp(port), port, path, timeoutMillis, maxBody);
  }

  /** A GET through {@code endpoint}; {@code port} is for the Host header. */
  static Response get(Endpoint endpoint, int port, String path, int timeoutMillis, int maxBody)
      throws IOException {
    Endpoint.Connection c = endpoint.connect(timeoutMillis);
    if (c == null) throw new IOException("connection refused");
    try (c) {
      c.deadline(timeoutMillis);
      return exchange(c, port, path, maxBody);
    } catch (ClosedChannelException e) {
      throw new IOException("no complete answer within " + timeoutMillis + " ms");
    }
  }

  private static Response exchange(Endpoint.Connection c, int port, String path, int maxBody)
      throws IOException {
    String req =
        "GET "
            + path
            + " HTTP/1.0\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUser-Agent: caulk-probe\r\nAccept: */*\r\n"
            + "Connection: close\r\n\r\n";
    c.out().write(req.getBytes(StandardCharsets.US_ASCII));
    c.out().flush();
    InputStream in = new BufferedInputStream(c.in());
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last = 0;
    while (true) {
      int b = in.read();
      if (b < 0)
        throw new IOException(
            head.size() == 0
                ? "connection closed without a response"
                : "connection closed in the response headers");
      head.write(b);
      if (head.size() > MAX_HEAD)
        throw new IOException("response headers longer than " + MAX_HEAD + " bytes");
      last = (last << 8 | b) & 0xffffffff;
      if (last == 0x0d0a0d0a || (last & 0xffff) == 0x0a0a) break;
    }
    int status = status(head.toString(StandardCharsets.ISO_8859_1));
    byte[] body = in.readNBytes(maxBody);
    boolean truncated = body.length == maxBody && in.read() >= 0;
    return new Response(status, body, truncated);
  }

  private static int status(String head) throws IOException {
    String line = head.lines().findFirst().orElse("");
    String[] p = line.split(" ", 3);
    if (p.length < 2 || !p[0].startsWith("HTTP/") || !p[1].matches("[1-5][0-9][0-9]")) {
      throw new IOException("not an HTTP response: " + Users.quote(line));
    }
    return Integer.parseInt(p[1]);
  }
}
