package dev.caulk.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.OciConversion;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker-format images written to OCI layouts: what changes (media types, the manifest digest),
 * what does not (bytes).
 */
class OciConversionTest {
  @TempDir Path tmp;

  @Test
  void dockerImageGetsOciMediaTypesAndKeepsItsBytes() throws IOException {
    Image docker = MediaFixtures.image(tmp, Platform.LINUX_AMD64, true, "a", "b");
    List<Event> events = new ArrayList<>();
    Digest written =
        OciLayout.create(tmp.resolve("oci")).write(Artifact.of(docker), "t", events::add);
    assertNotEquals(docker.digest(), written);
    Image back = OciLayout.open(tmp.resolve("oci")).read("t").image();
    assertEquals(written, back.digest());
    Manifest m = back.manifest();
    assertEquals(MediaType.OCI_MANIFEST, m.mediaType());
    assertEquals(MediaType.OCI_CONFIG, m.config().mediaType());
    assertArrayEquals(docker.rawConfig(), back.rawConfig(), "the config is not rewritten");
    for (int i = 0; i < m.layers().size(); i++) {
      assertEquals(MediaType.OCI_LAYER_GZIP, m.layers().get(i).mediaType());
      assertEquals(docker.layers().get(i).digest(), m.layers().get(i).digest());
    }
    List<String> warnings =
        events.stream()
            .filter(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN)
            .map(e -> ((Event.Log) e).message())
            .toList();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains(docker.digest() + " -> " + written), warnings.get(0));
  }

  @Test
  void ociImagesAreNotTouched() throws IOException {
    Image oci = MediaFixtures.image(tmp, "a");
    Artifact a = Artifact.of(oci);
    assertEquals(a, OciConversion.toOci(a));
    List<Event> events = new ArrayList<>();
    assertEquals(
        oci.digest(), OciLayout.create(tmp.resolve("oci")).write(a, "t", events::add, true));
    assertEquals(List.of(), events.stream().filter(e -> e instanceof Event.Log).toList());
  }

  @Test
  void preserveDigestsRefusesAndLeavesTheIndexAsItWas() throws IOException {
    Image docker = MediaFixtures.image(tmp, Platform.LINUX_AMD64, true, "a");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    InvalidLayoutException e =
        assertThrows(
            InvalidLayoutException.class, () -> layout.write(Artifact.of(docker), "t", null, true));
    assertTrue(
        e.getMessage().contains("--preserve-digests")
            && e.getMessage().contains(docker.digest().shortString()),
        e.getMessage());
    assertEquals(List.of(), layout.tags());
  }

  /**
   * Uncompressed Docker layers stay uncompressed; foreign layers become non-distributable OCI
   * layers with their URLs.
   */
  @Test
  void uncompressedAndForeignLayersKeepWhatTheyAre() throws IOException {
    Map<Digest, byte[]> store = new HashMap<>();
    byte[] tar = MediaFixtures.tar(Map.of("f", "x"));
    byte[] foreign = MediaFixtures.gzip(MediaFixtures.tar(Map.of("w", "y")));
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"windows\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(MediaFixtures.tar(Map.of("w", "y")))
                + "\",\""
                + Digest.sha256(tar)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    for (byte[] b : List.of(tar, foreign, config)) store.put(Digest.sha256(b), b);
    Descriptor f =
        new Descriptor(
            MediaType.DOCKER_LAYER_FOREIGN,
            Digest.sha256(foreign),
            foreign.length,
            List.of("https://mcr.microsoft.com/blob"),
            null,
            null,
            null,
            null);
    Manifest m =
        new Manifest(
            2,
            MediaType.DOCKER_MANIFEST,
            null,
            Descriptor.of(MediaType.DOCKER_CONFIG, Digest.sha256(config), config.length),
            List.of(f, Descriptor.of(MediaType.DOCKER_LAYER, Digest.sha256(tar), tar.length)),
            null,
            null);
    BlobSource blobs = d -> new ByteArrayInputStream(store.get(d.digest()));
    Image docker = Images.fromManifest(SpecJson.write(m), blobs, "test");
    Image oci = OciConversion.toOci(Artifact.of(docker)).image();
    Manifest om = oci.manifest();
    assertEquals(MediaType.OCI_LAYER_ND_GZIP, om.layers().get(0).mediaType());
    assertEquals(List.of("https://mcr.microsoft.com/blob"), om.layers().get(0).urls());
    assertEquals(MediaType.OCI_LAYER, om.layers().get(1).mediaType());
    assertEquals(
        MediaType.OCI_LAYER,
        oci.layers().get(1).mediaType(),
        "the layers say what the manifest says");
    assertEquals(Digest.sha256(tar), oci.layers().get(1).diffId());
  }

  /**
   * index.json is held to the bound it is read with: a write that would pass it fails and leaves
   * the layout readable.
   */
  @Test
  void indexJsonNeverGrowsPastWhatCaulkReadsBack() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    Image img = MediaFixtures.image(tmp, "a");
    layout.write(Artifact.of(img), "first", null);
    // Fill index.json to just under the bound with one entry carrying a large annotation.
    String pad = "x".repeat(SpecJson.MAX_MANIFEST_BYTES - 600);
    String index = Files.readString(tmp.resolve("oci/index.json"));
    String filled =
        index.replace(
            "\"org.opencontainers.image.ref.name\":\"first\"",
            "\"org.opencontainers.image.ref.name\":\"first\",\"pad\":\"" + pad + "\"");
    Files.writeString(tmp.resolve("oci/index.json"), filled);
    assertEquals(List.of("first"), layout.tags());
    InvalidLayoutException e =
        assertThrows(
            InvalidLayoutException.class,
            () -> layout.write(Artifact.of(img), "second-tag-with-a-long-name", null));
    assertTrue(
        e.getMessage().contains("index.json would grow to") && e.getMessage().contains("4194304"),
        e.getMessage());
    assertEquals(
        List.of("first"), OciLayout.open(tmp.resolve("oci")).tags(), "the layout still opens");
  }

  /**
   * A Docker image without layers (FROM scratch with metadata only) cannot become a valid OCI
   * manifest: one line, nothing written.
   */
  @Test
  void aDockerImageWithoutLayersIsRefused() throws IOException {
    Image empty = MediaFixtures.image(tmp, Platform.LINUX_AMD64, true);
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    IOException e =
        assertThrows(IOException.class, () -> layout.write(Artifact.of(empty), "t", null));
    assertTrue(
        e.getMessage().contains("has no layers") && e.getMessage().contains("docker-archive:"),
        e.getMessage());
    assertEquals(List.of(), layout.tags());
  }
}
