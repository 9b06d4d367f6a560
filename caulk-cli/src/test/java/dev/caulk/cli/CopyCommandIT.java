package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import dev.caulk.tar.BuiltLayer;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.ImageFixtures;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * caulk copy, inspect, digest and tags end to end: against Debian's real registry (plain and with
 * Basic auth), through a fault-injecting proxy, and with skopeo and umoci as oracles.
 */
class CopyCommandIT {
  @RegisterExtension
  static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  @RegisterExtension
  static final RegistryExtension BASIC = RegistryExtension.of(TestRegistry.Mode.BASIC);

  @TempDir static Path shared;
  static Path source;
  static Digest sourceDigest;
  static Digest bigDigest;

  /**
   * One small image and one with a 3 MiB random layer (so faults can hit mid-upload), in an OCI
   * layout.
   */
  @BeforeAll
  static void images() throws IOException {
    source = shared.resolve("src");
    Image small =
        MediaFixtures.image(Files.createDirectories(shared.resolve("blobs")), "a.txt", "b.txt");
    OciLayout layout = OciLayout.create(source);
    sourceDigest = layout.write(Artifact.of(small), "small", e -> {});
    ReproducibleLayerBuilder rb = new ReproducibleLayerBuilder();
    rb.file("/data/random.bin", ImageFixtures.randomBytes(42, 3 * 1024 * 1024), 0644, 0, 0);
    BuiltLayer big = rb.build(Files.createDirectories(shared.resolve("big")), LayerFormat.GZIP);
    Image bigImage =
        Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(big.layer()), false, null);
    bigDigest = layout.write(Artifact.of(bigImage), "big", e -> {});
  }

  static String reg(RegistryExtension r, String repo) {
    return "docker://" + r.registry().host() + "/" + repo;
  }

  @Test
  void roundTripThroughEveryMediumKeepsTheDigest(@TempDir Path tmp) {
    String r1 = reg(PLAIN, "round/one:v1");
    Cli.Run push = Cli.run("copy", "oci:" + source + ":small", r1);
    assertEquals(0, push.exit(), push.toString());
    assertEquals(PLAIN.registry().host() + "/round/one:v1@" + sourceDigest, push.out().trim());
    assertEquals(0, Cli.run("copy", r1, "oci:" + tmp.resolve("layout") + ":x").exit());
    assertEquals(
        0,
        Cli.run(
                "copy",
                "oci:" + tmp.resolve("layout") + ":x",
                "docker-archive:" + tmp.resolve("a.tar") + ":round/one:v1")
            .exit());
    Cli.Run back =
        Cli.run("copy", "docker-archive:" + tmp.resolve("a.tar"), reg(PLAIN, "round/two:v2"));
    assertEquals(0, back.exit(), back.toString());
    assertTrue(back.out().trim().endsWith("@" + sourceDigest), back.out());
    Cli.Run digest = Cli.run("digest", reg(PLAIN, "round/two:v2"));
    assertEquals(sourceDigest.toString(), digest.out().trim());
    assertEquals("", digest.err(), "nothing on stderr when it is not a terminal");
  }

  @Test
  void skopeoAndUmociReadWhatCaulkWrites(@TempDir Path tmp) throws Exception {
    assertEquals(
        0, Cli.run("copy", "oci:" + source + ":small", reg(PLAIN, "interop/app:1")).exit());
    String inspect =
        MediaFixtures.run(
            tmp, "skopeo", "inspect", "--tls-verify=false", reg(PLAIN, "interop/app:1"));
    assertEquals(
        sourceDigest.toString(), SpecJson.mapper().readTree(inspect).path("Digest").asText());
    assertEquals(
        0,
        Cli.run(
                "copy",
                "oci:" + source + ":small",
                "docker-archive:" + tmp.resolve("c.tar") + ":interop/app:1")
            .exit());
    MediaFixtures.run(tmp, "skopeo", "inspect", "docker-archive:" + tmp.resolve("c.tar"));
    MediaFixtures.run(
        tmp,
        "umoci",
        "unpack",
        "--rootless",
        "--image",
        source + ":small",
        tmp.resolve("bundle").toString());
    assertEquals("content of a.txt\n", Files.readString(tmp.resolve("bundle/rootfs/a.txt")));
  }

  @Test
  void caulkReadsWhatSkopeoWrites(@TempDir Path tmp) throws Exception {
    MediaFixtures.run(
        tmp,
        "skopeo",
        "copy",
        "oci:" + source + ":small",
        "--dest-tls-verify=false",
        reg(PLAIN, "fromskopeo/app:1"));
    Cli.Run d = Cli.run("digest", reg(PLAIN, "fromskopeo/app:1"));
    assertEquals(0, d.exit(), d.toString());
    MediaFixtures.run(
        tmp,
        "skopeo",
        "copy",
        "oci:" + source + ":small",
        "docker-archive:" + tmp.resolve("s.tar") + ":fromskopeo/app:1");
    Cli.Run fromArchive =
        Cli.run("copy", "docker-archive:" + tmp.resolve("s.tar"), "oci:" + tmp.resolve("o") + ":x");
    assertEquals(0, fromArchive.exit(), fromArchive.toString());
    Cli.Run inspect = Cli.run("inspect", "--format", "json", "oci:" + tmp.resolve("o") + ":x");
    assertEquals(0, inspect.exit(), inspect.toString());
  }

  @Test
  void inspectJsonHasTheDocumentedShape() throws Exception {
    Cli.Run r = Cli.run("inspect", "-f", "json", "oci:" + source + ":small");
    assertEquals(0, r.exit(), r.toString());
    JsonNode n = SpecJson.mapper().readTree(r.out());
    assertEquals(sourceDigest.toString(), n.path("digest").asText());
    assertEquals("linux/amd64", n.path("platform").asText());
    assertEquals("amd64", n.path("config").path("architecture").asText());
    JsonNode layer = n.path("layers").get(0);
    for (String f : new String[] {"digest", "size", "diffId", "mediaType", "createdBy"})
      assertTrue(layer.has(f), f);
    Cli.Run table = Cli.run("inspect", "oci:" + source + ":small");
    assertTrue(table.out().contains("Digest        " + sourceDigest), table.out());
    assertTrue(table.out().contains("(root, not set)"), table.out());
  }

  @Test
  void tagsListsRegistryAndLayout() {
    assertEquals(0, Cli.run("copy", "oci:" + source + ":small", reg(PLAIN, "tagged/app:a")).exit());
    assertEquals(0, Cli.run("copy", "oci:" + source + ":small", reg(PLAIN, "tagged/app:b")).exit());
    assertEquals(
        List.of("a", "b"),
        Cli.run("tags", reg(PLAIN, "tagged/app")).out().lines().sorted().toList());
    assertEquals(
        List.of("big", "small"), Cli.run("tags", "oci:" + source).out().lines().sorted().toList());
  }

  @Test
  void wholeIndexWithAllAndOnePlatformWithout(@TempDir Path tmp) throws Exception {
    Image amd = MediaFixtures.image(tmp, Platform.LINUX_AMD64, false, "amd");
    Image arm = MediaFixtures.image(tmp, Platform.parse("linux/arm64"), false, "arm");
    Digest indexDigest =
        OciLayout.create(tmp.resolve("idx"))
            .write(Artifact.of(MediaFixtures.index(amd, arm)), "multi", e -> {});
    Cli.Run all =
        Cli.run("copy", "--all", "oci:" + tmp.resolve("idx") + ":multi", reg(PLAIN, "multi/app:1"));
    assertEquals(0, all.exit(), all.toString());
    assertTrue(all.out().trim().endsWith("@" + indexDigest), all.out());
    Cli.Run one =
        Cli.run(
            "copy",
            "--platform",
            "linux/arm64",
            reg(PLAIN, "multi/app:1"),
            "oci:" + tmp.resolve("one") + ":arm");
    assertEquals(0, one.exit(), one.toString());
    assertTrue(one.out().trim().endsWith("@" + arm.digest()), one.out());
    Cli.Run missing =
        Cli.run(
            "copy",
            "--platform",
            "linux/s390x",
            reg(PLAIN, "multi/app:1"),
            "oci:" + tmp.resolve("none"));
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("no image for platform linux/s390x"), missing.err());
  }

  @Test
  void basicAuthWithCredsAndAClearErrorForAWrongPassword() {
    TestRegistry r = BASIC.registry();
    String creds = r.credentials().username() + ":" + r.credentials().password();
    Cli.Run ok =
        Cli.run(
            "copy", "--dest-creds", creds, "oci:" + source + ":small", reg(BASIC, "auth/app:1"));
    assertEquals(0, ok.exit(), ok.toString());
    String wrongPassword = "not-the-password-" + System.nanoTime();
    Cli.Run bad =
        Cli.run(
            true,
            "copy",
            "--dest-creds",
            r.credentials().username() + ":" + wrongPassword,
            "oci:" + source + ":small",
            reg(BASIC, "auth/app:2"));
    assertEquals(1, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("UNAUTHORIZED") && bad.err().contains(r.host()), bad.err());
    assertFalse(
        bad.err().contains(wrongPassword) || bad.out().contains(wrongPassword),
        "password leaked: " + bad);
    Cli.Run anonymous = Cli.run("digest", reg(BASIC, "auth/app:1"));
    assertEquals(1, anonymous.exit());
    assertTrue(anonymous.err().contains("UNAUTHORIZED"), anonymous.err());
    Cli.Run pull = Cli.run("digest", "--creds", creds, reg(BASIC, "auth/app:1"));
    assertEquals(sourceDigest.toString(), pull.out().trim());
  }

  @Test
  void faultsMidUploadAreRetriedAndTheImageArrivesWhole(@TempDir Path tmp) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(PLAIN.registry())) {
      proxy.failNext("PUT", ".*/blobs/uploads/.*", 2, 503);
      proxy.failNext("PATCH", ".*/blobs/uploads/.*", 1, 503);
      proxy.dropConnectionMidBody("PUT", ".*/blobs/uploads/.*", 1, 64 * 1024);
      proxy.dropConnectionMidBody("PATCH", ".*/blobs/uploads/.*", 1, 64 * 1024);
      String target = "docker://" + proxy.host() + "/faults/app:1";
      Cli.Run r = Cli.run("copy", "oci:" + source + ":big", target);
      assertEquals(0, r.exit(), r.toString());
      assertTrue(r.out().trim().endsWith("@" + bigDigest), r.out());
      assertTrue(proxy.pendingFaults() < 6, "faults were hit");
    }
    // Pulled back directly from the registry (not through the proxy), byte for byte the same.
    Cli.Run back = Cli.run("copy", reg(PLAIN, "faults/app:1"), "oci:" + tmp.resolve("back") + ":x");
    assertEquals(0, back.exit(), back.toString());
    Path blobs = tmp.resolve("back/blobs/sha256");
    for (Path b : Files.list(source.resolve("blobs/sha256")).toList()) {
      if (Files.exists(blobs.resolve(b.getFileName())))
        assertEquals(-1L, Files.mismatch(b, blobs.resolve(b.getFileName())));
    }
  }

  /**
   * A docker-archive holding one gzip layer stored as given, with the diff-id given: what another
   * tool might write.
   */
  private static Path archiveWith(Path dir, String name, byte[] stored, Digest diffId)
      throws IOException {
    Path raw = Files.write(dir.resolve(name + ".layer.gz"), stored);
    dev.caulk.spec.Descriptor d =
        dev.caulk.spec.Descriptor.of(
            dev.caulk.spec.MediaType.layerType(true, dev.caulk.spec.MediaType.Compression.GZIP),
            Digest.sha256(stored),
            stored.length);
    dev.caulk.image.Layer unchecked =
        new dev.caulk.image.Layer() {
          @Override
          public Digest digest() {
            return d.digest();
          }

          @Override
          public Digest diffId() {
            return diffId;
          }

          @Override
          public long size() {
            return d.size();
          }

          @Override
          public String mediaType() {
            return d.mediaType();
          }

          @Override
          public dev.caulk.spec.Descriptor descriptor() {
            return d;
          }

          @Override
          public java.io.InputStream compressed() throws IOException {
            return Files.newInputStream(raw);
          }

          @Override
          public java.io.InputStream uncompressed() throws IOException {
            return Files.newInputStream(raw);
          }
        };
    Image img =
        Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(unchecked), true, null);
    Path archive = dir.resolve(name + ".tar");
    dev.caulk.archive.DockerArchive.write(
        archive,
        List.of(
            new dev.caulk.archive.DockerArchive.Entry(
                img, dev.caulk.name.Reference.parse("bad/" + name + ":1"))),
        null);
    return archive;
  }

  @Test
  void copyRefusesALayerWhoseDiffIdOrGzipIsWrongWhateverTheDestination(@TempDir Path tmp)
      throws Exception {
    byte[] tar = MediaFixtures.tar(java.util.Map.of("etc/data", "x".repeat(200_000)));
    byte[] gz = MediaFixtures.gzip(tar);
    Path mismatch = archiveWith(tmp, "mismatch", gz, Digest.sha256("not this".getBytes()));
    Path truncated =
        archiveWith(
            tmp, "truncated", java.util.Arrays.copyOf(gz, gz.length - 50), Digest.sha256(tar));
    for (Path bad : List.of(mismatch, truncated)) {
      String expected = bad == mismatch ? "diff-id mismatch" : "does not decompress";
      Path out = Files.createDirectories(tmp.resolve("out-" + bad.getFileName()));
      for (String dst :
          List.of(
              "docker-archive:" + out.resolve("copy.tar"),
              "oci:" + out.resolve("layout") + ":x",
              reg(PLAIN, "bad/" + bad.getFileName().toString().replace(".tar", "") + ":1"))) {
        Cli.Run r = Cli.run("copy", "docker-archive:" + bad, dst);
        assertEquals(1, r.exit(), dst + ": " + r);
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(
            1,
            r.err().strip().lines().filter(l -> !l.startsWith("warning: ")).count(),
            "one error line: " + r.err());
      }
      assertFalse(Files.exists(out.resolve("copy.tar")));
      try (var s = Files.walk(out)) {
        assertTrue(
            s.noneMatch(
                p ->
                    p.getFileName().toString().endsWith(".tmp")
                        || p.toString().contains("/blobs/sha256/")
                            && p.getFileName().toString().equals(Digest.sha256(gz).hex())),
            "no temp file, no bad blob");
      }
    }
  }

  @Test
  void deadlineFlagsAreCheckedAndRetryWaitsAreShownOffATerminal() throws Exception {
    Cli.Run bad = Cli.run("inspect", "--deadline", "soon", "docker://127.0.0.1:1/x:1");
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(
        bad.err().contains("--deadline: expected a duration such as 90s, 10m or 1h"), bad.err());
    assertEquals(
        2, Cli.run("inspect", "--registry-timeout", "0s", "docker://127.0.0.1:1/x:1").exit());
    assertEquals(0, Cli.run("copy", "oci:" + source + ":small", reg(PLAIN, "later/app:1")).exit());
    try (FaultProxy proxy = FaultProxy.start(PLAIN.registry())) {
      proxy.failNext(
          "GET", "/v2/later/app/manifests/", 1, 503, java.util.Map.of("Retry-After", "99999"));
      Cli.Run r =
          Cli.run(
              "inspect", "--max-retry-wait", "300ms", "docker://" + proxy.host() + "/later/app:1");
      assertEquals(0, r.exit(), r.toString());
      assertTrue(
          r.err()
              .contains(
                  "warning: retrying GET ("
                      + proxy.host()
                      + "/later/app:1) after HTTP 503 (Retry-After 99999.0 s, capped at 300 ms) in 300 ms"),
          r.err());
      proxy.dripNext("GET", "/v2/later/app/manifests/", 5, java.time.Duration.ofMillis(50));
      long t0 = System.nanoTime();
      Cli.Run drip =
          Cli.run("inspect", "--deadline", "1s", "docker://" + proxy.host() + "/later/app:1");
      assertEquals(1, drip.exit(), drip.toString());
      assertTrue(drip.err().contains("did not finish GET within the 1.0 s deadline"), drip.err());
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
    }
  }
}
