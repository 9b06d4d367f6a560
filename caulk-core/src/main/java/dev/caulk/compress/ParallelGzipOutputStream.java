package dev.caulk.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;

/**
 * gzip (RFC 1952) whose every byte is fixed by the input, compressed on every core.
 *
 * <p>The header is our own (no file name, mtime 0, XFL 0, OS 255 "unknown"), then one raw deflate
 * stream made of independent blocks, pigz-style: the input is cut into blocks of {@link #BLOCK}
 * bytes; each block is deflated on its own with the previous block's last 32 KiB as its dictionary,
 * and ends on a sync flush (an empty stored block, so the next one starts on a byte boundary); the
 * block after the last full one (possibly empty) finishes the stream. Blocks are compressed in
 * parallel and written in order, then the CRC-32/ISIZE trailer. Block boundaries depend on the
 * input only, so the output is byte-identical whatever the number of threads.
 *
 * <p>The deflate bytes come from the JDK's zlib: identical for the same zlib build, which is the
 * one caveat of gzip reproducibility across machines (zstd output depends only on the zstd-jni
 * version).
 */
public final class ParallelGzipOutputStream extends OutputStream {
  /**
   * The block size: large enough that the sync flushes and restarts cost almost nothing in size.
   */
  public static final int BLOCK = 1024 * 1024;

  private static final int DICTIONARY = 32 * 1024;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final ExecutorService SHARED =
      Executors.newFixedThreadPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "caulk-deflate");
            t.setDaemon(true);
            return t;
          });

  private final OutputStream out;
  private final int level;
  private final ExecutorService pool;
  private final int maxPending;
  private final CRC32 crc = new CRC32();
  private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] block = new byte[BLOCK];
  private byte @Nullable [] dictionary;
  private int fill;
  private long isize;
  private boolean closed;

  /**
   * Compresses on a shared pool of one daemon thread per core.
   *
   * @param level the deflate level, 0 (stored) to 9
   */
  public ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    this(out, level, SHARED, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Compresses on the given pool of {@code threads} threads (at most {@code 2 * threads} blocks in
   * flight, so memory stays bounded whatever the input size).
   */
  public ParallelGzipOutputStream(OutputStream out, int level, ExecutorService pool, int threads)
      throws IOException {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9, got " + level);
    }
    this.out = out;
    this.level = level;
    this.pool = pool;
    this.maxPending = 2 * Math.max(1, threads);
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) throw new IOException("stream closed");
    crc.update(b, off, len);
    isize += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK - fill);
      System.arraycopy(b, off, block, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == BLOCK) submit(false);
    }
  }

  /**
   * Hands the current block to the pool; keeps at most {@code maxPending} in flight, writing
   * finished ones in order.
   */
  private void submit(boolean last) throws IOException {
    byte[] input = fill == block.length ? block : Arrays.copyOf(block, fill);
    byte[] dict = dictionary;
    int lvl = level;
    pending.add(pool.submit(() -> deflate(input, dict, lvl, last)));
    if (!last) {
      dictionary = Arrays.copyOfRange(input, input.length - DICTIONARY, input.length);
      block = new byte[BLOCK];
      fill = 0;
    }
    while (pending.size() > maxPending) writeNext();
  }

  private void writeNext() throws IOException {
    Future<byte[]> f = pending.poll();
    try {
      out.write(f.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) throw io;
      throw new IOException("compression failed: " + c, c);
    }
  }

  /**
   * One block as raw deflate: primed with the dictionary, ended on a sync flush, or finishing the
   * stream.
   */
  static byte[] deflate(byte[] input, byte @Nullable [] dictionary, int level, boolean last) {
    Deflater d = new Deflater(level, true);
    try {
      if (dictionary != null) d.setDictionary(dictionary);
      d.setInput(input);
      if (last) d.finish();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(input.length / 2 + 64);
      byte[] buf = new byte[64 * 1024];
      if (last) {
        while (!d.finished()) bytes.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
      } else {
        int n;
        do {
          n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
          bytes.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
      }
      return bytes.toByteArray();
    } finally {
      d.end();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      submit(true);
      while (!pending.isEmpty()) writeNext();
      long c = crc.getValue();
      byte[] trailer = new byte[8];
      for (int i = 0; i < 4; i++) {
        trailer[i] = (byte) (c >>> (8 * i));
        trailer[4 + i] = (byte) (isize >>> (8 * i));
      }
      out.write(trailer);
    } finally {
      for (Future<byte[]> f : pending) f.cancel(true);
      out.close();
    }
  }
}
