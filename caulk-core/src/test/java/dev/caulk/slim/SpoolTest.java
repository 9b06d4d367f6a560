package dev.caulk.slim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.fs.FileTree;
import dev.caulk.fs.Spool;
import dev.caulk.image.Image;
import dev.caulk.mutate.Mutate;
import dev.caulk.spec.History;
import dev.caulk.tar.TestTars;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-pass spool (docs/slim.md "Temporary disk"): the first pass spools only what the plan may
 * read, the second only what the result keeps, and the results are byte-identical to spooling
 * everything.
 */
class SpoolTest {
  @TempDir Path tmp;

  @AfterEach
  void reset() {
    ImageFiles.firstPassSpoolsAll = false;
  }

  /**
   * TinyDebian plus large data files: one a later layer replaces after a hard link kept its first
   * version, one kept by harden only.
   */
  private static Image withLargeFiles() throws Exception {
    Image base = TinyDebian.image(TinyDebian.config().build());
    byte[] big = new byte[3 << 20];
    Arrays.fill(big, (byte) 'a');
    byte[] other = new byte[2 << 20];
    Arrays.fill(other, (byte) 'b');
    byte[] zeros = new byte[24 << 20];
    Image one =
        Mutate.appendLayers(
            base,
            List.of(
                TestTars.layer(
                    TestTars.tar()
                        .file("data/big", big, 0644, 0, 0)
                        .hardlink("data/big-link", "data/big")
                        .file("data/zeros", zeros, 0644, 0, 0)
                        .bytes())),
            List.of(new History("2026-01-01T00:00:00Z", null, "data", null, false)));
    return Mutate.appendLayers(
        one,
        List.of(TestTars.layer(TestTars.tar().file("data/big", other, 0644, 0, 0).bytes())),
        List.of(new History("2026-01-01T00:00:00Z", null, "replace", null, false)));
  }

  @Test
  void theFirstPassLeavesLargeDataFilesAsPlaceholdersAndFetchesThemOnDemand() throws Exception {
    Image image = withLargeFiles();
    try (ImageFiles files = ImageFiles.load(image, FileTree.Options.defaults(), tmp)) {
      long first = files.spooledBytes();
      assertTrue(first < 4 << 20, "ELF files, /etc, dpkg and small files only: " + first);
      Spool.Ref zeros = files.ref("/data/zeros").orElseThrow();
      assertEquals(-1, zeros.offset(), "a placeholder");
      assertEquals(24 << 20, zeros.length());
      Spool.Ref link = files.ref("/data/big-link").orElseThrow();
      Spool.Ref big = files.ref("/data/big").orElseThrow();
      assertTrue(
          link.id() != big.id(),
          "the link shares the first version, which the later layer replaced");
      files.fetch(List.of("/data/big-link"));
      assertEquals(first + (3 << 20), files.spooledBytes(), "only the kept version is spooled");
      try (InputStream in = files.open(link)) {
        byte[] b = in.readAllBytes();
        assertEquals(3 << 20, b.length);
        assertEquals('a', b[0]);
        assertEquals('a', b[b.length - 1]);
      }
      try (InputStream in = files.open(big)) {
        byte[] b = in.readAllBytes();
        assertEquals(2 << 20, b.length);
        assertEquals('b', b[0]);
      }
      assertEquals(
          first + (5 << 20), files.spooledBytes(), "read before the second pass: fetched alone");
      files.fetch(List.of("/data/big", "/data/big-link"));
      assertEquals(first + (5 << 20), files.spooledBytes(), "nothing fetched twice");
      assertTrue(files.read("/data/zeros", 1 << 20).isEmpty(), "larger than asked for");
      assertEquals(first + (5 << 20), files.spooledBytes(), "so not fetched");
      assertTrue(files.read("/etc/passwd", 1 << 20).isPresent());
    }
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "every spool file deleted");
    }
  }

  @Test
  void slimOfAnImageWithABombLayerSpoolsOnlyWhatItKeeps() throws Exception {
    Image image = withLargeFiles();
    // 8 MiB: less than the 29 MiB of data files, which slim drops; harden keeps them and passes the
    // limit
    Slimmer.Result slim =
        Slimmer.slim(image, Slimmer.Options.defaults().withTempDir(tmp).withMaxSpoolBytes(8 << 20));
    assertEquals(1, slim.image().layers().size());
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () ->
                Slimmer.harden(
                    image, Slimmer.Options.defaults().withTempDir(tmp).withMaxSpoolBytes(8 << 20)));
    assertTrue(
        e.getMessage().startsWith("harden: the image's files take more than 8.0 MiB"),
        e.getMessage());
  }

  @Test
  void twoPassesWriteTheSameBytesAsOne() throws Exception {
    Image image = withLargeFiles();
    Image slim2 = Slimmer.slim(image, Slimmer.Options.defaults().withTempDir(tmp)).image();
    Image harden2 = Slimmer.harden(image, Slimmer.Options.defaults().withTempDir(tmp)).image();
    ImageFiles.firstPassSpoolsAll = true;
    Image slim1 = Slimmer.slim(image, Slimmer.Options.defaults().withTempDir(tmp)).image();
    Image harden1 = Slimmer.harden(image, Slimmer.Options.defaults().withTempDir(tmp)).image();
    assertEquals(slim1.digest(), slim2.digest());
    assertEquals(harden1.digest(), harden2.digest());
    assertEquals(harden1.layers().get(0).diffId(), harden2.layers().get(0).diffId());
    SlimTest.Result h =
        SlimTest.read(Slimmer.harden(image, Slimmer.Options.defaults().withTempDir(tmp)));
    assertTrue(h.text("/data/big").startsWith("bbbb"), "the final version");
  }
}
