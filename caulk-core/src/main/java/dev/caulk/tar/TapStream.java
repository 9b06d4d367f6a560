package dev.caulk.tar;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sits under commons-compress's tar reader and watches the raw bytes: it counts them against the
 * decompression-bomb bound, and while a header is being read it (1) refuses extended headers (PAX,
 * GNU long names) larger than a bound before the tar reader buffers them whole, and (2) keeps the
 * raw header bytes so that binary PAX xattr values, which commons-compress decodes as UTF-8 and so
 * damages, can be recovered byte for byte.
 */
final class TapStream extends FilterInputStream {
  private static final int BLOCK = 512;
  private static final int RECORD_CAP = 4 << 20;

  private final String what;
  private final long maxBytes;
  private final int maxExtended;
  private long pos;
  private boolean eof;

  private boolean recording;
  private long recordStart;
  private final ByteArrayOutputStream rec = new ByteArrayOutputStream();
  private boolean overflow;

  private boolean guarding;
  private long nextHeaderAt;
  private final byte[] hdr = new byte[BLOCK];

  TapStream(InputStream in, String what, long maxBytes, int maxExtended) {
    super(in);
    this.what = what;
    this.maxBytes = maxBytes;
    this.maxExtended = maxExtended;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (eof) return -1; // never ask a (verifying, draining) stream again once it has ended
    int n = in.read(b, off, len);
    if (n > 0) observe(b, off, n);
    else if (n < 0) eof = true;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, n))];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) break;
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Uncompressed bytes read so far. */
  long position() {
    return pos;
  }

  void startRecording() {
    recording = true;
    recordStart = pos;
    rec.reset();
    overflow = false;
    guarding = true;
    nextHeaderAt = roundUp(pos);
  }

  /** The bytes read since {@link #startRecording()}, or null when there were too many to keep. */
  byte @Nullable [] stopRecording() {
    recording = false;
    guarding = false;
    return overflow ? null : rec.toByteArray();
  }

  long recordStart() {
    return recordStart;
  }

  private void observe(byte[] b, int off, int n) throws IOException {
    long start = pos;
    pos += n;
    if (pos > maxBytes) {
      throw new InvalidLayerException(
          what
              + ": more than "
              + maxBytes
              + " uncompressed bytes (limit reached; a decompression bomb?)");
    }
    if (!recording) return;
    if (!overflow) {
      if (rec.size() + (long) n > RECORD_CAP) overflow = true;
      else rec.write(b, off, n);
    }
    while (guarding) {
      long from = Math.max(start, nextHeaderAt);
      long to = Math.min(pos, nextHeaderAt + BLOCK);
      if (from >= to) return;
      System.arraycopy(
          b, off + (int) (from - start), hdr, (int) (from - nextHeaderAt), (int) (to - from));
      if (to != nextHeaderAt + BLOCK) return;
      inspectHeader();
    }
  }

  private void inspectHeader() throws InvalidLayerException {
    if (!checksumOk(hdr)) {
      guarding = false; // end of archive or something the tar reader will judge itself
      return;
    }
    char type = (char) hdr[156];
    if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
      long size = number(hdr, 124, 12);
      if (size < 0 || size > maxExtended) {
        throw new InvalidLayerException(
            what
                + ": extended tar header of "
                + size
                + " bytes is larger than the limit of "
                + maxExtended);
      }
      nextHeaderAt += BLOCK + roundUp(size);
    } else {
      guarding = false;
    }
  }

  static long roundUp(long n) {
    return (n + BLOCK - 1) / BLOCK * BLOCK;
  }

  static boolean checksumOk(byte[] h) {
    long sum = 0;
    boolean allZero = true;
    for (int i = 0; i < BLOCK; i++) {
      int v = (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
      if (h[i] != 0) allZero = false;
      sum += v;
    }
    return !allZero && number(h, 148, 8) == sum;
  }

  /**
   * Parses a numeric header field: octal digits (space/NUL padded) or base-256; -1 if malformed.
   */
  static long number(byte[] h, int off, int len) {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x3f;
      for (int i = 1; i < len; i++) {
        if (v > (Long.MAX_VALUE >> 8)) return -1;
        v = (v << 8) | (h[off + i] & 0xff);
      }
      return (h[off] & 0x40) != 0 ? -1 : v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
    boolean any = false;
    for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
      v = v * 8 + (h[i] - '0');
      any = true;
    }
    return any ? v : 0;
  }

  /**
   * Raw values of {@code SCHILY.xattr.*} records in the PAX headers of a recorded header sequence.
   * Best effort: anything unexpected ends the scan with what was found so far.
   */
  static Map<String, byte[]> rawPaxXattrs(byte[] rec, long recordStart) {
    Map<String, byte[]> out = new HashMap<>();
    int off = (int) (roundUp(recordStart) - recordStart);
    byte[] h = new byte[BLOCK];
    while (off + BLOCK <= rec.length) {
      System.arraycopy(rec, off, h, 0, BLOCK);
      if (!checksumOk(h)) break;
      char type = (char) h[156];
      long size = number(h, 124, 12);
      if (size < 0 || off + BLOCK + size > rec.length) break;
      if (type == 'x') parsePax(rec, off + BLOCK, (int) size, out);
      else if (type != 'g' && type != 'L' && type != 'K') break;
      off += BLOCK + (int) roundUp(size);
    }
    return out;
  }

  private static void parsePax(byte[] b, int start, int size, Map<String, byte[]> out) {
    int p = start;
    int end = start + size;
    while (p < end) {
      int sp = p;
      int len = 0;
      while (sp < end && b[sp] >= '0' && b[sp] <= '9' && len < 100_000_000)
        len = len * 10 + (b[sp++] - '0');
      if (sp >= end || b[sp] != ' ' || len <= 0 || p + len > end) return;
      int eq = sp + 1;
      while (eq < p + len && b[eq] != '=') eq++;
      if (eq >= p + len - 1) return;
      String key = new String(b, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
      if (key.startsWith("SCHILY.xattr.")) {
        byte[] v = new byte[p + len - 1 - (eq + 1)];
        System.arraycopy(b, eq + 1, v, 0, v.length);
        out.put(key.substring("SCHILY.xattr.".length()), v);
      }
      p += len;
    }
  }
}
