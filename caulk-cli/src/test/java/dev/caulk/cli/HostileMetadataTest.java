package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.digest.Digest;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's first crash, end to end: a real-size Google Cloud service-account key (a 2048-bit key
 * body, about 1,700 base64 characters with {@code \n} escapes) in an ENV value and a label made
 * {@code inspect}, and even {@code audit --no-secrets}, overflow the stack in the old pattern. Each
 * verb now answers, and the key body never reaches the output.
 */
class HostileMetadataTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static String image;
  private static String keyLine;

  @BeforeAll
  static void layout() throws IOException {
    Random r = new Random(42);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\\n");
    for (int line = 0; line < 27; line++) {
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < 64; i++) l.append(alphabet.charAt(r.nextInt(alphabet.length())));
      if (line == 10) keyLine = l.toString();
      pem.append(l).append("\\n");
    }
    pem.append("-----END PRIVATE KEY-----\\n");
    String sa =
        "{\"type\": \"service_"
            + "account\", \"project_id\": \"demo\", \"private_key_id\": \""
            + "a1b2c3d4".repeat(5)
            + "\", \"private_key\": \""
            + pem
            + "\", \"client_email\": \"svc@demo.iam.gserviceaccount.com\"}";
    byte[] layer =
        TestTars.tar()
            .dir("app")
            .file("app/svc", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, 0755, 0, 0)
            .bytes();
    ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
    ObjectNode c = config.putObject("config").put("User", "1000");
    c.putArray("Env").add("PATH=/app").add("GOOGLE_CREDENTIALS=" + sa);
    c.putArray("Entrypoint").add("/app/svc");
    c.putObject("Labels").put("credentials", sa);
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    rootfs.putArray("diff_ids").add(Digest.sha256(layer).toString());
    ArrayNode history = config.putArray("history");
    history.addObject().put("created_by", "ENV GOOGLE_CREDENTIALS=" + sa);
    byte[] cfg = JSON.writeValueAsBytes(config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(cfg)
                + "\",\"size\":"
                + cfg.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + Digest.sha256(layer)
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    Path dir = tmp.resolve("src");
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    for (byte[] b : new byte[][] {layer, cfg, manifest})
      Files.write(blobs.resolve(Digest.sha256(b).hex()), b);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(
        dir.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
            + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
            + Digest.sha256(manifest)
            + "\",\"size\":"
            + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"app\"}}]}");
    image = "oci:" + dir + ":app";
  }

  @Test
  void everyVerbAnswersAndNoneShowsTheKey() {
    for (String[] args :
        new String[][] {
          {"inspect", image},
          {"inspect", "--format", "json", image},
          {"audit", "--no-secrets", image},
          {"audit", image},
          {"audit", "--format", "json", image},
          {"audit", "--format", "sarif", image},
          {"sbom", image}
        }) {
      Cli.Run r = Cli.run(args);
      assertTrue(
          r.exit() == 0 || (args[0].equals("audit") && r.exit() == 1),
          String.join(" ", args) + ": " + r);
      assertFalse(r.err().contains("stack"), String.join(" ", args) + ": " + r.err());
      assertFalse(
          r.out().contains(keyLine) || r.err().contains(keyLine),
          String.join(" ", args) + " printed the key body");
    }
  }

  @Test
  void theAuditFindsTheKeyInTheEnvTheLabelAndTheHistory() {
    Cli.Run r = Cli.run("audit", "--format", "json", "--exit-code", "1", image);
    assertTrue(
        r.out().contains("gcp-service-account") || r.out().contains("service-account"), r.out());
    assertEquals(1, r.exit(), "the secret fails the gate: " + r.err());
  }
}
