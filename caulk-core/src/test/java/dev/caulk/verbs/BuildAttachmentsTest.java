package dev.caulk.verbs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.build.BuildConfig;
import dev.caulk.digest.Digest;
import dev.caulk.location.ImageLocation;
import dev.caulk.sign.Attachments;
import dev.caulk.sign.Dsse;
import dev.caulk.sign.Provenance;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SignatureLayer;
import dev.caulk.sign.SigningKeys;
import dev.caulk.sign.Statement;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Build} with {@link BuildAttachments}: signatures, SBOM and SLSA v1 provenance attached to
 * a built image in a real registry (both schemes) and in an OCI layout, checked with the {@link
 * Verify} and {@link VerifyAttestation} verbs; the image itself unchanged by them.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class BuildAttachmentsTest {
  static final String EPOCH = "1700000000";
  static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", EPOCH);
  static final char[] PASSWORD = "build attach password".toCharArray();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  final Session session = Session.defaults(null);
  Path key;
  Path pub;
  Path project;

  @BeforeEach
  void setUp() throws Exception {
    SigningKeys.write(SigningKeys.generate(), PASSWORD.clone(), tmp.resolve("release"));
    key = tmp.resolve("release.key");
    pub = tmp.resolve("release.pub");
    project = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(project.resolve("cmd/hello"));
    Files.createDirectories(project.resolve("build"));
    Files.copy(Path.of("/bin/true"), project.resolve("build/hello-linux-amd64"));
    Files.createDirectories(project.resolve("conf"));
    Files.writeString(project.resolve("conf/app.conf"), "greeting = hello\n");
    try (ZipOutputStream z =
        new ZipOutputStream(Files.newOutputStream(project.resolve("conf/lib.jar")))) {
      z.putNextEntry(new ZipEntry("META-INF/maven/org.example/greeter/pom.properties"));
      z.write("groupId=org.example\nartifactId=greeter\nversion=1.2.3\n".getBytes(UTF_8));
      z.closeEntry();
    }
    Files.writeString(
        project.resolve("caulk.yaml"),
        "files:\n  - source: conf/app.conf\n    destination: /app/app.conf\n"
            + "  - source: conf/lib.jar\n    destination: /app/lib.jar\n");
  }

  private Build.OptionsBuilder options(String prefix) {
    return Build.options()
        .projectDir(project)
        .cache(tmp.resolve("cache"))
        .environment(ENV)
        .overrides(BuildConfig.builder().prefix(prefix).tag("v1").build());
  }

  private BuildAttachments.Request all() {
    return new BuildAttachments.Request(true, true, true, key, PASSWORD.clone(), "9.9.9");
  }

  @Test
  void signsAndAttestsInTheRegistryAndTheLayoutWithoutChangingTheImage(TestRegistry registry)
      throws Exception {
    String prefix = registry.host() + "/attach/";
    Build.Result plain =
        Build.run(
            options(prefix).to(ImageLocation.parse("oci:" + tmp.resolve("plain"))).build(),
            session);
    Path out = tmp.resolve("out");
    Build.Result r =
        Build.run(
            options(prefix)
                .to(ImageLocation.parse("oci:" + out))
                .push(true)
                .attachments(all())
                .build(),
            session);
    Digest digest = r.images().get(0).digest();
    assertEquals(plain.images().get(0).digest(), digest, "attachments are never inside the image");

    ImageLocation pushed = ImageLocation.parse(prefix + "hello:v1");
    ImageLocation layout = ImageLocation.parse("oci:" + out + ":hello");
    assertEquals(digest, pushed.open(session.source()).digest());
    assertEquals(digest, layout.open(session.source()).digest());

    Set<String> kinds = new HashSet<>();
    for (BuildAttachments.Attached a : r.attached()) {
      assertEquals(digest, a.subject());
      assertEquals("hello", a.service());
      kinds.add(a.kind() + " " + (a.referrer() != null ? "referrer" : "tag"));
    }
    assertEquals(6, r.attached().size(), r.attached().toString());
    assertEquals(
        Set.of(
            "signature referrer",
            "sbom referrer",
            "provenance referrer",
            "signature tag",
            "sbom tag",
            "provenance tag"),
        kinds);

    for (ImageLocation where : List.of(pushed, layout)) {
      Verify.Result v = Verify.run(Verify.options().location(where).key(pub).build(), session);
      assertTrue(v.ok(), where + ": " + v.problems());
      assertEquals(
          where.isRegistry() ? 2 : 1,
          v.subjects().get(0).found().size(),
          "registry: tag scheme and referrer; layout: tag scheme");
      assertEquals(
          "docker-reference " + registry.host() + "/attach/hello",
          "docker-reference "
              + v.subjects().get(0).found().get(0).check().payload().dockerReference());

      VerifyAttestation.Result prov =
          VerifyAttestation.run(
              VerifyAttestation.options().location(where).key(pub).type("slsaprovenance1").build(),
              session);
      assertTrue(prov.ok(), where + ": " + prov.problems());
      assertEquals(where.isRegistry() ? 2 : 1, prov.verified().size());
      Statement st = prov.verified().get(0).check().statement();
      assertEquals(Statement.TYPE_V1, st.type());
      assertEquals(Provenance.PREDICATE_TYPE, st.predicateType());
      assertEquals(1, st.subjects().size());
      assertEquals(Map.of("sha256", digest.hex()), st.subjects().get(0).digest());
      assertEquals(registry.host() + "/attach/hello", st.subjects().get(0).name());
      checkProvenance(st.predicate(), prefix);

      VerifyAttestation.Result sbom =
          VerifyAttestation.run(
              VerifyAttestation.options().location(where).key(pub).type("cyclonedx").build(),
              session);
      assertTrue(sbom.ok(), where + ": " + sbom.problems());
      JsonNode predicate = sbom.verified().get(0).check().statement().predicate();
      Sbom.Result direct = Sbom.run(Sbom.options().location(where).build(), session);
      JsonNode expected = JSON.readTree(direct.document());
      assertEquals("CycloneDX", predicate.path("bomFormat").asText());
      assertTrue(
          expected.path("components").toString().contains("pkg:maven/org.example/greeter@1.2.3"),
          expected.toString());
      assertEquals(expected.path("components"), predicate.path("components"));
      assertEquals(
          "2023-11-14T22:13:20Z",
          predicate.path("metadata").path("timestamp").asText(),
          "the SBOM's time is SOURCE_DATE_EPOCH's");
    }

    Tree.Result tree = Tree.run(Tree.options().location(pushed).build(), session);
    assertEquals(2, tree.of(Tree.Kind.SIGNATURE).size());
    assertEquals(4, tree.of(Tree.Kind.ATTESTATION).size());
  }

  /** The predicate field by field against SLSA v1.0 and what the build used. */
  private void checkProvenance(JsonNode p, String prefix) throws Exception {
    JsonNode def = p.path("buildDefinition");
    assertEquals(BuildAttachments.BUILD_TYPE, def.path("buildType").asText());
    JsonNode ext = def.path("externalParameters");
    assertEquals("hello", ext.path("service").asText());
    assertEquals("caulk.yaml", ext.path("configFile").asText());
    assertEquals(EPOCH, ext.path("SOURCE_DATE_EPOCH").asText());
    JsonNode settings = ext.path("settings");
    assertEquals(prefix, settings.path("prefix").asText());
    assertEquals("v1", settings.path("tag").asText());
    assertEquals("build/{service}-linux-{arch}", settings.path("binary").asText());
    assertEquals("/app/app.conf", settings.path("files").get(0).path("destination").asText());
    assertEquals("2023-11-14T22:13:20Z", settings.path("epoch").asText());
    assertEquals("default", settings.path("java").path("cds").asText(), settings.toString());
    JsonNode flags = ext.path("flags");
    assertTrue(flags.path("push").asBoolean() && flags.path("sbom").asBoolean());
    assertTrue(flags.path("provenance").asBoolean() && flags.path("sign").asBoolean());
    assertEquals("v1", flags.path("overrides").path("tag").asText());
    assertFalse(flags.toString().contains("build attach password"), "no secret in provenance");

    Map<String, JsonNode> deps = new java.util.HashMap<>();
    for (JsonNode d : def.path("resolvedDependencies")) {
      deps.put(d.path("name").asText(), d);
    }
    String binary = Digest.sha256(Files.readAllBytes(Path.of("/bin/true"))).hex();
    JsonNode bin = deps.get("build/hello-linux-amd64");
    assertNotNull(bin, deps.keySet().toString());
    assertEquals(binary, bin.path("digest").path("sha256").asText());
    assertEquals("binary", bin.path("annotations").path("role").asText());
    assertEquals("linux/amd64", bin.path("annotations").path("platform").asText());
    assertEquals(
        Digest.sha256(Files.readAllBytes(project.resolve("conf/app.conf"))).hex(),
        deps.get("conf/app.conf").path("digest").path("sha256").asText());
    assertEquals(
        Digest.sha256(Files.readAllBytes(project.resolve("caulk.yaml"))).hex(),
        deps.get("caulk.yaml").path("digest").path("sha256").asText());
    JsonNode ca = deps.get("ca-certificates.crt");
    assertNotNull(ca, "the host's CA bundle is an input: " + deps.keySet());
    assertEquals("file:///etc/ssl/certs/ca-certificates.crt", ca.path("uri").asText());
    assertEquals(
        Digest.sha256(Files.readAllBytes(Path.of("/etc/ssl/certs/ca-certificates.crt"))).hex(),
        ca.path("digest").path("sha256").asText());

    JsonNode run = p.path("runDetails");
    assertEquals(BuildAttachments.BUILDER_ID, run.path("builder").path("id").asText());
    assertEquals("9.9.9", run.path("builder").path("version").path("caulk").asText());
    assertEquals("2023-11-14T22:13:20Z", run.path("metadata").path("startedOn").asText());
    assertEquals("2023-11-14T22:13:20Z", run.path("metadata").path("finishedOn").asText());
  }

  @Test
  void theGitRevisionIsAResolvedDependency() throws Exception {
    git("init", "-q");
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one");
    git("remote", "add", "origin", "https://git.example/team/hello.git");
    String rev = git("rev-parse", "HEAD").strip();
    Path out = tmp.resolve("git-out");
    Build.run(
        options("example.test/")
            .to(ImageLocation.parse("oci:" + out))
            .attachments(new BuildAttachments.Request(false, true, false, key, PASSWORD, "1"))
            .build(),
        session);
    JsonNode predicate =
        VerifyAttestation.run(
                VerifyAttestation.options()
                    .location(ImageLocation.parse("oci:" + out + ":hello"))
                    .key(pub)
                    .type("slsaprovenance1")
                    .build(),
                session)
            .verified()
            .get(0)
            .check()
            .statement()
            .predicate();
    JsonNode source = predicate.path("buildDefinition").path("resolvedDependencies").get(0);
    assertEquals("source", source.path("name").asText());
    assertEquals("git+https://git.example/team/hello.git", source.path("uri").asText());
    assertEquals(rev, source.path("digest").path("gitCommit").asText());
  }

  private String git(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", project.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void theSameEpochGivesTheSameProvenanceBytes() throws Exception {
    Path out = tmp.resolve("repro");
    ImageLocation to = ImageLocation.parse("oci:" + out);
    BuildAttachments.Request prov =
        new BuildAttachments.Request(false, true, false, key, PASSWORD.clone(), "1.0");
    Digest first =
        Build.run(options("example.test/").to(to).attachments(prov).build(), session)
            .images()
            .get(0)
            .digest();
    Build.run(options("example.test/").to(to).attachments(prov).build(), session);
    List<SignatureLayer> layers =
        Attachments.layers(to, first, SignatureImages.ATTESTATION_SUFFIX, session.source());
    assertEquals(2, layers.size(), "two envelopes (ECDSA signatures differ)");
    byte[] a = Dsse.parse(layers.get(0).payload()).payload();
    byte[] b = Dsse.parse(layers.get(1).payload()).payload();
    assertEquals(new String(a), new String(b), "the same statement, byte for byte");
  }

  @Test
  void usageMistakesAndAWrongPasswordFailBeforeBuilding() throws Exception {
    ImageLocation to = ImageLocation.parse("oci:" + tmp.resolve("never"));
    String noKey =
        assertThrows(
                InvalidOptionsException.class,
                () ->
                    options("x/")
                        .to(to)
                        .attachments(
                            new BuildAttachments.Request(true, true, false, null, null, "1"))
                        .build())
            .getMessage();
    assertTrue(noKey.startsWith("--sbom, --provenance: --key KEY is required"), noKey);
    String nowhere =
        assertThrows(
                InvalidOptionsException.class,
                () ->
                    options("x/")
                        .to(ImageLocation.parse("docker-archive:" + tmp.resolve("a.tar")))
                        .attachments(
                            new BuildAttachments.Request(true, false, false, key, PASSWORD, "1"))
                        .build())
            .getMessage();
    assertTrue(nowhere.startsWith("--sbom: nowhere to attach to; add --push or --to oci:DIR"));
    String keyAlone =
        assertThrows(
                InvalidOptionsException.class,
                () ->
                    options("x/")
                        .to(to)
                        .attachments(
                            new BuildAttachments.Request(false, false, false, key, PASSWORD, "1"))
                        .build())
            .getMessage();
    assertEquals(
        "--key is for --sign, --sbom and --provenance; give at least one of them", keyAlone);

    BuildAttachments.Request wrong =
        new BuildAttachments.Request(false, false, true, key, "nope".toCharArray(), "1");
    Exception e =
        assertThrows(
            Exception.class,
            () -> Build.run(options("x/").to(to).attachments(wrong).build(), session));
    assertEquals(key + ": wrong password or corrupt key", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("never")), "nothing was built or written");
    assertFalse(wrong.toString().contains("nope"), "the password is not in toString");
  }
}
