package dev.caulk.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ImagesTest {
  /** An in-memory blob store: digest → bytes. */
  static final class Blobs implements BlobSource {
    final Map<Digest, byte[]> map = new HashMap<>();

    Descriptor put(String mediaType, byte[] b) {
      Digest d = Digest.sha256(b);
      map.put(d, b);
      return Descriptor.of(mediaType, d, b.length);
    }

    @Override
    public InputStream open(Descriptor d) throws IOException {
      byte[] b = map.get(d.digest());
      if (b == null) throw new IOException("blob unknown " + d.digest());
      return new ByteArrayInputStream(b);
    }
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  static Image sampleImage(Blobs blobs, byte[] tar) throws IOException {
    byte[] gz = gzip(tar);
    Descriptor ld = blobs.put(MediaType.OCI_LAYER_GZIP, gz);
    Layer layer = Layers.fromBlobs(ld, Digest.sha256(tar), blobs, "test");
    ConfigFile cfg = Images.scratch(Platform.LINUX_AMD64).config();
    Image built = Images.of(cfg, List.of(layer), false, null);
    blobs.put(MediaType.OCI_CONFIG, built.rawConfig());
    return built;
  }

  @Test
  void builtImageIsConsistentAndReadsBackFromItsManifest() throws IOException {
    Blobs blobs = new Blobs();
    byte[] tar = "not really a tar but bytes".getBytes(StandardCharsets.UTF_8);
    Image built = sampleImage(blobs, tar);
    assertEquals(List.of(Digest.sha256(tar)), built.config().rootfs().diffIds());
    assertEquals(Digest.sha256(built.rawConfig()), built.manifest().config().digest());

    Image read = Images.fromManifest(built.rawManifest(), blobs, "test");
    assertEquals(built.digest(), read.digest());
    assertArrayEquals(built.rawConfig(), read.rawConfig());
    Layer l = read.layers().get(0);
    try (InputStream in = l.uncompressed()) {
      assertArrayEquals(tar, in.readAllBytes());
    }
    assertEquals("linux/amd64", read.config().platform().toString());
  }

  @Test
  void sameInputsGiveSameDigest() throws IOException {
    byte[] tar = "abc".getBytes(StandardCharsets.UTF_8);
    assertEquals(sampleImage(new Blobs(), tar).digest(), sampleImage(new Blobs(), tar).digest());
  }

  @Test
  void corruptLayerFailsVerification() throws IOException {
    Blobs blobs = new Blobs();
    Image built = sampleImage(blobs, "payload".getBytes(StandardCharsets.UTF_8));
    Digest ld = built.manifest().layers().get(0).digest();
    byte[] stored = blobs.map.get(ld).clone();
    stored[stored.length - 1] ^= 1; // flips a byte of the gzip trailer
    blobs.map.put(ld, stored);
    Image read = Images.fromManifest(built.rawManifest(), blobs, "img");
    assertThrows(IOException.class, () -> read.layers().get(0).uncompressed().readAllBytes());
    DigestMismatchException e =
        assertThrows(
            DigestMismatchException.class, () -> read.layers().get(0).compressed().readAllBytes());
    assertTrue(
        e.getMessage().startsWith("img: layer " + ld.shortString() + ": digest mismatch"),
        e.getMessage());
  }

  @Test
  void wrongDiffIdFails() throws IOException {
    Blobs blobs = new Blobs();
    byte[] gz = gzip("x".getBytes(StandardCharsets.UTF_8));
    Descriptor ld = blobs.put(MediaType.OCI_LAYER_GZIP, gz);
    Layer layer = Layers.fromBlobs(ld, Digest.sha256("y"), blobs, "test");
    assertThrows(DigestMismatchException.class, () -> layer.uncompressed().readAllBytes());
  }

  @Test
  void tamperedConfigIsRejected() throws IOException {
    Blobs blobs = new Blobs();
    Image built = sampleImage(blobs, "t".getBytes(StandardCharsets.UTF_8));
    blobs.map.put(
        built.manifest().config().digest(),
        "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8));
    Image read = Images.fromManifest(built.rawManifest(), blobs, "img");
    assertThrows(DigestMismatchException.class, read::config);
  }

  @Test
  void invalidJsonGivesOneLineError() {
    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class,
            () ->
                Images.fromManifest(
                    "{\"schemaVersion\": 2, \"config\": ".getBytes(StandardCharsets.UTF_8),
                    new Blobs(),
                    "m"));
    assertTrue(e.getMessage().startsWith("m: invalid JSON"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
    assertThrows(
        InvalidSpecException.class,
        () -> Images.open("[]".getBytes(StandardCharsets.UTF_8), null, new Blobs(), "m"));
    assertThrows(
        InvalidSpecException.class,
        () ->
            Images.open(
                "{\"schemaVersion\":1,\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8),
                null,
                new Blobs(),
                "m"));
  }

  @Test
  void indexPicksPlatform() throws IOException {
    Blobs blobs = new Blobs();
    Image amd = sampleImage(blobs, "amd".getBytes(StandardCharsets.UTF_8));
    Descriptor amdD =
        blobs
            .put(MediaType.OCI_MANIFEST, amd.rawManifest())
            .withPlatform(Platform.parse("linux/amd64"));
    Image arm =
        Images.of(
            amd.config().withPlatform(Platform.parse("linux/arm64/v8")), amd.layers(), false, null);
    blobs.put(MediaType.OCI_CONFIG, arm.rawConfig());
    Descriptor armD =
        blobs
            .put(MediaType.OCI_MANIFEST, arm.rawManifest())
            .withPlatform(Platform.parse("linux/arm64"));
    byte[] rawIndex = SpecJson.write(Index.of(MediaType.OCI_INDEX, List.of(amdD, armD)));
    Artifact a = Images.open(rawIndex, null, blobs, "idx");
    assertTrue(a.isIndex());
    assertEquals(arm.digest(), a.image(Platform.parse("linux/arm64/v8")).digest());
    assertEquals(amd.digest(), a.image(Platform.LINUX_AMD64).digest());
    IOException e = assertThrows(IOException.class, () -> a.image(Platform.parse("linux/s390x")));
    assertTrue(
        e.getMessage()
            .contains(amd.digest() + " (linux/amd64), " + arm.digest() + " (linux/arm64)"),
        e.getMessage());
  }

  @Test
  void platformParsing() {
    assertEquals("linux/arm/v7", Platform.parse("linux/arm/v7").toString());
    assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux"));
    assertThrows(IllegalArgumentException.class, () -> Platform.parse("a/b/c/d"));
  }
}
