package dev.caulk.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Passes bytes through while computing their digest, and fails the read that reaches the end of the
 * stream if the digest or the size differs from what was expected.
 *
 * <p>This is how every blob caulk reads is checked: as it streams, never by buffering it first. A
 * source that sends more bytes than announced fails as soon as it passes the size, so a hostile
 * server cannot make caulk read without bound. An expected size of {@code -1} means unknown (used
 * for diffIDs, whose uncompressed size a manifest does not state).
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final long expectedSize;
  private final String what;
  private final MessageDigest md;
  private final @Nullable Observer observer;
  private long count;
  private boolean verified;
  private boolean ended;

  /**
   * Sees the bytes of a {@link VerifyingInputStream} as they pass, in the reader's pass: a second
   * check on the same bytes that needs no second read (a layer's diff-id, computed by decompressing
   * as the compressed blob streams).
   */
  public interface Observer {
    /** The next bytes read; throw to fail the read. */
    void bytes(byte[] b, int off, int len) throws IOException;

    /**
     * The stream ended and its own digest and size were right; throw to fail the read that reached
     * the end.
     */
    void end() throws IOException;

    /** The stream was closed before its end: stop, check nothing. */
    void abort();
  }

  /**
   * @param what names the content in error messages, e.g. "layer sha256:ab12…"
   */
  public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
    this(in, expected, expectedSize, what, null);
  }

  /**
   * Like {@link #VerifyingInputStream(InputStream, Digest, long, String)}, with an observer of the
   * bytes (or null).
   */
  public VerifyingInputStream(
      InputStream in,
      Digest expected,
      long expectedSize,
      String what,
      @Nullable Observer observer) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.what = what;
    this.md = expected.newMessageDigest();
    this.observer = observer;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      md.update(b, off, n);
      count += n;
      if (expectedSize >= 0 && count > expectedSize) {
        throw new DigestMismatchException(
            what + ": size mismatch: more than the expected " + expectedSize + " bytes");
      }
      if (observer != null) observer.bytes(b, off, n);
    } else if (n < 0) {
      verify();
      if (observer != null && !ended) {
        ended = true;
        observer.end();
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (observer != null && !ended) {
      ended = true;
      observer.abort();
    }
    super.close();
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) break;
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /**
   * True when this stream checks exactly this digest and size, so a consumer need not hash the
   * bytes again.
   */
  public boolean verifies(Digest digest, long size) {
    return expected.equals(digest) && expectedSize == size;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  private void verify() throws IOException {
    if (verified) return;
    verified = true;
    if (expectedSize >= 0 && count != expectedSize) {
      throw new DigestMismatchException(
          what + ": size mismatch: expected " + expectedSize + " bytes, got " + count);
    }
    String got = HexFormat.of().formatHex(md.digest());
    if (!got.equals(expected.hex())) {
      throw new DigestMismatchException(
          what
              + ": digest mismatch: expected "
              + expected
              + ", got "
              + expected.algorithm()
              + ":"
              + got);
    }
  }

  /** Reads the rest of the stream (verifying it) and closes it. */
  public void drainAndClose() throws IOException {
    try (this) {
      byte[] buf = new byte[64 * 1024];
      while (read(buf, 0, buf.length) >= 0) {
        /* digesting */
      }
    }
  }
}
