package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformance with what other tools make and read: Docker-format images (written by skopeo into a
 * docker-archive and a registry, and a Docker manifest in a layout as older tools leave it) become
 * OCI images in an OCI layout that skopeo and umoci read; OCI artifacts that are not container
 * images (a Helm chart, a cosign signature, an SBOM with a subject) copy byte for byte and the
 * verbs that need an image say what they are; index children without a platform are chosen by
 * digest. The real registry and skopeo/umoci are the oracles.
 */
class ConformanceIT {
  @RegisterExtension
  static final RegistryExtension REG = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  private static final String CONVERTED = "converted Docker media types to OCI";

  @TempDir static Path dir;
  static Image app;
  static Path oci;
  static Path dockerArchive;
  static Path ociArchive;
  static Path rawLayout;
  static Image dockerAmd;
  static Image dockerArm;
  static Map<String, byte[]> artifacts = new LinkedHashMap<>();

  @BeforeAll
  static void inputs() throws Exception {
    Path blobs = Files.createDirectories(dir.resolve("blobs"));
    app = MediaFixtures.image(blobs, "a.txt", "etc/b.txt");
    oci = dir.resolve("oci");
    OciLayout.create(oci).write(Artifact.of(app), "app", null);
    // Docker v2 schema 2 as skopeo writes it: a classic archive (uncompressed layers) and a
    // registry image (gzip).
    dockerArchive = dir.resolve("docker.tar");
    skopeo("copy", "oci:" + oci + ":app", "docker-archive:" + dockerArchive + ":conf/app:v1");
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--format",
        "v2s2",
        "oci:" + oci + ":app",
        "docker://" + REG.registry().host() + "/docker/app:v1");
    // The OCI image in caulk's own archive (Docker 25+ layout inside) and in a registry, as skopeo
    // pushes it.
    ociArchive = dir.resolve("oci.tar");
    assertEquals(
        0,
        Cli.run("copy", "oci:" + oci + ":app", "docker-archive:" + ociArchive + ":conf/app:v1")
            .exit());
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--preserve-digests",
        "oci:" + oci + ":app",
        "docker://" + REG.registry().host() + "/oci/app:v1");
    // A layout holding Docker manifests, as caulk 0.1 and hand-rolled scripts leave them.
    rawLayout = dir.resolve("raw");
    dockerAmd = MediaFixtures.image(blobs, Platform.LINUX_AMD64, true, "a.txt");
    dockerArm = MediaFixtures.image(blobs, Platform.parse("linux/arm64"), true, "arm.txt");
    RawLayout raw = new RawLayout(rawLayout);
    raw.image(dockerAmd);
    raw.image(dockerArm);
    raw.tag("app", MediaType.DOCKER_MANIFEST, dockerAmd.rawManifest(), null);
    byte[] list =
        SpecJson.write(
            Index.of(
                MediaType.DOCKER_MANIFEST_LIST,
                List.of(
                    Descriptor.of(
                            MediaType.DOCKER_MANIFEST,
                            dockerAmd.digest(),
                            dockerAmd.rawManifest().length)
                        .withPlatform(Platform.LINUX_AMD64),
                    Descriptor.of(
                            MediaType.DOCKER_MANIFEST,
                            dockerArm.digest(),
                            dockerArm.rawManifest().length)
                        .withPlatform(Platform.parse("linux/arm64")))));
    raw.tag("list", MediaType.DOCKER_MANIFEST_LIST, list, null);
    // An index whose children say no platform (some build tools, attestation-style indexes), with
    // an artifact beside them.
    Image ociArm = MediaFixtures.image(blobs, Platform.parse("linux/arm64"), false, "arm.txt");
    raw.image(ociArm);
    raw.image(app);
    byte[] sbom = sbomArtifact(raw, app.digest(), app.rawManifest().length);
    byte[] platformless =
        SpecJson.write(
            Index.of(
                MediaType.OCI_INDEX,
                List.of(
                    Descriptor.of(
                        MediaType.OCI_MANIFEST, ociArm.digest(), ociArm.rawManifest().length),
                    Descriptor.of(MediaType.OCI_MANIFEST, app.digest(), app.rawManifest().length),
                    new Descriptor(
                        MediaType.OCI_MANIFEST,
                        Digest.sha256(sbom),
                        sbom.length,
                        null,
                        null,
                        null,
                        null,
                        "application/spdx+json"))));
    raw.tag("platformless", MediaType.OCI_INDEX, platformless, null);
    artifacts.put("helm", helmChart(raw));
    artifacts.put("cosign", cosignSignature(raw, app.digest()));
    artifacts.put("sbom", sbom);
    for (var e : artifacts.entrySet())
      raw.tag(e.getKey(), MediaType.OCI_MANIFEST, e.getValue(), null);
    raw.index();
  }

  // --- Docker-format images into OCI layouts

  @ParameterizedTest
  @ValueSource(
      strings = {
        "docker-archive",
        "docker-registry",
        "docker-layout",
        "oci-archive",
        "oci-registry",
        "oci-layout"
      })
  void everyInputBecomesAnOciLayoutThatSkopeoAndUmociRead(String medium, @TempDir Path tmp)
      throws Exception {
    String src =
        switch (medium) {
          case "docker-archive" -> "docker-archive:" + dockerArchive + ":conf/app:v1";
          case "docker-registry" -> "docker://" + REG.registry().host() + "/docker/app:v1";
          case "docker-layout" -> "oci:" + rawLayout + ":app";
          case "oci-archive" -> "docker-archive:" + ociArchive;
          case "oci-registry" -> "docker://" + REG.registry().host() + "/oci/app:v1";
          default -> "oci:" + oci + ":app";
        };
    boolean docker = medium.startsWith("docker-");
    Artifact source = Locations.open(ImageLocation.parse(src), RegistryOptions.defaults());
    assertEquals(docker ? MediaType.DOCKER_MANIFEST : MediaType.OCI_MANIFEST, source.mediaType());
    Path out = tmp.resolve("out");
    Cli.Run r = Cli.run("copy", src, "oci:" + out + ":t");
    assertEquals(0, r.exit(), r.toString());
    String printed = r.out().trim().substring(r.out().trim().indexOf('@') + 1);
    if (docker) {
      assertNotEquals(source.digest().toString(), printed, "a converted manifest has a new digest");
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(
          r.err().contains(CONVERTED)
              && r.err().contains(source.digest().toString())
              && r.err().contains(printed),
          r.err());
    } else {
      assertEquals(app.digest().toString(), printed, "an OCI image keeps its digest");
      assertEquals("", r.err());
    }

    Image written = OciLayout.open(out).read("t").image();
    assertEquals(printed, written.digest().toString());
    assertEquals(MediaType.OCI_MANIFEST, written.mediaType());
    assertEquals(MediaType.OCI_CONFIG, written.manifest().config().mediaType());
    assertEquals(
        source.image().manifest().config().digest(),
        written.manifest().config().digest(),
        "the config bytes are kept");
    for (Layer l : written.layers())
      assertTrue(l.mediaType().startsWith("application/vnd.oci.image.layer.v1.tar"), l.mediaType());

    JsonNode inspect = json(skopeo("inspect", "oci:" + out + ":t"));
    assertEquals(printed, inspect.path("Digest").asText());
    skopeo("copy", "oci:" + out + ":t", "oci:" + tmp.resolve("again") + ":t");
    MediaFixtures.run(
        tmp,
        "umoci",
        "unpack",
        "--rootless",
        "--image",
        out + ":t",
        tmp.resolve("bundle").toString());
    assertEquals("content of a.txt\n", Files.readString(tmp.resolve("bundle/rootfs/a.txt")));
  }

  @Test
  void preserveDigestsRefusesTheConversionAndTagsNothing(@TempDir Path tmp) throws Exception {
    Cli.Run r =
        Cli.run(
            "copy",
            "--preserve-digests",
            "docker-archive:" + dockerArchive,
            "oci:" + tmp.resolve("pd") + ":app");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(
        r.err().contains("--preserve-digests") && r.err().contains("Docker media types"), r.err());
    assertEquals(List.of(), OciLayout.open(tmp.resolve("pd")).tags());
  }

  @Test
  void ociImagesAndOtherDestinationsKeepWhatTheyAreGiven(@TempDir Path tmp) throws Exception {
    Cli.Run keep = Cli.run("copy", "oci:" + oci + ":app", "oci:" + tmp.resolve("keep") + ":app");
    assertEquals(0, keep.exit(), keep.toString());
    assertTrue(keep.out().trim().endsWith("@" + app.digest()), keep.out());
    assertEquals("", keep.err());

    Artifact docker =
        Locations.open(
            ImageLocation.parse("docker-archive:" + dockerArchive), RegistryOptions.defaults());
    String dst = "docker://" + REG.registry().host() + "/kept/app:v1";
    Cli.Run push = Cli.run("copy", "docker-archive:" + dockerArchive, dst);
    assertEquals(0, push.exit(), push.toString());
    assertTrue(push.out().trim().endsWith("@" + docker.digest()), push.out());
    assertFalse(push.err().contains(CONVERTED), push.err());
    JsonNode raw = json(skopeo("inspect", "--raw", "--tls-verify=false", dst));
    assertEquals(MediaType.DOCKER_MANIFEST, raw.path("mediaType").asText());

    Cli.Run archive =
        Cli.run("copy", dst, "docker-archive:" + tmp.resolve("d.tar") + ":kept/app:v1");
    assertEquals(0, archive.exit(), archive.toString());
    assertEquals(
        docker.digest().toString(),
        Cli.run("digest", "docker-archive:" + tmp.resolve("d.tar")).out().trim());
  }

  @Test
  void dockerManifestListBecomesAnOciIndexOfOciImages(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("idx");
    Cli.Run r = Cli.run("copy", "--all", "oci:" + rawLayout + ":list", "oci:" + out + ":list");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.err().contains(CONVERTED), r.err());
    JsonNode index = json(skopeo("inspect", "--raw", "oci:" + out + ":list"));
    assertEquals(MediaType.OCI_INDEX, index.path("mediaType").asText());
    assertEquals(2, index.path("manifests").size());
    for (JsonNode m : index.path("manifests")) {
      assertEquals(MediaType.OCI_MANIFEST, m.path("mediaType").asText());
      assertEquals("linux", m.path("platform").path("os").asText());
    }
    JsonNode arm = json(skopeo("--override-arch", "arm64", "inspect", "oci:" + out + ":list"));
    assertEquals("arm64", arm.path("Architecture").asText());
    skopeo("copy", "--all", "oci:" + out + ":list", "oci:" + tmp.resolve("again") + ":list");
    Artifact back = OciLayout.open(tmp.resolve("again")).read("list");
    assertEquals(
        r.out().trim().substring(r.out().trim().indexOf('@') + 1), back.digest().toString());
    assertEquals(
        dockerArm.config().rootfs().diffIds(),
        back.image(Platform.parse("linux/arm64")).config().rootfs().diffIds());

    String dst = "docker://" + REG.registry().host() + "/list/app:v1";
    Cli.Run push = Cli.run("copy", "--all", "oci:" + rawLayout + ":list", dst);
    assertEquals(0, push.exit(), push.toString());
    assertEquals(
        MediaType.DOCKER_MANIFEST_LIST,
        json(skopeo("inspect", "--raw", "--tls-verify=false", dst)).path("mediaType").asText(),
        "a registry keeps the manifest list");
  }

  // --- platform-less indexes

  @Test
  void indexChildrenWithoutPlatformAreChosenByConfigOrByDigest(@TempDir Path tmp) throws Exception {
    String idx = "oci:" + rawLayout + ":platformless";
    Cli.Run digest = Cli.run("digest", idx);
    assertEquals(0, digest.exit(), digest.toString());
    assertEquals(0, Cli.run("copy", idx, "oci:" + tmp.resolve("amd") + ":x").exit());
    assertEquals(
        app.digest(),
        OciLayout.open(tmp.resolve("amd")).read("x").digest(),
        "the default platform, from the child's config");

    Cli.Run none = Cli.run("copy", "--platform", "linux/s390x", idx, "oci:" + tmp.resolve("none"));
    assertEquals(1, none.exit(), none.toString());
    assertEquals(1, none.err().strip().lines().count(), none.err());
    assertTrue(
        none.err().contains(app.digest() + " (no platform)")
            && none.err().contains("(artifact application/spdx+json)")
            && none.err().contains("@sha256:"),
        none.err());

    Artifact index = OciLayout.open(rawLayout).read("platformless");
    Descriptor armChild = index.index().index().manifests().get(0);
    Cli.Run byDigest =
        Cli.run("inspect", "-f", "json", "oci:" + rawLayout + "@" + armChild.digest());
    assertEquals(0, byDigest.exit(), byDigest.toString());
    assertEquals("linux/arm64", json(byDigest.out()).path("platform").asText());

    String repo = REG.registry().host() + "/platformless/app";
    assertEquals(0, Cli.run("copy", "--all", idx, "docker://" + repo + ":1").exit());
    Cli.Run remote =
        Cli.run(
            "copy",
            "docker://" + repo + "@" + armChild.digest(),
            "oci:" + tmp.resolve("arm") + ":arm");
    assertEquals(0, remote.exit(), remote.toString());
    assertTrue(remote.out().trim().endsWith("@" + armChild.digest()), remote.out());
    Cli.Run bad = Cli.run("inspect", "oci:" + rawLayout + "@sha256:" + "0".repeat(64));
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("no manifest or blob sha256:000000000000"), bad.err());
  }

  // --- artifacts that are not container images

  @ParameterizedTest
  @ValueSource(strings = {"helm", "cosign", "sbom"})
  void artifactsCopyByteForByteAndInspect(String name, @TempDir Path tmp) throws Exception {
    byte[] manifest = artifacts.get(name);
    Digest digest = Digest.sha256(manifest);
    String dst = "docker://" + REG.registry().host() + "/artifacts/" + name + ":1";
    Cli.Run push = Cli.run("copy", "oci:" + rawLayout + ":" + name, dst);
    assertEquals(0, push.exit(), push.toString());
    assertTrue(push.out().trim().endsWith("@" + digest), push.out());
    assertEquals(
        new String(manifest, StandardCharsets.UTF_8),
        skopeo("inspect", "--raw", "--tls-verify=false", dst).strip());
    Cli.Run pull = Cli.run("copy", dst, "oci:" + tmp.resolve("back") + ":" + name);
    assertEquals(0, pull.exit(), pull.toString());
    Image back = OciLayout.open(tmp.resolve("back")).read(name).image();
    assertArrayEquals(manifest, back.rawManifest());
    for (Layer l : back.layers()) {
      try (InputStream in = l.compressed()) {
        assertEquals(l.size(), in.readAllBytes().length);
      }
    }
    skopeo("inspect", "--raw", "oci:" + tmp.resolve("back") + ":" + name);

    String type = back.artifactType();
    Cli.Run table = Cli.run("inspect", dst);
    assertEquals(0, table.exit(), table.toString());
    assertTrue(table.out().contains("ArtifactType  " + type), table.out());
    JsonNode j =
        json(Cli.run("inspect", "-f", "json", "oci:" + tmp.resolve("back") + ":" + name).out());
    assertEquals(type, j.path("artifactType").asText());
    assertEquals(back.layers().size(), j.path("layers").size());
  }

  @Test
  void verbsThatNeedAnImageSayTheArtifactIsNotOne(@TempDir Path tmp) {
    String helm = "oci:" + rawLayout + ":helm";
    for (String[] args :
        List.of(
            new String[] {"audit", helm},
            new String[] {"sbom", helm},
            new String[] {"slim", helm, "--to", "oci:" + tmp.resolve("s") + ":x"},
            new String[] {"harden", helm, "--to", "oci:" + tmp.resolve("h") + ":x"},
            new String[] {"copy", helm, "docker-archive:" + tmp.resolve("a.tar")})) {
      Cli.Run r = Cli.run(args);
      assertEquals(1, r.exit(), String.join(" ", args) + "\n" + r);
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(
          r.err().contains("not a container image")
              && r.err().contains("application/vnd.cncf.helm.config.v1+json"),
          r.err());
    }
    assertFalse(Files.exists(tmp.resolve("a.tar")));
  }

  // --- fixtures

  static String skopeo(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    return MediaFixtures.run(dir, cmd.toArray(String[]::new));
  }

  static JsonNode json(String s) throws IOException {
    return SpecJson.mapper().readTree(s);
  }

  /**
   * A Helm 3 chart as `helm push` stores it (config and chart media types from Helm's registry
   * docs).
   */
  private static byte[] helmChart(RawLayout raw) throws IOException {
    Descriptor config =
        raw.blob(
            "application/vnd.cncf.helm.config.v1+json",
            "{\"name\":\"demo\",\"version\":\"0.1.0\",\"apiVersion\":\"v2\",\"type\":\"application\"}"
                .getBytes(StandardCharsets.UTF_8));
    Descriptor chart =
        raw.blob(
            "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
            MediaFixtures.gzip(
                MediaFixtures.tar(
                    Map.of("demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n"))));
    return ("{\"schemaVersion\":2,\"config\":"
            + json(config)
            + ",\"layers\":["
            + json(chart)
            + "],"
            + "\"annotations\":{\"org.opencontainers.image.title\":\"demo\",\"org.opencontainers.image.version\":\"0.1.0\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A cosign signature manifest: an image config naming the payload, one simple-signing layer with
   * the signature annotation.
   */
  private static byte[] cosignSignature(RawLayout raw, Digest signed) throws IOException {
    byte[] payload =
        ("{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1/app\"},\"image\":{\"docker-manifest-digest\":\""
                + signed
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
            .getBytes(StandardCharsets.UTF_8);
    Digest payloadDigest = Digest.sha256(payload);
    Descriptor config =
        raw.blob(
            MediaType.OCI_CONFIG,
            ("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":"
                    + "[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                    + payloadDigest
                    + "\"]},\"config\":{}}")
                .getBytes(StandardCharsets.UTF_8));
    Descriptor layer = raw.blob("application/vnd.dev.cosign.simplesigning.v1+json", payload);
    String annotated =
        json(layer)
            .replaceFirst(
                "}$",
                ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCIQDexample\"}}");
    return ("{\"schemaVersion\":2,\"mediaType\":\""
            + MediaType.OCI_MANIFEST
            + "\",\"config\":"
            + json(config)
            + ",\"layers\":["
            + annotated
            + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** An SBOM attached the OCI 1.1 way: artifactType, the empty config, a subject. */
  private static byte[] sbomArtifact(RawLayout raw, Digest subject, long subjectSize)
      throws IOException {
    Descriptor empty = raw.blob(MediaType.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
    Descriptor doc =
        raw.blob(
            "application/spdx+json",
            "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}".getBytes(StandardCharsets.UTF_8));
    return ("{\"schemaVersion\":2,\"mediaType\":\""
            + MediaType.OCI_MANIFEST
            + "\",\"artifactType\":\"application/spdx+json\","
            + "\"config\":{\"mediaType\":\""
            + MediaType.OCI_EMPTY
            + "\",\"digest\":\""
            + empty.digest()
            + "\",\"size\":2,\"data\":\"e30=\"},"
            + "\"layers\":["
            + json(doc)
            + "],\"subject\":{\"mediaType\":\""
            + MediaType.OCI_MANIFEST
            + "\",\"digest\":\""
            + subject
            + "\",\"size\":"
            + subjectSize
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String json(Descriptor d) {
    return new String(SpecJson.write(d), StandardCharsets.UTF_8);
  }

  /**
   * An OCI layout written file by file, holding whatever manifests a test needs (no caulk writer in
   * between).
   */
  static final class RawLayout {
    private final Path root;
    private final List<String> entries = new ArrayList<>();

    RawLayout(Path root) throws IOException {
      this.root = root;
      Files.createDirectories(root.resolve("blobs/sha256"));
      Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    Descriptor blob(String mediaType, byte[] bytes) throws IOException {
      Digest d = Digest.sha256(bytes);
      Files.write(root.resolve("blobs/sha256/" + d.hex()), bytes);
      return Descriptor.of(mediaType, d, bytes.length);
    }

    void image(Image image) throws IOException {
      blob(null, image.rawManifest());
      blob(null, image.rawConfig());
      for (Layer l : image.layers()) {
        try (InputStream in = l.compressed()) {
          blob(null, in.readAllBytes());
        }
      }
    }

    void tag(String tag, String mediaType, byte[] manifest, String artifactType)
        throws IOException {
      Descriptor d = blob(mediaType, manifest);
      entries.add(
          json(
              new Descriptor(
                  mediaType,
                  d.digest(),
                  d.size(),
                  null,
                  Map.of(OciLayout.REF_NAME, tag),
                  null,
                  null,
                  artifactType)));
    }

    void index() throws IOException {
      Files.writeString(
          root.resolve("index.json"),
          "{\"schemaVersion\":2,\"mediaType\":\""
              + MediaType.OCI_INDEX
              + "\",\"manifests\":["
              + String.join(",", entries)
              + "]}");
    }
  }
}
