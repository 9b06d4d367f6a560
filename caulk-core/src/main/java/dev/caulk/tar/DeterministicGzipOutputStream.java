package dev.caulk.tar;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) whose every byte is fixed by the input: a header of our own (no file name, mtime
 * 0, XFL 0, OS 255 "unknown"), raw deflate fed in fixed 64 KiB chunks whatever the callers' write
 * sizes, and the CRC-32/ISIZE trailer. {@code java.util.zip.GZIPOutputStream} writes OS 0 and
 * flushes as its callers write; this class pins both.
 *
 * <p>The deflate bytes come from the JDK's zlib: identical for the same zlib build, which is the one
 * caveat of gzip reproducibility across machines (zstd output depends only on the zstd-jni version).
 */
final class DeterministicGzipOutputStream extends OutputStream {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final int CHUNK = 64 * 1024;

  private final OutputStream out;
  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final byte[] chunk = new byte[CHUNK];
  private final byte[] buf = new byte[CHUNK];
  private int fill;
  private long isize;
  private boolean closed;

  DeterministicGzipOutputStream(OutputStream out, int level) throws IOException {
    this.out = out;
    this.deflater = new Deflater(level, true);
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    crc.update(b, off, len);
    isize += len;
    while (len > 0) {
      int n = Math.min(len, CHUNK - fill);
      System.arraycopy(b, off, chunk, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == CHUNK) deflateChunk();
    }
  }

  private void deflateChunk() throws IOException {
    deflater.setInput(chunk, 0, fill);
    while (!deflater.needsInput()) {
      int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
      if (n > 0) out.write(buf, 0, n);
    }
    fill = 0;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      if (fill > 0) deflateChunk();
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
        if (n > 0) out.write(buf, 0, n);
      }
      long c = crc.getValue();
      byte[] trailer = new byte[8];
      for (int i = 0; i < 4; i++) {
        trailer[i] = (byte) (c >>> (8 * i));
        trailer[4 + i] = (byte) (isize >>> (8 * i));
      }
      out.write(trailer);
    } finally {
      deflater.end();
      out.close();
    }
  }
}
