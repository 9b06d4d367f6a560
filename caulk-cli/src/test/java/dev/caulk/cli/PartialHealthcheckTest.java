package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image whose config has a Healthcheck with only some fields, as {@code docker build} writes for
 * a plain {@code HEALTHCHECK CMD ...} ({@code Test} only) and as other writers do (the other fields
 * null). The layout is written by hand here, so the config bytes are exactly these. {@code
 * inspect}, {@code audit} and {@code copy} failed on it with "Cannot map null into type long".
 */
class PartialHealthcheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static Path dir;
  private static byte[] config;

  @BeforeAll
  static void layout() throws IOException {
    byte[] exe = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    byte[] layer =
        TestTars.tar()
            .dir("etc")
            .file("etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:10:10::/:/sbin/nologin\n")
            .file("app/svc", exe, 0755, 0, 0)
            .bytes();
    config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-03-01T10:20:30.123456789Z\","
                + "\"config\":{\"User\":\"app\",\"Env\":[\"PATH=/app\"],\"Entrypoint\":[\"/app/svc\"],\"Cmd\":null,\"Volumes\":null,"
                + "\"Labels\":null,\"OnBuild\":null,"
                + "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"],\"Interval\":null,\"Retries\":null}},"
                + "\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) HEALTHCHECK\"],"
                + "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"]}},\"docker_version\":\"20.10.24\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(layer)
                + "\"]},"
                + "\"history\":[{\"created_by\":\"/bin/sh -c #(nop) ADD file:x in /\"},"
                + "{\"created_by\":\"/bin/sh -c #(nop)  HEALTHCHECK &{[\\\"CMD-SHELL\\\" \\\"curl -f http://localhost/\\\"]}\",\"empty_layer\":true}]}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config)
                + "\",\"size\":"
                + config.length
                + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + Digest.sha256(layer)
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] index =
        ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\""
                + Digest.sha256(manifest)
                + "\",\"size\":"
                + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"app\"}}]}")
            .getBytes(StandardCharsets.UTF_8);
    dir = tmp.resolve("src");
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    for (byte[] b : new byte[][] {layer, config, manifest})
      Files.write(blobs.resolve(Digest.sha256(b).hex()), b);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.write(dir.resolve("index.json"), index);
  }

  /**
   * A manifest the schema forbids (a size given as a string) fails every verb with one line naming
   * the field.
   */
  @Test
  void invalidManifestGivesOneLine() throws IOException {
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    try (var files = Files.walk(dir)) {
      for (Path f : files.toList()) {
        Path t = bad.resolve(dir.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(t);
        else Files.copy(f, t);
      }
    }
    Path blobs = bad.resolve("blobs/sha256");
    JsonNode index = JSON.readTree(Files.readAllBytes(bad.resolve("index.json")));
    String mhex = index.at("/manifests/0/digest").asText().substring(7);
    String manifest =
        Files.readString(blobs.resolve(mhex))
            .replaceFirst("\"size\":(\\d+)}]}$", "\"size\":\"$1\"}]}");
    byte[] mb = manifest.getBytes(StandardCharsets.UTF_8);
    Files.write(blobs.resolve(Digest.sha256(mb).hex()), mb);
    Files.writeString(
        bad.resolve("index.json"),
        Files.readString(bad.resolve("index.json"))
            .replace(mhex, Digest.sha256(mb).hex())
            .replaceFirst("\"size\":\\d+", "\"size\":" + mb.length));
    for (String verb : new String[] {"inspect", "audit", "copy"}) {
      Cli.Run r =
          verb.equals("copy")
              ? Cli.run("copy", "oci:" + bad + ":app", "oci:" + tmp.resolve("never") + ":app")
              : Cli.run(verb, "oci:" + bad + ":app");
      assertTrue(r.exit() != 0, r.toString());
      assertTrue(
          r.err().contains("manifest: layers[0].size: must be an integer >= 0, got string \""),
          r.toString());
      assertEquals(1, r.err().strip().lines().count(), r.toString());
      assertFalse(r.err().contains("at dev.caulk"), r.toString());
    }
  }

  @Test
  void inspectShowsTheHealthcheck() throws IOException {
    Cli.Run r = Cli.run("inspect", "oci:" + dir + ":app");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("Healthcheck   [CMD-SHELL, curl -f http://localhost/]"), r.out());
    assertTrue(r.out().contains("User          app"), r.out());
    Cli.Run j = Cli.run("inspect", "--format", "json", "oci:" + dir + ":app");
    assertEquals(0, j.exit(), j.toString());
    JsonNode hc = JSON.readTree(j.out()).at("/config/config/Healthcheck");
    assertEquals("CMD-SHELL", hc.at("/Test/0").asText(), j.out());
    assertFalse(hc.has("Interval"), "unset durations are not shown as 0: " + hc);
  }

  @Test
  void auditSeesTheHealthcheck() throws IOException {
    Cli.Run r = Cli.run("audit", "--format", "json", "oci:" + dir + ":app");
    assertEquals(0, r.exit(), r.toString());
    JsonNode root = JSON.readTree(r.out());
    assertFalse(
        root.get("findings").findValuesAsText("id").contains("CIS-DI-0006"),
        "a Healthcheck is present: " + r.out());
  }

  @Test
  void copyKeepsTheConfigBytes() throws IOException {
    Path out = tmp.resolve("out");
    Cli.Run r = Cli.run("copy", "oci:" + dir + ":app", "oci:" + out + ":app");
    assertEquals(0, r.exit(), r.toString());
    assertArrayEquals(
        config, Files.readAllBytes(out.resolve("blobs/sha256/" + Digest.sha256(config).hex())));
    Cli.Run a =
        Cli.run(
            "copy", "oci:" + dir + ":app", "docker-archive:" + tmp.resolve("a.tar") + ":hc/app:1");
    assertEquals(0, a.exit(), a.toString());
    Cli.Run back = Cli.run("inspect", "docker-archive:" + tmp.resolve("a.tar"));
    assertEquals(0, back.exit(), back.toString());
    assertTrue(
        back.out().contains("Healthcheck   [CMD-SHELL, curl -f http://localhost/]"), back.out());
  }
}
