package dev.caulk.image;

import dev.caulk.compress.Compressions;
import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.digest.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Checks a layer's diff-id while its compressed blob streams past, in the same pass: the bytes the
 * reader gets are handed (copied, at most 8 reads ahead) to a thread that decompresses and hashes
 * them. At the end of the blob, after its own digest was checked, the read that reaches the end
 * waits for that thread and fails if the blob does not decompress (a truncated gzip) or its
 * uncompressed digest is not the diff-id the config names. No second read of the blob, no temporary
 * copy. Closing the stream early stops the thread and checks nothing.
 */
final class DiffIdCheck implements VerifyingInputStream.Observer {
  private static final byte[] END = new byte[0];
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(8);
  private final Digest diffId;
  private final String label;
  private final Thread worker;
  private volatile @Nullable IOException failure;
  private volatile @Nullable String got;

  DiffIdCheck(Digest diffId, String label) {
    this.diffId = diffId;
    this.label = label;
    this.worker = new Thread(this::run, "caulk-diff-id");
    worker.setDaemon(true);
    worker.start();
  }

  private void run() {
    QueueStream source = new QueueStream();
    try (InputStream in = Compressions.decompress(source)) {
      MessageDigest md = diffId.newMessageDigest();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
      got = HexFormat.of().formatHex(md.digest());
    } catch (InterruptedIOException e) {
      return; // aborted
    } catch (IOException | RuntimeException e) {
      failure =
          new DigestMismatchException(
              label
                  + ": the layer does not decompress ("
                  + describe(e)
                  + "); it is truncated or corrupt");
    }
    // Whatever follows the compressed stream is read and dropped, so the reader never blocks on a
    // full queue.
    try {
      if (!source.ended)
        while (queue.take() != END) {
          /* dropped */
        }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank()
        ? e.getClass().getSimpleName()
        : m.replaceAll("\\p{Cntrl}", " ");
  }

  @Override
  public void bytes(byte[] b, int off, int len) throws IOException {
    IOException f = failure;
    if (f != null) throw f;
    put(Arrays.copyOfRange(b, off, off + len));
  }

  @Override
  public void end() throws IOException {
    put(END);
    try {
      worker.join();
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(label + ": interrupted");
    }
    if (failure != null) throw failure;
    if (got == null)
      throw new DigestMismatchException(
          label + ": the layer could not be checked against its diff-id");
    if (!got.equals(diffId.hex())) {
      throw new DigestMismatchException(
          label
              + ": diff-id mismatch: the uncompressed layer is "
              + diffId.algorithm()
              + ":"
              + got
              + ", the image config says "
              + diffId);
    }
  }

  @Override
  public void abort() {
    worker.interrupt();
  }

  private void put(byte[] chunk) throws IOException {
    try {
      queue.put(chunk);
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(label + ": interrupted");
    }
  }

  /** The worker's side of the queue, as a stream. */
  private final class QueueStream extends InputStream {
    private byte[] chunk = new byte[0];
    private int pos;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      while (pos == chunk.length) {
        if (ended) return -1;
        try {
          chunk = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("aborted");
        }
        pos = 0;
        if (chunk == END) {
          ended = true;
          return -1;
        }
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
