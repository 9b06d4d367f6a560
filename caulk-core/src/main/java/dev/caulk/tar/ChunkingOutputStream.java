package dev.caulk.tar;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Forwards writes in fixed-size chunks only (the last one excepted), so that a compressor below it
 * sees the same sequence of calls whatever its callers' write sizes: one less thing reproducible
 * output depends on.
 */
final class ChunkingOutputStream extends OutputStream {
  private final OutputStream out;
  private final byte[] chunk;
  private int fill;

  ChunkingOutputStream(OutputStream out, int size) {
    this.out = out;
    this.chunk = new byte[size];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, chunk.length - fill);
      System.arraycopy(b, off, chunk, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == chunk.length) {
        out.write(chunk, 0, fill);
        fill = 0;
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (fill > 0) out.write(chunk, 0, fill);
      fill = 0;
    } finally {
      out.close();
    }
  }
}
