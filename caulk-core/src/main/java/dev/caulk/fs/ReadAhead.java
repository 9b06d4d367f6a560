package dev.caulk.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Reads a stream on a second thread, a few chunks ahead of its consumer, so that what the source
 * does per byte (file or network I/O, digest verification, decompression) runs on one core while
 * the consumer (tar parsing, content scanning) runs on another. Memory is bounded by the chunks in
 * flight ({@code chunks × chunkSize}).
 *
 * <p>Everything the source says reaches the consumer in order: its bytes, then its end or the
 * exception it threw (the same exception object, so a {@code DigestMismatchException} stays one).
 * The consumer sees the end of the stream only after the source reached its own end, where
 * verifying streams check their digest. Closing stops the thread and closes the source.
 */
final class ReadAhead extends InputStream {
  private static final byte[] END = new byte[0];

  private record Chunk(byte[] bytes, int length, @Nullable Throwable error) {}

  private final InputStream source;
  private final BlockingQueue<Chunk> full;
  private final BlockingQueue<byte[]> free;
  private final Thread thread;
  private @Nullable Chunk current;
  private int pos;
  private boolean done;
  private @Nullable Throwable failure;
  private volatile boolean closed;

  ReadAhead(InputStream source, int chunkSize, int chunks, String name) {
    this.source = source;
    this.full = new ArrayBlockingQueue<>(chunks + 1);
    this.free = new ArrayBlockingQueue<>(chunks);
    for (int i = 0; i < chunks; i++) free.add(new byte[chunkSize]);
    this.thread = new Thread(this::pump, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void pump() {
    try {
      while (!closed) {
        byte[] b = free.take();
        int n = 0;
        Throwable error = null;
        try {
          while (n < b.length) {
            int r = source.read(b, n, b.length - n);
            if (r < 0) break;
            n += r;
          }
        } catch (Throwable t) {
          error = t; // the bytes before the failure still go first
        }
        if (n > 0) full.put(new Chunk(b, n, null));
        if (error != null || n < b.length) {
          full.put(new Chunk(END, 0, error));
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the consumer
    }
  }

  @Override
  public int read() throws IOException {
    Chunk c = next();
    if (c == null) return -1;
    return c.bytes()[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    Chunk c = next();
    if (c == null) return -1;
    int n = Math.min(len, c.length() - pos);
    System.arraycopy(c.bytes(), pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    for (Chunk c; skipped < n && (c = next()) != null; ) {
      int k = (int) Math.min(n - skipped, c.length() - pos);
      pos += k;
      skipped += k;
    }
    return skipped;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.length() - pos;
  }

  /**
   * Makes {@code current} a chunk with bytes left and returns it; null at the end. A source failure
   * is thrown again on every call.
   */
  private @Nullable Chunk next() throws IOException {
    if (closed) throw new IOException("stream closed");
    while (!done && (current == null || pos >= current.length())) {
      if (current != null && current.bytes() != END) free.offer(current.bytes());
      try {
        current = full.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading ahead");
      }
      pos = 0;
      if (current.bytes() == END) {
        done = true;
        failure = current.error();
      }
    }
    if (failure != null) {
      if (failure instanceof IOException io) throw io;
      if (failure instanceof RuntimeException re) throw re;
      if (failure instanceof Error err) throw err;
      throw new IOException(failure);
    }
    return done ? null : current;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    source.close();
  }
}
