package dev.caulk.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough HTTP/1.1 (RFC 9112) for {@link FaultProxy}: reading a message head, telling how its
 * body is framed, and copying a body verbatim (chunk framing included) while counting payload
 * bytes. Heads are bounded (64 KiB, 200 fields) so a broken client cannot make the proxy buffer
 * without limit.
 */
final class Http1 {
  static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_FIELDS = 200;
  private static final int MAX_LINE = 8 * 1024;

  private Http1() {}

  /** How a message body is delimited (RFC 9112 section 6.3). */
  enum Framing {
    NONE,
    LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  /** A start line and header fields in arrival order; names keep their case. */
  static final class Head {
    final String startLine;
    final List<String[]> fields;

    Head(String startLine, List<String[]> fields) {
      this.startLine = startLine;
      this.fields = fields;
    }

    String get(String name) {
      for (String[] f : fields) {
        if (f[0].equalsIgnoreCase(name)) {
          return f[1];
        }
      }
      return null;
    }

    void remove(String name) {
      fields.removeIf(f -> f[0].equalsIgnoreCase(name));
    }

    void set(String name, String value) {
      for (String[] f : fields) {
        if (f[0].equalsIgnoreCase(name)) {
          f[1] = value;
          return;
        }
      }
      fields.add(new String[] {name, value});
    }

    boolean hasToken(String name, String token) {
      for (String[] f : fields) {
        if (f[0].equalsIgnoreCase(name)) {
          for (String t : f[1].split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
              return true;
            }
          }
        }
      }
      return false;
    }

    /** For a response: the status code from {@code HTTP/1.1 200 OK}. */
    int status() throws IOException {
      String[] parts = startLine.split(" ", 3);
      try {
        return Integer.parseInt(parts[1]);
      } catch (RuntimeException e) {
        throw new IOException("bad status line: " + startLine);
      }
    }

    /** Framing of a request body: only Transfer-Encoding or Content-Length announce one. */
    Framing requestFraming() throws IOException {
      if (get("Transfer-Encoding") != null) {
        return Framing.CHUNKED;
      }
      return contentLength() > 0 ? Framing.LENGTH : Framing.NONE;
    }

    /** Framing of a response to {@code method} (RFC 9112 section 6.3 rules 1-3, 7). */
    Framing responseFraming(String method) throws IOException {
      int status = status();
      if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
        return Framing.NONE;
      }
      if (get("Transfer-Encoding") != null) {
        return Framing.CHUNKED;
      }
      if (get("Content-Length") != null) {
        return contentLength() > 0 ? Framing.LENGTH : Framing.NONE;
      }
      return Framing.UNTIL_CLOSE;
    }

    long contentLength() throws IOException {
      String v = get("Content-Length");
      if (v == null) {
        return 0;
      }
      try {
        long n = Long.parseLong(v.trim());
        if (n < 0) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + v);
      }
    }

    byte[] bytes() {
      StringBuilder b = new StringBuilder(startLine).append("\r\n");
      for (String[] f : fields) {
        b.append(f[0]).append(": ").append(f[1]).append("\r\n");
      }
      return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Reads a head; null on a clean end of stream before its first byte (the peer closed a kept-alive
   * connection).
   */
  static Head readHead(InputStream in) throws IOException {
    String start = readLine(in, true);
    while (start != null && start.isEmpty()) {
      start = readLine(in, true); // RFC 9112 section 2.2: ignore empty lines before a request line
    }
    if (start == null) {
      return null;
    }
    List<String[]> fields = new ArrayList<>();
    int total = start.length();
    for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
      total += line.length();
      if (total > MAX_HEAD || fields.size() >= MAX_FIELDS) {
        throw new IOException("message head too large");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("bad header line");
      }
      fields.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
    }
    return new Head(start, fields);
  }

  /**
   * Copies a body framed as {@code framing} from {@code in} to {@code out} (null discards),
   * stopping after {@code limit} payload bytes. Chunk sizes and trailers are copied as they came.
   *
   * @return payload bytes copied; less than the body only when {@code limit} was reached
   */
  static long copyBody(InputStream in, OutputStream out, Framing framing, long length, long limit)
      throws IOException {
    byte[] buf = new byte[64 * 1024];
    switch (framing) {
      case NONE:
        return 0;
      case LENGTH:
        return copyN(in, out, length, limit, buf, true);
      case UNTIL_CLOSE:
        return copyN(in, out, Long.MAX_VALUE, limit, buf, false);
      default:
        break;
    }
    long copied = 0;
    while (true) {
      String sizeLine = readLine(in, false);
      write(out, (sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      long size;
      try {
        int semi = sizeLine.indexOf(';');
        size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size line");
      }
      if (size < 0) {
        throw new IOException("bad chunk size line");
      }
      if (size == 0) {
        for (String t = readLine(in, false); ; t = readLine(in, false)) {
          write(out, (t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          if (t.isEmpty()) {
            return copied;
          }
        }
      }
      long n = copyN(in, out, size, limit - copied, buf, true);
      copied += n;
      if (n < size) {
        return copied; // limit reached mid-chunk
      }
      String crlf = readLine(in, false);
      if (!crlf.isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
      write(out, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private static long copyN(
      InputStream in, OutputStream out, long n, long limit, byte[] buf, boolean exact)
      throws IOException {
    long want = Math.min(n, limit);
    long done = 0;
    while (done < want) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, want - done));
      if (r < 0) {
        if (exact) {
          throw new EOFException("body ended after " + done + " of " + n + " bytes");
        }
        break;
      }
      write(out, buf, r);
      done += r;
    }
    return done;
  }

  private static void write(OutputStream out, byte[] b) throws IOException {
    write(out, b, b.length);
  }

  private static void write(OutputStream out, byte[] b, int n) throws IOException {
    if (out != null) {
      out.write(b, 0, n);
    }
  }

  /**
   * Reads a line ending in LF (an optional CR before it is dropped); null at EOF only if allowed
   * before any byte.
   */
  private static String readLine(InputStream in, boolean eofOk) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (eofOk && line.size() == 0) {
          return null;
        }
        throw new EOFException("connection closed mid-message");
      }
      if (c == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("line too long");
      }
      line.write(c);
    }
    byte[] b = line.toByteArray();
    int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
    return new String(b, 0, len, StandardCharsets.ISO_8859_1);
  }
}
