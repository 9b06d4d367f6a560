package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.spec.SpecJson;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caulk build --sbom --provenance --sign --key KEY} end to end, in a child JVM with the
 * password in {@code CAULK_PASSWORD} as a user runs it: pushed to Debian's real registry and
 * written to an OCI layout, then {@code caulk verify} and {@code caulk verify-attestation} accept
 * what was attached; the image's digest is the one a plain build gives; usage mistakes are one line
 * and exit 2.
 */
class BuildAttachCommandIT {
  @RegisterExtension
  static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  static final String PASSWORD = "build attach it";
  static final String EPOCH = "1700000000";

  @TempDir static Path shared;
  static SigningSetup setup;
  static Path key;
  static Path pub;
  static Path project;

  @BeforeAll
  static void keyAndProject() throws Exception {
    setup = new SigningSetup(PLAIN, shared, PASSWORD);
    SigningSetup.KeyPair release = setup.keyPair("release");
    key = release.key();
    pub = release.pub();
    project = Files.createDirectories(shared.resolve("project"));
    Files.createDirectories(project.resolve("cmd/hello"));
    Files.createDirectories(project.resolve("build"));
    Files.copy(Path.of("/bin/true"), project.resolve("build/hello-linux-amd64"));
    Files.writeString(project.resolve("caulk.yaml"), "tag: v1\n");
  }

  /** caulk in a child JVM, the password and SOURCE_DATE_EPOCH in its environment. */
  static Cli.Run child(String... args) throws Exception {
    return setup.child(Map.of("CAULK_PASSWORD", PASSWORD, "SOURCE_DATE_EPOCH", EPOCH), args);
  }

  static String digestOf(Cli.Run r) {
    String line = r.out().strip();
    assertEquals(1, line.lines().count(), r.toString());
    return line.substring(line.indexOf('@') + 1);
  }

  static void oneErrorLine(Cli.Run r, String start) {
    assertEquals(2, r.exit(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(r.err().startsWith("caulk: error: " + start), r.toString());
  }

  @Test
  void buildAttachesWhatVerifyAndVerifyAttestationAccept() throws Exception {
    String prefix = setup.host() + "/build-attach/";
    Path cache = shared.resolve("cache");
    Cli.Run plain =
        child(
            "build",
            "-C",
            project.toString(),
            "--cache",
            cache.toString(),
            "--prefix",
            prefix,
            "--to",
            "oci:" + shared.resolve("plain"));
    assertEquals(0, plain.exit(), plain.toString());

    Path out = shared.resolve("out");
    Cli.Run r =
        child(
            "build",
            "-C",
            project.toString(),
            "--cache",
            cache.toString(),
            "--prefix",
            prefix,
            "--push",
            "--to",
            "oci:" + out,
            "--sbom",
            "--provenance",
            "--sign",
            "--key",
            key.toString());
    assertEquals(0, r.exit(), r.toString());
    assertEquals(digestOf(plain), digestOf(r), "the image is the same with and without them");
    assertFalse(r.err().contains(PASSWORD), "the password is never shown");

    for (String where : List.of("docker://" + prefix + "hello:v1", "oci:" + out + ":hello")) {
      int copies = where.startsWith("docker://") ? 2 : 1; // tag scheme (+ referrer in a registry)
      Cli.Run v = Cli.run("verify", where, "--key", pub.toString());
      assertEquals(0, v.exit(), where + ": " + v);
      assertEquals(copies, v.out().lines().count(), where + ": " + v);

      Cli.Run prov =
          Cli.run(
              "verify-attestation", where, "--key", pub.toString(), "--type", "slsaprovenance1");
      assertEquals(0, prov.exit(), where + ": " + prov);
      List<String> predicates = prov.out().lines().toList();
      assertEquals(copies, predicates.size(), prov.toString());
      JsonNode p = SpecJson.mapper().readTree(predicates.get(0));
      assertEquals(
          "https://caulk.dev/build/v1", p.path("buildDefinition").path("buildType").asText());
      assertEquals(
          "hello", p.path("buildDefinition").path("externalParameters").path("service").asText());
      assertEquals(
          "2023-11-14T22:13:20Z", p.path("runDetails").path("metadata").path("startedOn").asText());
      boolean binary = false;
      for (JsonNode d : p.path("buildDefinition").path("resolvedDependencies")) {
        binary |= d.path("name").asText().equals("build/hello-linux-amd64");
      }
      assertTrue(binary, p.toString());

      Cli.Run sbom =
          Cli.run("verify-attestation", where, "--key", pub.toString(), "--type", "cyclonedx");
      assertEquals(0, sbom.exit(), where + ": " + sbom);
      JsonNode attached = SpecJson.mapper().readTree(sbom.out().lines().findFirst().orElseThrow());
      Cli.Run direct = Cli.run("sbom", where);
      assertEquals(0, direct.exit(), direct.toString());
      JsonNode expected = SpecJson.mapper().readTree(direct.out());
      assertEquals(expected.path("components"), attached.path("components"));
      // the attached SBOM is made where the image was written by digest: the same image, no tag
      JsonNode component = attached.path("metadata").path("component");
      assertEquals(digestOf(r), component.path("version").asText(), component.toString());
      assertEquals(
          expected.path("metadata").path("component").path("version"), component.path("version"));

      Cli.Run other =
          Cli.run("verify-attestation", where, "--key", pub.toString(), "--type", "openvex");
      assertEquals(1, other.exit(), "nothing of another type is attached: " + other);
    }
  }

  @Test
  void usageMistakesAreOneLineAndExit2() throws Exception {
    String cache = shared.resolve("cache-errors").toString();
    String dir = project.toString();
    oneErrorLine(
        Cli.run(
            "build", "-C", dir, "--cache", cache, "--to", "oci:" + shared.resolve("x"), "--sign"),
        "--sign: --key KEY is required");
    oneErrorLine(
        Cli.run(
            "build",
            "-C",
            dir,
            "--cache",
            cache,
            "--to",
            "docker-archive:" + shared.resolve("x.tar"),
            "--provenance",
            "--key",
            key.toString()),
        "--provenance: nowhere to attach to; add --push or --to oci:DIR");
    assertFalse(Files.exists(shared.resolve("x.tar")), "nothing was built");
    oneErrorLine(
        Cli.run("scan", "oci:" + shared.resolve("plain") + ":hello", "--vex-from-registry"),
        "--vex-from-registry needs --key PUB");
  }
}
