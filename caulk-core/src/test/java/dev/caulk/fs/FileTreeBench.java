package dev.caulk.fs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.tar.BuiltLayer;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-off throughput figures, beside a baseline measured in the same run: {@code mvn -o -pl
 * caulk-core test -Dtest=FileTreeBench -Dcaulk.bench=true [-Dcaulk.bench.dir=/usr/share/go-1.19]}.
 */
@EnabledIfSystemProperty(named = "caulk.bench", matches = "true")
class FileTreeBench {
  @TempDir Path tmp;

  @Test
  void buildThroughput() throws IOException {
    Path dir = Path.of(System.getProperty("caulk.bench.dir", "/usr/share/go-1.19"));
    assumeTrue(Files.isDirectory(dir));
    long t0 = System.nanoTime();
    BuiltLayer l =
        new ReproducibleLayerBuilder().tree("/src", dir, 0, 0).build(tmp, LayerFormat.GZIP);
    double buildS = (System.nanoTime() - t0) / 1e9;
    double mb = l.uncompressedSize() / 1e6;
    System.out.printf(
        "layer: %s, %.1f MB tar, %.1f MB gzip, %d entries; builder %.2f s (%.0f MB/s)%n",
        dir, mb, l.size() / 1e6, l.entries(), buildS, mb / buildS);
    Image img = TestTars.imageOf(List.of(l.layer()));
    for (int round = 0; round < 3; round++) {
      long b0 = System.nanoTime();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(l.file()), 64 * 1024)) {
        Digest.sha256(in);
      }
      double base = (System.nanoTime() - b0) / 1e9;
      long f0 = System.nanoTime();
      FileTree t = FileTree.build(img);
      double tree = (System.nanoTime() - f0) / 1e9;
      long v0 = System.nanoTime();
      CapturingVisitor all = new CapturingVisitor(p -> true, 0);
      FileTree.build(
          img,
          FileTree.Options.defaults(),
          new ContentVisitor() {
            final byte[] buf = new byte[64 * 1024];

            @Override
            public boolean wants(Node f) {
              return true;
            }

            @Override
            public void accept(Node f, InputStream in) throws IOException {
              while (in.read(buf) >= 0) {
                /* a scanner would look at the bytes here */
              }
            }
          });
      double visited = (System.nanoTime() - v0) / 1e9;
      System.out.printf(
          "round %d: baseline gunzip+sha256 %.2f s (%.0f MB/s) | FileTree.build %.2f s (%.0f MB/s, %d paths) "
              + "| with a visitor reading every file (1 MiB cap) %.2f s (%.0f MB/s)%n",
          round, base, mb / base, tree, mb / tree, t.size(), visited, mb / visited);
      if (all.truncated("/x")) throw new AssertionError();
    }
  }
}
