package dev.caulk.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block-parallel gzip: valid gzip that gunzip and the JDK read, byte-identical for any thread
 * count.
 */
class ParallelGzipTest {
  @TempDir Path tmp;

  /** Compressible bytes: words from a small vocabulary with random noise, like code and text. */
  static byte[] input(int size, long seed) {
    Random r = new Random(seed);
    String[] words = {
      "layer", "image", "caulk", "digest", "sha256", "manifest", "\n", " ", "0x1f8b", "/usr/lib/"
    };
    ByteArrayOutputStream b = new ByteArrayOutputStream(size);
    while (b.size() < size) {
      if (r.nextInt(8) == 0) b.write(r.nextInt(256));
      else b.writeBytes(words[r.nextInt(words.length)].getBytes());
    }
    byte[] out = b.toByteArray();
    return java.util.Arrays.copyOf(out, size);
  }

  static byte[] gzip(byte[] data, int threads, int writeSize) throws IOException {
    return gzip(data, threads, writeSize, 6);
  }

  static byte[] gzip(byte[] data, int threads, int writeSize, int level) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, level, pool, threads)) {
        for (int off = 0; off < data.length; off += writeSize)
          gz.write(data, off, Math.min(writeSize, data.length - off));
      }
      return out.toByteArray();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sameBytesForAnyThreadCountAndWriteSize() throws IOException {
    byte[] data = input(5 * ParallelGzipOutputStream.BLOCK + 12345, 1);
    byte[] one = gzip(data, 1, 8192);
    assertArrayEquals(one, gzip(data, 4, 8192));
    assertArrayEquals(one, gzip(data, 2, 1_000_003));
    assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(one)).readAllBytes());
    assertTrue(one.length < data.length / 2, "still compresses: " + one.length);
  }

  @Test
  void edgeSizesAreValidGzip() throws Exception {
    for (int size :
        new int[] {
          0,
          1,
          ParallelGzipOutputStream.BLOCK - 1,
          ParallelGzipOutputStream.BLOCK,
          2 * ParallelGzipOutputStream.BLOCK,
          2 * ParallelGzipOutputStream.BLOCK + 1
        }) {
      byte[] data = input(size, size);
      byte[] gz = gzip(data, 3, 65536);
      assertArrayEquals(
          data, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), "size " + size);
      Path f = Files.write(tmp.resolve("f" + size + ".gz"), gz);
      Process p = new ProcessBuilder("gzip", "-t", f.toString()).redirectErrorStream(true).start();
      String msg = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), "gzip -t on size " + size + ": " + msg);
    }
  }

  /**
   * The dictionary carries matches across blocks: random bytes whose last 16 KiB repeat the 16 KiB
   * before the boundary.
   */
  @Test
  void blocksSeeThePreviousBlock() throws IOException {
    int b = ParallelGzipOutputStream.BLOCK;
    byte[] data = new byte[b + 16 * 1024];
    new Random(3).nextBytes(data);
    System.arraycopy(data, b - 16 * 1024, data, b, 16 * 1024);
    byte[] gz = gzip(data, 2, 65536);
    assertTrue(
        gz.length < b + 2048,
        "the repeat after the boundary must cost almost nothing: " + gz.length);
  }

  /**
   * A 10 MB input at every level the build accepts: one and four threads give the same bytes, so
   * the same sha256 (the layer digest), and gunzip accepts them.
   */
  @Test
  void sameDigestForOneAndFourThreadsAtEveryLevel() throws Exception {
    byte[] data = input(10 * 1024 * 1024 + 17, 7);
    int previous = Integer.MAX_VALUE;
    for (int level : new int[] {0, 1, 6, 9}) {
      byte[] one = gzip(data, 1, 65536, level);
      byte[] four = gzip(data, 4, 32768, level);
      assertEquals(Digest.sha256(one), Digest.sha256(four), "level " + level);
      assertArrayEquals(one, four, "level " + level);
      Path f = Files.write(tmp.resolve("l" + level + ".gz"), four);
      Process p = new ProcessBuilder("gunzip", "-c", f.toString()).start();
      byte[] back = p.getInputStream().readAllBytes();
      assertEquals(0, p.waitFor(), "gunzip on level " + level);
      assertEquals(Digest.sha256(data), Digest.sha256(back), "gunzip gives the input back");
      assertTrue(one.length <= previous, "level " + level + " is no larger than the one below");
      previous = one.length;
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new ParallelGzipOutputStream(new ByteArrayOutputStream(), 10));
  }
}
