package dev.caulk.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.name.Reference;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveTest {
  @TempDir Path tmp;

  static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  static void readLayers(Image image) throws IOException {
    for (Layer l : image.layers()) readAll(l.uncompressed());
  }

  private List<DockerArchive.Entry> twoImages(Image oci, Image docker) {
    return List.of(
        new DockerArchive.Entry(oci, Reference.parse("example.com/team/app:v1")),
        new DockerArchive.Entry(docker, Reference.parse("busybox")));
  }

  @Test
  void roundTripKeepsManifestDigestsAndFindsImagesByNormalisedTag() throws IOException {
    Image oci = MediaFixtures.image(tmp, "a", "b");
    Image docker = MediaFixtures.image(tmp, Platform.LINUX_AMD64, true, "a", "c");
    Path file = tmp.resolve("out.tar");
    DockerArchive.write(file, twoImages(oci, docker), null);

    try (DockerArchive archive = DockerArchive.open(file)) {
      assertEquals(List.of("example.com/team/app:v1", "busybox:latest"), archive.repoTags());
      assertEquals(oci.digest(), archive.read("example.com/team/app:v1").digest());
      assertEquals(docker.digest(), archive.read("busybox").digest());
      assertEquals(docker.digest(), archive.read("docker.io/library/busybox:latest").digest());
      assertEquals(docker.digest(), archive.read("@1").digest());
      Image back = archive.read("busybox:latest").image();
      assertArrayEquals(docker.rawConfig(), back.rawConfig());
      readLayers(back);
      assertEquals(MediaType.DOCKER_LAYER_GZIP, back.layers().get(1).mediaType());

      var e = assertThrows(InvalidArchiveException.class, () -> archive.read(null));
      assertEquals(
          "docker-archive "
              + file
              + ": holds 2 images; name one: @0 example.com/team/app:v1, @1 busybox:latest",
          e.getMessage());
      var e2 = assertThrows(InvalidArchiveException.class, () -> archive.read("busybox:2"));
      assertTrue(e2.getMessage().contains("no image tagged 'busybox:2' (has: @0"), e2.getMessage());
      assertThrows(InvalidArchiveException.class, () -> archive.read("@2"));
      assertThrows(InvalidArchiveException.class, () -> archive.read("@x"));
      assertThrows(InvalidArchiveException.class, () -> archive.read("busybox@" + oci.digest()));
    }
  }

  @Test
  void archiveIsDeterministicSortedAndOwnedByRoot() throws IOException {
    Image oci = MediaFixtures.image(tmp, "a");
    Image docker = MediaFixtures.image(tmp, Platform.LINUX_AMD64, true, "b");
    DockerArchive.write(tmp.resolve("one.tar"), twoImages(oci, docker), null);
    DockerArchive.write(tmp.resolve("two.tar"), twoImages(oci, docker), null);
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("one.tar")), Files.readAllBytes(tmp.resolve("two.tar")));

    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(Files.newInputStream(tmp.resolve("one.tar")))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertEquals(0, e.getModTime().getTime());
        assertEquals(0, e.getLongUserId());
        assertEquals(0, e.getLongGroupId());
      }
    }
    assertEquals(names.stream().sorted().toList(), names);
    assertTrue(
        names.containsAll(
            List.of(
                "blobs/",
                "blobs/sha256/",
                "index.json",
                "manifest.json",
                "oci-layout",
                "repositories")));
    // 2 manifests, 2 configs, 2 layers
    assertEquals(
        6, names.stream().filter(n -> n.startsWith("blobs/sha256/") && n.length() > 13).count());
  }

  @Test
  void untaggedAndRepeatedImagesShareOneManifestJsonEntry() throws IOException {
    Image oci = MediaFixtures.image(tmp, "a");
    Path file = tmp.resolve("out.tar");
    DockerArchive.write(
        file,
        List.of(
            new DockerArchive.Entry(oci, Reference.parse("x:1")),
            new DockerArchive.Entry(oci, Reference.parse("x:2")),
            new DockerArchive.Entry(oci, null)),
        null);
    try (DockerArchive archive = DockerArchive.open(file)) {
      assertEquals(List.of("x:1", "x:2"), archive.repoTags());
      assertEquals(oci.digest(), archive.read(null).digest());
      assertEquals(oci.digest(), archive.read("x:2").digest());
    }
  }

  @Test
  void failedWriteLeavesNoArchiveAndNoTempFile() throws IOException {
    Image good = MediaFixtures.image(tmp, "a");
    Path file = tmp.resolve("out.tar");
    DockerArchive.write(file, List.of(new DockerArchive.Entry(good, null)), null);
    byte[] before = Files.readAllBytes(file);

    Image b = MediaFixtures.image(tmp, "b1", "b2");
    List<Layer> layers = new ArrayList<>(b.layers());
    layers.set(1, MediaFixtures.failing(layers.get(1), 10));
    Image bad = Images.of(b.config(), layers, false, null);
    var e =
        assertThrows(
            IOException.class,
            () -> DockerArchive.write(file, List.of(new DockerArchive.Entry(bad, null)), null));
    assertTrue(e.getMessage().contains("simulated failure"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertThrows(
        IOException.class,
        () ->
            DockerArchive.write(
                tmp.resolve("new.tar"), List.of(new DockerArchive.Entry(bad, null)), null));
    assertFalse(Files.exists(tmp.resolve("new.tar")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
    }
  }

  /**
   * A classic (pre-25) docker save archive of the image, uncompressed layers as {@code
   * <id>/layer.tar}.
   */
  static CraftedTar classic(Image image, String repoTag) throws IOException {
    CraftedTar tar = new CraftedTar();
    String cfg = image.manifest().config().digest().hex() + ".json";
    tar.file(cfg, image.rawConfig());
    StringBuilder layers = new StringBuilder();
    int i = 0;
    for (Layer l : image.layers()) {
      String id = Digest.sha256("layer" + i++).hex();
      tar.file(id + "/VERSION", "1.0")
          .file(id + "/json", "{}")
          .file(id + "/layer.tar", readAll(l.compressed()));
      layers.append(layers.length() == 0 ? "" : ",").append('"').append(id).append("/layer.tar\"");
    }
    tar.file(
        "manifest.json",
        "[{\"Config\":\""
            + cfg
            + "\",\"RepoTags\":[\""
            + repoTag
            + "\"],\"Layers\":["
            + layers
            + "]}]");
    tar.file("repositories", "{}");
    return tar;
  }

  private Image classicImage(boolean gzip, String... files) throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (String f : files) layers.add(MediaFixtures.layer(tmp, Map.of(f, f), gzip, true));
    return Images.of(Images.scratch(Platform.LINUX_AMD64).config(), layers, true, null);
  }

  @Test
  void classicArchiveGetsASynthesisedDockerManifest() throws IOException {
    Image image = classicImage(false, "x", "y");
    Path file = classic(image, "old/app:1").write(tmp.resolve("classic.tar"));
    try (DockerArchive archive = DockerArchive.open(file)) {
      Image back = archive.read("docker.io/old/app:1").image();
      assertEquals(MediaType.DOCKER_MANIFEST, back.mediaType());
      assertEquals(MediaType.DOCKER_CONFIG, back.manifest().config().mediaType());
      assertArrayEquals(image.rawConfig(), back.rawConfig());
      assertEquals(
          image.digest(),
          back.digest(),
          "uncompressed layers: the synthesised manifest equals the original");
      for (int i = 0; i < 2; i++) {
        assertEquals(MediaType.DOCKER_LAYER, back.layers().get(i).mediaType());
        assertEquals(image.layers().get(i).diffId(), back.layers().get(i).digest());
      }
      readLayers(back);
    }
  }

  @Test
  void classicLayersAreSniffedGzipAndZstd() throws IOException {
    Image gz = classicImage(true, "g");
    try (DockerArchive archive =
        DockerArchive.open(classic(gz, "g:1").write(tmp.resolve("gz.tar")))) {
      Image back = archive.read(null).image();
      assertEquals(MediaType.DOCKER_LAYER_GZIP, back.layers().get(0).mediaType());
      assertEquals(gz.layers().get(0).digest(), back.layers().get(0).digest());
      readLayers(back);
    }
    byte[] tarBytes = MediaFixtures.tar(Map.of("z", "zstd content"));
    byte[] zst = com.github.luben.zstd.Zstd.compress(tarBytes);
    Path zfile = Files.write(tmp.resolve("layer.zst"), zst);
    Layer zl =
        dev.caulk.image.Layers.fromFile(
            zfile,
            dev.caulk.spec.Descriptor.of(MediaType.OCI_LAYER_ZSTD, Digest.sha256(zst), zst.length),
            Digest.sha256(tarBytes));
    Image z = Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(zl), false, null);
    try (DockerArchive archive =
        DockerArchive.open(classic(z, "z:1").write(tmp.resolve("z.tar")))) {
      Image back = archive.read("z:1").image();
      assertEquals(MediaType.OCI_MANIFEST, back.mediaType(), "Docker's types cannot say zstd");
      assertEquals(MediaType.OCI_LAYER_ZSTD, back.layers().get(0).mediaType());
      assertEquals(z.digest(), back.digest());
      readLayers(back);
    }
  }

  @Test
  void inArchiveSymlinkedLayerIsFollowed() throws IOException {
    Image image = classicImage(false, "x");
    String cfg = image.manifest().config().digest().hex() + ".json";
    Path file =
        new CraftedTar()
            .file(cfg, image.rawConfig())
            .file(
                image.layers().get(0).diffId().hex() + ".tar",
                readAll(image.layers().get(0).compressed()))
            .symlink("abc/layer.tar", "../" + image.layers().get(0).diffId().hex() + ".tar")
            .file(
                "manifest.json",
                "[{\"Config\":\"" + cfg + "\",\"RepoTags\":null,\"Layers\":[\"abc/layer.tar\"]}]")
            .write(tmp.resolve("sym.tar"));
    try (DockerArchive archive = DockerArchive.open(file)) {
      Image back = archive.read(null).image();
      assertEquals(image.digest(), back.digest());
      readLayers(back);
    }
  }

  @Test
  void ociLayoutTarWithoutManifestJsonIsReadByRefName() throws IOException {
    Image oci = MediaFixtures.image(tmp, "a");
    Path full = tmp.resolve("full.tar");
    DockerArchive.write(
        full, List.of(new DockerArchive.Entry(oci, Reference.parse("ghcr.io/o/r:v3"))), null);
    CraftedTar stripped = new CraftedTar();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(full))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isDirectory()
            || e.getName().equals("manifest.json")
            || e.getName().equals("repositories")) continue;
        stripped.file(e.getName(), in.readAllBytes());
      }
    }
    try (DockerArchive archive = DockerArchive.open(stripped.write(tmp.resolve("oci.tar")))) {
      assertEquals(List.of("ghcr.io/o/r:v3"), archive.repoTags());
      assertEquals(oci.digest(), archive.read("ghcr.io/o/r:v3").digest());
      assertEquals(oci.digest(), archive.read("v3").digest());
      assertEquals(oci.digest(), archive.read(null).digest());
      readLayers(archive.read(null).image());
    }
  }

  @Test
  void indexJsonWithoutTheManifestBlobFallsBackToSynthesis() throws IOException {
    Image oci = MediaFixtures.image(tmp, "a");
    Path full = tmp.resolve("full.tar");
    DockerArchive.write(full, List.of(new DockerArchive.Entry(oci, Reference.parse("r:1"))), null);
    CraftedTar stripped = new CraftedTar();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(full))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isDirectory() || e.getName().endsWith(oci.digest().hex())) continue;
        stripped.file(e.getName(), in.readAllBytes());
      }
    }
    try (DockerArchive archive = DockerArchive.open(stripped.write(tmp.resolve("stripped.tar")))) {
      Image back = archive.read("r:1").image();
      assertEquals(MediaType.DOCKER_MANIFEST, back.mediaType());
      assertEquals(MediaType.DOCKER_LAYER_GZIP, back.layers().get(0).mediaType());
      assertEquals(oci.layers().get(0).digest(), back.layers().get(0).digest());
      assertEquals(oci.manifest().config().digest(), back.manifest().config().digest());
      readLayers(back);
    }
  }
}
