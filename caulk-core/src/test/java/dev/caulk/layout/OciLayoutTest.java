package dev.caulk.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
  @TempDir Path tmp;

  private static long countFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void twoTagsShareBlobsAndReadBackExactly() throws IOException {
    Image a = MediaFixtures.image(tmp, "shared", "only-a");
    Image b = MediaFixtures.image(tmp, "shared", "only-b");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    assertEquals(a.digest(), layout.write(Artifact.of(a), "v1", null));
    assertEquals(b.digest(), layout.write(Artifact.of(b), "v2", null));

    assertEquals(List.of("v1", "v2"), OciLayout.open(tmp.resolve("oci")).tags());
    // a: 2 layers + config + manifest; b adds 1 layer + config + manifest (the shared layer is
    // stored once)
    assertEquals(7, countFiles(tmp.resolve("oci/blobs")));

    Image readA = layout.read("v1").image();
    assertEquals(a.digest(), readA.digest());
    assertArrayEquals(a.rawConfig(), readA.rawConfig());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(
          readAll(a.layers().get(i).uncompressed()), readAll(readA.layers().get(i).uncompressed()));
    }
    assertEquals(b.digest(), layout.read("v2").digest());
  }

  @Test
  void sameTagIsReplacedOthersKept() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    Image b = MediaFixtures.image(tmp, "b");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    layout.write(Artifact.of(a), "keep", null);
    layout.write(Artifact.of(a), "v1", null);
    layout.write(Artifact.of(b), "v1", null);
    assertEquals(List.of("keep", "v1"), layout.tags());
    assertEquals(b.digest(), layout.read("v1").digest());
    assertEquals(a.digest(), layout.read("keep").digest());
    assertEquals(2, layout.index().manifests().size());
  }

  @Test
  void nullTagNeedsASingleEntryAndMissingTagsAreListed() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    layout.write(Artifact.of(a), "one", null);
    assertEquals(a.digest(), layout.read(null).digest());
    layout.write(Artifact.of(MediaFixtures.image(tmp, "b")), "two", null);
    var e = assertThrows(InvalidLayoutException.class, () -> layout.read(null));
    assertTrue(e.getMessage().contains("one, two"), e.getMessage());
    var e2 = assertThrows(InvalidLayoutException.class, () -> layout.read("three"));
    assertTrue(
        e2.getMessage().contains("no entry tagged 'three' (tags: one, two)"), e2.getMessage());
  }

  @Test
  void indexWithTwoPlatformsRoundTrips() throws IOException {
    Image amd = MediaFixtures.image(tmp, Platform.LINUX_AMD64, false, "amd");
    Image arm = MediaFixtures.image(tmp, Platform.of("linux", "arm64", null), false, "arm");
    ImageIndex index = MediaFixtures.index(amd, arm);
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    assertEquals(index.digest(), layout.write(Artifact.of(index), "multi", null));

    Artifact back = OciLayout.open(tmp.resolve("oci")).read("multi");
    assertTrue(back.isIndex());
    assertEquals(index.digest(), back.digest());
    Image armBack = back.image(Platform.parse("linux/arm64"));
    assertEquals(arm.digest(), armBack.digest());
    assertEquals(
        arm.layers().get(0).diffId(),
        Digest.sha256(readAll(armBack.layers().get(0).uncompressed())));
    assertEquals(amd.digest(), back.image(Platform.LINUX_AMD64).digest());
  }

  @Test
  void failedWriteLeavesIndexAndTagsIntactAndNoTempFiles() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    layout.write(Artifact.of(a), "v1", null);
    byte[] indexBefore = Files.readAllBytes(tmp.resolve("oci/index.json"));

    Image b = MediaFixtures.image(tmp, "b1", "b2");
    List<Layer> layers = new ArrayList<>(b.layers());
    Layer broken = MediaFixtures.failing(layers.get(1), layers.get(1).size() / 2);
    layers.set(1, broken);
    Image bad = Images.of(b.config(), layers, false, null);
    var e = assertThrows(IOException.class, () -> layout.write(Artifact.of(bad), "v1", null));
    assertTrue(e.getMessage().contains("simulated failure"), e.getMessage());

    assertArrayEquals(indexBefore, Files.readAllBytes(tmp.resolve("oci/index.json")));
    try (Stream<Path> s = Files.walk(tmp.resolve("oci"))) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList());
    }
    assertFalse(layout.hasBlob(broken.digest()));
    assertEquals(a.digest(), layout.read("v1").digest());
    assertEquals(List.of("v1"), layout.tags());
  }

  @Test
  void layerWhoseBytesLieAboutTheirDigestIsNotStored() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    Layer real = a.layers().get(0);
    Layer lying =
        new Layer() {
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
          public InputStream uncompressed() throws IOException {
            return real.uncompressed();
          }

          @Override
          public InputStream compressed() {
            return new java.io.ByteArrayInputStream(new byte[(int) real.size()]);
          }
        };
    Image bad = Images.of(a.config(), List.of(lying), false, null);
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    var e =
        assertThrows(
            DigestMismatchException.class, () -> layout.write(Artifact.of(bad), "x", null));
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
    assertFalse(layout.hasBlob(real.digest()));
    assertEquals(List.of(), layout.tags());
  }

  @Test
  void existingBlobsAreSkippedAndProgressReported() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    List<Event> events = Collections.synchronizedList(new ArrayList<>());
    layout.write(Artifact.of(a), "v1", events::add);
    assertTrue(events.stream().anyMatch(ev -> ev instanceof Event.Progress p && p.finished()));
    events.clear();
    layout.write(Artifact.of(a), "v2", events::add);
    assertTrue(events.stream().noneMatch(ev -> ev instanceof Event.Progress));
    assertEquals(
        3,
        events.stream()
            .filter(ev -> ev instanceof Event.Log l && l.message().contains("already present"))
            .count());
  }

  @Test
  void missingBlobIsAClearError() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    layout.write(Artifact.of(a), "v1", null);
    Files.delete(tmp.resolve("oci/blobs/sha256/" + a.manifest().config().digest().hex()));
    Image read = layout.read("v1").image();
    var e = assertThrows(InvalidLayoutException.class, read::config);
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void corruptBlobFailsVerification() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    layout.write(Artifact.of(a), "v1", null);
    Path blob = tmp.resolve("oci/blobs/sha256/" + a.layers().get(0).digest().hex());
    byte[] b = Files.readAllBytes(blob);
    b[b.length - 1] ^= 1;
    Files.write(blob, b);
    Layer l = layout.read("v1").image().layers().get(0);
    assertThrows(DigestMismatchException.class, () -> readAll(l.compressed()));
  }

  @Test
  void symlinkedBlobsDirectoryOutsideIsRefused() throws IOException {
    Image a = MediaFixtures.image(tmp, "a");
    Path dir = tmp.resolve("oci");
    OciLayout layout = OciLayout.create(dir);
    layout.write(Artifact.of(a), "v1", null);
    Path outside = tmp.resolve("elsewhere");
    Files.move(dir.resolve("blobs"), outside);
    Files.createSymbolicLink(dir.resolve("blobs"), outside);

    var e = assertThrows(InvalidLayoutException.class, () -> OciLayout.open(dir).read("v1"));
    assertTrue(e.getMessage().contains("outside the layout"), e.getMessage());
    long before = countFiles(outside);
    var e2 =
        assertThrows(
            InvalidLayoutException.class,
            () ->
                OciLayout.open(dir)
                    .write(Artifact.of(MediaFixtures.image(tmp, "new")), "v2", null));
    assertTrue(e2.getMessage().contains("outside the layout"), e2.getMessage());
    assertEquals(before, countFiles(outside));
  }

  @Test
  void symlinkedIndexOutsideIsRefused() throws IOException {
    Path dir = tmp.resolve("oci");
    OciLayout.create(dir);
    Path secret = Files.writeString(tmp.resolve("secret"), "password=hunter2");
    Files.delete(dir.resolve("index.json"));
    Files.createSymbolicLink(dir.resolve("index.json"), secret);
    var e = assertThrows(InvalidLayoutException.class, () -> OciLayout.open(dir).tags());
    assertFalse(e.getMessage().contains("hunter2"));
    assertTrue(e.getMessage().contains("outside the layout"), e.getMessage());
  }

  @Test
  void notALayoutOrWrongVersionOrOversizedIndex() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(plain.resolve("file"), "x");
    assertTrue(
        assertThrows(InvalidLayoutException.class, () -> OciLayout.open(plain))
            .getMessage()
            .contains("oci-layout is missing"));
    assertTrue(
        assertThrows(InvalidLayoutException.class, () -> OciLayout.create(plain))
            .getMessage()
            .contains("not empty"));
    assertThrows(InvalidLayoutException.class, () -> OciLayout.open(tmp.resolve("absent")));

    Path v2 = tmp.resolve("v2");
    OciLayout.create(v2);
    Files.writeString(v2.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    assertTrue(
        assertThrows(InvalidLayoutException.class, () -> OciLayout.open(v2))
            .getMessage()
            .contains("2.0.0"));

    Path big = tmp.resolve("big");
    OciLayout layout = OciLayout.create(big);
    Files.write(big.resolve("index.json"), new byte[5 * 1024 * 1024]);
    assertTrue(
        assertThrows(InvalidLayoutException.class, layout::tags)
            .getMessage()
            .contains("larger than"));

    Files.writeString(big.resolve("index.json"), "{not json");
    var e = assertThrows(IOException.class, layout::tags);
    assertTrue(e.getMessage().contains("index.json: invalid JSON"), e.getMessage());
  }

  @Test
  void invalidTagIsRefusedBeforeWriting() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    Image a = MediaFixtures.image(tmp, "a");
    assertThrows(InvalidLayoutException.class, () -> layout.write(Artifact.of(a), "../evil", null));
    assertThrows(InvalidLayoutException.class, () -> layout.write(Artifact.of(a), "", null));
    assertFalse(Files.exists(tmp.resolve("oci/blobs")));
  }

  @Test
  void untaggedWriteAddsOneEntryPerDigest() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    Image a = MediaFixtures.image(tmp, "a");
    layout.write(Artifact.of(a), null, null);
    layout.write(Artifact.of(a), null, null);
    assertEquals(1, layout.index().manifests().size());
    assertEquals(List.of(), layout.tags());
    assertEquals(a.digest(), layout.read(null).digest());
    assertEquals(
        "{\"imageLayoutVersion\":\"1.0.0\"}",
        Files.readString(tmp.resolve("oci/oci-layout"), StandardCharsets.UTF_8));
  }

  @Test
  void concurrentWritersKeepEveryTag() throws Exception {
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < 6; i++) images.add(MediaFixtures.image(tmp, "shared", "f" + i));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<Digest>> done = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        Image img = images.get(i);
        String tag = "t" + i;
        done.add(
            pool.submit(
                () -> OciLayout.open(tmp.resolve("oci")).write(Artifact.of(img), tag, null)));
      }
      for (var f : done) f.get();
    } finally {
      pool.shutdown();
    }
    assertEquals(
        List.of("t0", "t1", "t2", "t3", "t4", "t5"), layout.tags().stream().sorted().toList());
    for (int i = 0; i < images.size(); i++)
      readAll(layout.read("t" + i).image().layers().get(1).uncompressed());
  }

  /** A long dotted tag overflowed the ref.name regex's stack; RE2/J matches it in linear time. */
  @Test
  void longDottedTagIsWrittenInLinearTime() throws IOException {
    Image a = MediaFixtures.image(tmp, "long-tag");
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    String tag = "a.".repeat(20_000) + "a";
    assertEquals(
        a.digest(),
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10), () -> layout.write(Artifact.of(a), tag, null)));
  }
}
