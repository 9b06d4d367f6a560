package dev.caulk.pkgdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines of any length up to an overall byte bound. The apk database has lines far past
 * 64 KiB (a 72 KB {@code p:} provides line is real), so a per-line limit would lose packages; the
 * bound is on the whole file instead. A trailing {@code \r} is dropped; malformed UTF-8 is
 * replaced, not fatal. Linear in the input.
 */
public final class LineReader {
  private final InputStream in;
  private final long maxTotal;
  private final String what;
  private final byte[] buf = new byte[64 * 1024];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private int pos;
  private int len;
  private long total;
  private long lineNumber;

  /**
   * Reads {@code in} (not closed here).
   *
   * @param maxTotal bytes past which {@link #next} fails with a {@link PackageDbException}
   * @param what the file's kind, for that message
   */
  public LineReader(InputStream in, long maxTotal, String what) {
    this.in = in;
    this.maxTotal = maxTotal;
    this.what = what;
  }

  /** Lines of bytes already in memory (their size is the bound). */
  public static LineReader of(byte[] content) {
    return new LineReader(new ByteArrayInputStream(content), content.length, "file");
  }

  /** The next line without its terminator, or null at the end. */
  public String next() throws IOException {
    line.reset();
    boolean any = false;
    while (true) {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          if (!any) {
            return null;
          }
          break;
        }
        total += len;
        if (total > maxTotal) {
          throw new PackageDbException(what + " is larger than " + maxTotal + " bytes");
        }
      }
      any = true;
      int start = pos;
      while (pos < len && buf[pos] != '\n') {
        pos++;
      }
      line.write(buf, start, pos - start);
      if (pos < len) {
        pos++;
        break;
      }
    }
    lineNumber++;
    byte[] b = line.toByteArray();
    int n = b.length;
    if (n > 0 && b[n - 1] == '\r') {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /** 1-based number of the line last returned. */
  public long lineNumber() {
    return lineNumber;
  }
}
