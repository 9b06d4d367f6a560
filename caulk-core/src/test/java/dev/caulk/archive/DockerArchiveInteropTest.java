package dev.caulk.archive;

import static dev.caulk.layout.MediaFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.name.Reference;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracles: skopeo reads caulk's archives; caulk reads skopeo's (classic format, symlinked layer
 * dirs).
 */
class DockerArchiveInteropTest {
  @TempDir Path tmp;

  @BeforeEach
  void skopeoInstalled() {
    assumeTrue(MediaFixtures.installed("skopeo"), "skopeo not installed");
  }

  private String skopeo(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    return run(tmp, cmd.toArray(String[]::new));
  }

  private static JsonNode json(String s) throws IOException {
    return SpecJson.tree(s.getBytes(StandardCharsets.UTF_8), "skopeo output");
  }

  @Test
  void skopeoReadsCaulksArchiveByEachTag() throws Exception {
    Image oci = MediaFixtures.image(tmp, "a", "b");
    Image docker = MediaFixtures.image(tmp, Platform.LINUX_AMD64, true, "a", "c");
    DockerArchive.write(
        tmp.resolve("caulk.tar"),
        List.of(
            new DockerArchive.Entry(oci, Reference.parse("example.com/team/app:v1")),
            new DockerArchive.Entry(docker, Reference.parse("busybox:1"))),
        null);

    JsonNode first = json(skopeo("inspect", "docker-archive:caulk.tar:example.com/team/app:v1"));
    assertEquals("example.com/team/app", first.path("Name").asText());
    // skopeo's docker-archive source decompresses layers and describes them by diffID
    assertEquals(
        oci.config().rootfs().diffIds().get(1).toString(), first.path("Layers").get(1).asText());
    JsonNode second = json(skopeo("inspect", "docker-archive:caulk.tar:busybox:1"));
    assertEquals("docker.io/library/busybox", second.path("Name").asText());
    JsonNode config = json(skopeo("inspect", "--config", "docker-archive:caulk.tar:busybox:1"));
    assertEquals(
        docker.config().rootfs().diffIds().get(1).toString(),
        config.path("rootfs").path("diff_ids").get(1).asText());
    JsonNode byIndex = json(skopeo("inspect", "docker-archive:caulk.tar:@1"));
    assertEquals(second.path("Layers"), byIndex.path("Layers"));

    // and copies it out (skopeo rewrites the config while converting to OCI; the diffIDs stay)
    skopeo("copy", "docker-archive:caulk.tar:busybox:1", "oci:out:b");
    Image copied = OciLayout.open(tmp.resolve("out")).read("b").image();
    assertEquals(docker.config().rootfs().diffIds(), copied.config().rootfs().diffIds());
    DockerArchiveTest.readLayers(copied);
  }

  @Test
  void caulkReadsSkopeosClassicArchive() throws Exception {
    Image oci = MediaFixtures.image(tmp, "hello.txt", "etc/motd");
    OciLayout.create(tmp.resolve("oci")).write(Artifact.of(oci), "v1", null);
    skopeo("copy", "oci:oci:v1", "docker-archive:skopeo.tar:example.com/foo/bar:v1");

    try (DockerArchive archive = DockerArchive.open(tmp.resolve("skopeo.tar"))) {
      assertEquals(List.of("example.com/foo/bar:v1"), archive.repoTags());
      Image back = archive.read("example.com/foo/bar:v1").image();
      assertEquals(MediaType.DOCKER_MANIFEST, back.mediaType());
      assertEquals(oci.config().rootfs().diffIds(), back.config().rootfs().diffIds());
      assertEquals(
          oci.config().rootfs().diffIds().get(0),
          back.layers().get(0).digest(),
          "skopeo stores layers uncompressed");
      DockerArchiveTest.readLayers(back);
      assertEquals(oci.manifest().config().digest(), back.manifest().config().digest());

      // what caulk read goes back out to a layout skopeo can read
      OciLayout.create(tmp.resolve("again")).write(Artifact.of(back), "x", null);
    }
    JsonNode inspect = json(skopeo("inspect", "--config", "docker-archive:skopeo.tar"));
    assertEquals("amd64", inspect.path("architecture").asText());
  }

  @Test
  void caulkArchiveRoundTripsThroughSkopeoToOciAndBack() throws Exception {
    Image docker = MediaFixtures.image(tmp, Platform.LINUX_AMD64, true, "x");
    DockerArchive.write(
        tmp.resolve("d.tar"),
        List.of(new DockerArchive.Entry(docker, Reference.parse("d:1"))),
        null);
    // Docker media types are invisible to skopeo in an OCI layout, so convert through the archive
    skopeo("copy", "--format", "oci", "docker-archive:d.tar:d:1", "oci:conv:d");
    Image converted = OciLayout.open(tmp.resolve("conv")).read("d").image();
    assertEquals(MediaType.OCI_MANIFEST, converted.mediaType());
    assertEquals(docker.config().rootfs().diffIds(), converted.config().rootfs().diffIds());
    DockerArchive.write(
        tmp.resolve("again.tar"),
        List.of(new DockerArchive.Entry(converted, Reference.parse("d:2"))),
        null);
    try (DockerArchive archive = DockerArchive.open(tmp.resolve("again.tar"))) {
      assertEquals(converted.digest(), archive.read("d:2").digest());
    }
    assertTrue(json(skopeo("inspect", "docker-archive:again.tar")).path("Layers").size() == 1);
  }
}
