package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
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
import dev.caulk.image.Images;
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
  @RegisterExtension static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);
  @RegisterExtension static final RegistryExtension BASIC = RegistryExtension.of(TestRegistry.Mode.BASIC);

  @TempDir static Path shared;
  static Path source;
  static Digest sourceDigest;
  static Digest bigDigest;

  /** One small image and one with a 3 MiB random layer (so faults can hit mid-upload), in an OCI layout. */
  @BeforeAll
  static void images() throws IOException {
    source = shared.resolve("src");
    Image small = MediaFixtures.image(Files.createDirectories(shared.resolve("blobs")), "a.txt", "b.txt");
    OciLayout layout = OciLayout.create(source);
    sourceDigest = layout.write(Artifact.of(small), "small", e -> {});
    ReproducibleLayerBuilder rb = new ReproducibleLayerBuilder();
    rb.file("/data/random.bin", ImageFixtures.randomBytes(42, 3 * 1024 * 1024), 0644, 0, 0);
    BuiltLayer big = rb.build(Files.createDirectories(shared.resolve("big")), LayerFormat.GZIP);
    Image bigImage = Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(big.layer()), false, null);
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
    assertEquals(0, Cli.run("copy", "oci:" + tmp.resolve("layout") + ":x", "docker-archive:" + tmp.resolve("a.tar") + ":round/one:v1").exit());
    Cli.Run back = Cli.run("copy", "docker-archive:" + tmp.resolve("a.tar"), reg(PLAIN, "round/two:v2"));
    assertEquals(0, back.exit(), back.toString());
    assertTrue(back.out().trim().endsWith("@" + sourceDigest), back.out());
    Cli.Run digest = Cli.run("digest", reg(PLAIN, "round/two:v2"));
    assertEquals(sourceDigest.toString(), digest.out().trim());
    assertEquals("", digest.err(), "nothing on stderr when it is not a terminal");
  }

  @Test
  void skopeoAndUmociReadWhatCaulkWrites(@TempDir Path tmp) throws Exception {
    assertEquals(0, Cli.run("copy", "oci:" + source + ":small", reg(PLAIN, "interop/app:1")).exit());
    String inspect = MediaFixtures.run(tmp, "skopeo", "inspect", "--tls-verify=false", reg(PLAIN, "interop/app:1"));
    assertEquals(sourceDigest.toString(), SpecJson.mapper().readTree(inspect).path("Digest").asText());
    assertEquals(0, Cli.run("copy", "oci:" + source + ":small", "docker-archive:" + tmp.resolve("c.tar") + ":interop/app:1").exit());
    MediaFixtures.run(tmp, "skopeo", "inspect", "docker-archive:" + tmp.resolve("c.tar"));
    MediaFixtures.run(tmp, "umoci", "unpack", "--rootless", "--image", source + ":small", tmp.resolve("bundle").toString());
    assertEquals("content of a.txt\n", Files.readString(tmp.resolve("bundle/rootfs/a.txt")));
  }

  @Test
  void caulkReadsWhatSkopeoWrites(@TempDir Path tmp) throws Exception {
    MediaFixtures.run(tmp, "skopeo", "copy", "oci:" + source + ":small", "--dest-tls-verify=false", reg(PLAIN, "fromskopeo/app:1"));
    Cli.Run d = Cli.run("digest", reg(PLAIN, "fromskopeo/app:1"));
    assertEquals(0, d.exit(), d.toString());
    MediaFixtures.run(tmp, "skopeo", "copy", "oci:" + source + ":small", "docker-archive:" + tmp.resolve("s.tar") + ":fromskopeo/app:1");
    Cli.Run fromArchive = Cli.run("copy", "docker-archive:" + tmp.resolve("s.tar"), "oci:" + tmp.resolve("o") + ":x");
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
    for (String f : new String[] {"digest", "size", "diffId", "mediaType", "createdBy"}) assertTrue(layer.has(f), f);
    Cli.Run table = Cli.run("inspect", "oci:" + source + ":small");
    assertTrue(table.out().contains("Digest        " + sourceDigest), table.out());
    assertTrue(table.out().contains("(root, not set)"), table.out());
  }

  @Test
  void tagsListsRegistryAndLayout() {
    assertEquals(0, Cli.run("copy", "oci:" + source + ":small", reg(PLAIN, "tagged/app:a")).exit());
    assertEquals(0, Cli.run("copy", "oci:" + source + ":small", reg(PLAIN, "tagged/app:b")).exit());
    assertEquals(List.of("a", "b"), Cli.run("tags", reg(PLAIN, "tagged/app")).out().lines().sorted().toList());
    assertEquals(List.of("big", "small"), Cli.run("tags", "oci:" + source).out().lines().sorted().toList());
  }

  @Test
  void wholeIndexWithAllAndOnePlatformWithout(@TempDir Path tmp) throws Exception {
    Image amd = MediaFixtures.image(tmp, Platform.LINUX_AMD64, false, "amd");
    Image arm = MediaFixtures.image(tmp, Platform.parse("linux/arm64"), false, "arm");
    Digest indexDigest = OciLayout.create(tmp.resolve("idx")).write(Artifact.of(MediaFixtures.index(amd, arm)), "multi", e -> {});
    Cli.Run all = Cli.run("copy", "--all", "oci:" + tmp.resolve("idx") + ":multi", reg(PLAIN, "multi/app:1"));
    assertEquals(0, all.exit(), all.toString());
    assertTrue(all.out().trim().endsWith("@" + indexDigest), all.out());
    Cli.Run one = Cli.run("copy", "--platform", "linux/arm64", reg(PLAIN, "multi/app:1"), "oci:" + tmp.resolve("one") + ":arm");
    assertEquals(0, one.exit(), one.toString());
    assertTrue(one.out().trim().endsWith("@" + arm.digest()), one.out());
    Cli.Run missing = Cli.run("copy", "--platform", "linux/s390x", reg(PLAIN, "multi/app:1"), "oci:" + tmp.resolve("none"));
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("no image for platform linux/s390x"), missing.err());
  }

  @Test
  void basicAuthWithCredsAndAClearErrorForAWrongPassword() {
    TestRegistry r = BASIC.registry();
    String creds = r.credentials().username() + ":" + r.credentials().password();
    Cli.Run ok = Cli.run("copy", "--dest-creds", creds, "oci:" + source + ":small", reg(BASIC, "auth/app:1"));
    assertEquals(0, ok.exit(), ok.toString());
    String wrongPassword = "not-the-password-" + System.nanoTime();
    Cli.Run bad = Cli.run(true, "copy", "--dest-creds", r.credentials().username() + ":" + wrongPassword, "oci:" + source + ":small",
        reg(BASIC, "auth/app:2"));
    assertEquals(1, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("UNAUTHORIZED") && bad.err().contains(r.host()), bad.err());
    assertFalse(bad.err().contains(wrongPassword) || bad.out().contains(wrongPassword), "password leaked: " + bad);
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
      if (Files.exists(blobs.resolve(b.getFileName()))) assertEquals(-1L, Files.mismatch(b, blobs.resolve(b.getFileName())));
    }
  }
}
