package dev.caulk.layout;

import static dev.caulk.layout.MediaFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.image.Layer;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracles: skopeo and umoci must read what caulk writes, and caulk must read what skopeo writes.
 */
class OciLayoutInteropTest {
  @TempDir Path tmp;

  static JsonNode json(String s) throws IOException {
    return SpecJson.tree(s.getBytes(StandardCharsets.UTF_8), "tool output");
  }

  static String skopeo(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    return run(cwd, cmd.toArray(String[]::new));
  }

  private static void readLayers(Image image) throws IOException {
    for (Layer l : image.layers()) {
      try (InputStream in = l.uncompressed()) {
        in.readAllBytes();
      }
    }
  }

  @Test
  void skopeoReadsAndCopiesCaulksLayoutAndCaulkReadsSkopeosCopy() throws Exception {
    assumeTrue(MediaFixtures.installed("skopeo"), "skopeo not installed");
    Image a = MediaFixtures.image(tmp, "hello.txt", "etc/motd");
    Image b = MediaFixtures.image(tmp, "hello.txt", "other.txt");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    layout.write(Artifact.of(a), "v1", null);
    layout.write(Artifact.of(b), "v2", null);

    JsonNode inspect = json(skopeo(tmp, "inspect", "oci:oci:v1"));
    assertEquals(a.digest().toString(), inspect.path("Digest").asText());
    assertEquals("amd64", inspect.path("Architecture").asText());
    JsonNode config = json(skopeo(tmp, "inspect", "--config", "oci:oci:v2"));
    assertEquals(
        b.config().rootfs().diffIds().get(1).toString(),
        config.path("rootfs").path("diff_ids").get(1).asText());

    skopeo(tmp, "copy", "oci:oci:v1", "oci:copy:v1");
    skopeo(tmp, "copy", "oci:oci:v2", "oci:copy:v2");
    OciLayout copy = OciLayout.open(tmp.resolve("copy"));
    assertEquals(List.of("v1", "v2"), copy.tags());
    Image back = copy.read("v2").image();
    assertEquals(b.digest(), back.digest());
    readLayers(back);
    assertEquals(a.digest(), copy.read("v1").digest());
  }

  @Test
  void indexWithTwoPlatformsSurvivesSkopeoCopyAll() throws Exception {
    assumeTrue(MediaFixtures.installed("skopeo"), "skopeo not installed");
    Image amd = MediaFixtures.image(tmp, Platform.LINUX_AMD64, false, "amd");
    Image arm = MediaFixtures.image(tmp, Platform.of("linux", "arm64", null), false, "arm");
    ImageIndex index = MediaFixtures.index(amd, arm);
    OciLayout.create(tmp.resolve("oci")).write(Artifact.of(index), "multi", null);

    JsonNode raw = json(skopeo(tmp, "inspect", "--raw", "oci:oci:multi"));
    assertEquals(2, raw.path("manifests").size());
    // skopeo reports the index's digest and the chosen platform's config and layers
    JsonNode armInspect = json(skopeo(tmp, "--override-arch", "arm64", "inspect", "oci:oci:multi"));
    assertEquals(index.digest().toString(), armInspect.path("Digest").asText());
    assertEquals("arm64", armInspect.path("Architecture").asText());
    assertEquals(
        arm.layers().get(0).digest().toString(), armInspect.path("Layers").get(0).asText());

    skopeo(tmp, "copy", "--all", "oci:oci:multi", "oci:copy:multi");
    Artifact back = OciLayout.open(tmp.resolve("copy")).read("multi");
    assertTrue(back.isIndex());
    assertEquals(index.digest(), back.digest());
    readLayers(back.image(Platform.parse("linux/arm64")));
  }

  @Test
  void skopeoConvertedLayoutIsReadable() throws Exception {
    assumeTrue(MediaFixtures.installed("skopeo"), "skopeo not installed");
    Image a = MediaFixtures.image(tmp, "x");
    OciLayout.create(tmp.resolve("oci")).write(Artifact.of(a), "v1", null);
    // A conversion on the way (uncompressed layers) gives skopeo's own manifest, config and blobs.
    skopeo(
        tmp,
        "copy",
        "--format",
        "oci",
        "--dest-compress-format",
        "zstd",
        "oci:oci:v1",
        "oci:conv:latest");
    OciLayout conv = OciLayout.open(tmp.resolve("conv"));
    Image back = conv.read(null).image();
    assertFalse(a.digest().equals(back.digest()), "recompressed to zstd: a new manifest");
    assertEquals(a.config().rootfs().diffIds(), back.config().rootfs().diffIds());
    readLayers(back);
  }

  @Test
  void umociUnpacksCaulksLayout() throws Exception {
    assumeTrue(MediaFixtures.installed("umoci"), "umoci not installed");
    Image a = MediaFixtures.image(tmp, "hello.txt", "etc/motd");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    layout.write(Artifact.of(a), "v1", null);
    layout.write(Artifact.of(MediaFixtures.image(tmp, "other")), "v2", null);
    run(tmp, "umoci", "unpack", "--rootless", "--image", "oci:v1", "bundle");
    assertEquals("content of etc/motd\n", Files.readString(tmp.resolve("bundle/rootfs/etc/motd")));
    assertEquals(
        "content of hello.txt\n", Files.readString(tmp.resolve("bundle/rootfs/hello.txt")));
    assertFalse(Files.exists(tmp.resolve("bundle/rootfs/other")));
    assertTrue(Files.exists(tmp.resolve("bundle/config.json")));
  }

  @Test
  void caulkReadsUmociWrittenLayout() throws Exception {
    assumeTrue(MediaFixtures.installed("umoci"), "umoci not installed");
    run(tmp, "umoci", "init", "--layout", "u");
    run(tmp, "umoci", "new", "--image", "u:base");
    Files.createDirectories(tmp.resolve("bundle"));
    run(tmp, "umoci", "unpack", "--rootless", "--image", "u:base", "bundle");
    Files.writeString(tmp.resolve("bundle/rootfs/greeting"), "hi from umoci\n");
    run(tmp, "umoci", "repack", "--image", "u:next", "bundle");

    OciLayout u = OciLayout.open(tmp.resolve("u"));
    assertEquals(List.of("base", "next"), u.tags().stream().sorted().toList());
    Image next = u.read("next").image();
    assertEquals(1, next.layers().size());
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(next.layers().get(0).uncompressed())) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) names.add(e.getName());
      tar.transferTo(OutputStream.nullOutputStream());
    }
    assertTrue(names.stream().anyMatch(n -> n.endsWith("greeting")), names.toString());
  }
}
