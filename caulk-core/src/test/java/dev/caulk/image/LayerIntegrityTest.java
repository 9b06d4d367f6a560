package dev.caulk.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.archive.DockerArchive;
import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copying a layer checks its diff-id as well as its digest, in the same pass: a compressed layer
 * whose uncompressed content is not what the config says, or that does not decompress, is never
 * written, whatever the source and destination.
 */
class LayerIntegrityTest {
  @TempDir Path tmp;

  private Image imageWith(byte[] stored, Digest diffId) throws IOException {
    Path file = tmp.resolve("layer-" + Digest.sha256(stored).hex() + ".tar.gz");
    Files.write(file, stored);
    Layer l =
        Layers.fromFile(
            file,
            Descriptor.of(
                MediaType.layerType(true, MediaType.Compression.GZIP),
                Digest.sha256(stored),
                stored.length),
            diffId);
    return Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(l), true, null);
  }

  private static byte[] tar() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 5000; i++) b.append("line ").append(i).append('\n');
    return MediaFixtures.tar(Map.of("etc/data", b.toString(), "bin/tool", "x".repeat(300_000)));
  }

  private List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private void refusedEverywhere(Image bad, String expected) throws IOException {
    Path out = Files.createDirectories(tmp.resolve("out-" + expected.hashCode()));
    DigestMismatchException a =
        assertThrows(
            DigestMismatchException.class,
            () ->
                DockerArchive.write(
                    out.resolve("a.tar"),
                    List.of(new DockerArchive.Entry(bad, Reference.parse("bad:1"))),
                    null));
    assertTrue(a.getMessage().contains(expected), a.getMessage());
    assertFalse(a.getMessage().contains("\n"));
    assertEquals(List.of(), files(out), "no archive and no temp file");

    OciLayout layout = OciLayout.create(out.resolve("layout"));
    DigestMismatchException o =
        assertThrows(
            DigestMismatchException.class, () -> layout.write(Artifact.of(bad), "x", null));
    assertTrue(o.getMessage().contains(expected), o.getMessage());
    Path blob = out.resolve("layout/blobs/sha256/" + bad.layers().get(0).digest().hex());
    assertFalse(Files.exists(blob), "the layer never lands in blobs/");
    assertTrue(
        files(out.resolve("layout")).stream()
            .noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
  }

  @Test
  void aDiffIdMismatchIsRefusedByEveryWriter() throws IOException {
    byte[] tar = tar();
    Image bad = imageWith(MediaFixtures.gzip(tar), Digest.sha256("something else".getBytes()));
    refusedEverywhere(
        bad,
        "diff-id mismatch: the uncompressed layer is "
            + Digest.sha256(tar)
            + ", the image config says "
            + Digest.sha256("something else".getBytes()));
  }

  @Test
  void aTruncatedGzipLayerIsRefusedByEveryWriter() throws IOException {
    byte[] tar = tar();
    byte[] gz = MediaFixtures.gzip(tar);
    Image bad = imageWith(Arrays.copyOf(gz, gz.length - 100), Digest.sha256(tar));
    refusedEverywhere(bad, "the layer does not decompress");
  }

  @Test
  void aGoodLayerRoundTripsAndReadingPartOfItChecksNothing() throws IOException {
    byte[] tar = tar();
    byte[] gz = MediaFixtures.gzip(tar);
    Image good = imageWith(gz, Digest.sha256(tar));
    Path archive = tmp.resolve("good.tar");
    DockerArchive.write(
        archive, List.of(new DockerArchive.Entry(good, Reference.parse("good:1"))), null);
    try (DockerArchive a = DockerArchive.open(archive)) {
      Image back = a.read(null).image();
      try (InputStream in = back.layers().get(0).compressed()) {
        assertArrayEquals(gz, in.readAllBytes());
      }
      try (InputStream in = back.layers().get(0).compressed()) {
        assertEquals(10, in.readNBytes(10).length); // closed early: the check stops quietly
      }
      OciLayout.create(tmp.resolve("good-layout"))
          .write(Artifact.of(back), "x", null); // converted to OCI: a new digest
      assertTrue(
          Files.exists(
              tmp.resolve("good-layout/blobs/sha256/" + back.layers().get(0).digest().hex())));
    }
  }

  @Test
  void aBadLayerReadBackFromADockerArchiveIsRefusedOnCopy() throws IOException {
    // the CLI shape: caulk copy docker-archive:bad.tar docker-archive:out.tar
    byte[] tar = tar();
    Image bad = imageWith(MediaFixtures.gzip(tar), Digest.sha256("other".getBytes()));
    Path src = tmp.resolve("bad.tar");
    // written without the check, as another tool would
    Path raw = tmp.resolve("layer-" + bad.layers().get(0).digest().hex() + ".tar.gz");
    Image unchecked =
        Images.of(bad.config(), List.of(new UncheckedLayer(bad.layers().get(0), raw)), true, null);
    DockerArchive.write(
        src, List.of(new DockerArchive.Entry(unchecked, Reference.parse("bad:1"))), null);
    try (DockerArchive a = DockerArchive.open(src)) {
      Image back = a.read(null).image();
      DigestMismatchException e =
          assertThrows(
              DigestMismatchException.class,
              () ->
                  DockerArchive.write(
                      tmp.resolve("out.tar"),
                      List.of(new DockerArchive.Entry(back, Reference.parse("bad:1"))),
                      null));
      assertTrue(e.getMessage().contains("diff-id mismatch"), e.getMessage());
      assertFalse(Files.exists(tmp.resolve("out.tar")));
    }
  }

  /**
   * A layer whose compressed stream is the raw file, as a tool that checks nothing would write it.
   */
  private record UncheckedLayer(Layer real, Path file) implements Layer {
    @Override
    public Digest digest() {
      return real.digest();
    }

    @Override
    public Digest diffId() {
      return real.diffId();
    }

    @Override
    public long size() {
      return real.size();
    }

    @Override
    public String mediaType() {
      return real.mediaType();
    }

    @Override
    public Descriptor descriptor() {
      return real.descriptor();
    }

    @Override
    public InputStream uncompressed() throws IOException {
      return real.uncompressed();
    }

    @Override
    public InputStream compressed() throws IOException {
      return Files.newInputStream(file);
    }
  }
}
