package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shapes of content that once crashed the scanner or made it super-linear; each must finish
 * quickly.
 */
class HostileSecretsTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private final Tokens t = new Tokens(7);

  /**
   * A real service-account key: a 2048-bit key body is about 1,700 base64 characters in 27 lines.
   */
  private String serviceAccount(String keyId) {
    return "{\n  \"type\": \"service_"
        + "account\",\n  \"project_id\": \"demo\",\n  \"private_key_id\": \""
        + keyId
        + "\",\n  \"private_key\": \""
        + t.pem("", 27, "\\n")
        + "\",\n  \"client_email\": \"svc@demo.iam.gserviceaccount.com\"\n}\n";
  }

  @Test
  void realSizeServiceAccountKeyIsFoundWithoutStackOverflow() {
    String keyId = t.hex(40);
    String json = serviceAccount(keyId);
    List<SecretHit> hits =
        assertTimeoutPreemptively(
            LIMIT, () -> SecretScanner.scan("/app/sa.json", json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, hits.size(), hits::toString);
    assertEquals("gcp-service-account", hits.get(0).detectorId());
    assertEquals(keyId.substring(0, 4) + "****", hits.get(0).masked());
  }

  @Test
  void serviceAccountKeyInAnEnvValueIsMasked() {
    String json = serviceAccount(t.hex(40)).replace("\n", "");
    String masked =
        assertTimeoutPreemptively(
            LIMIT, () -> SecretScanner.maskValue("GOOGLE_CREDENTIALS_JSON", json));
    assertTrue(
        masked.contains("****")
            && !masked.contains(
                "BEGIN PRIVATE KEY-----" + json.substring(json.indexOf("KEY-----") + 8, 200)),
        masked);
    String inner =
        assertTimeoutPreemptively(LIMIT, () -> SecretScanner.maskValue("SETTINGS", json));
    assertTrue(inner.contains("****"), inner);
    assertEquals(1, SecretScanner.scanAssignment("SETTINGS", json).size());
  }

  /**
   * 1 MiB files built from one unit repeated: every detector's worst shape, and a key body 600
   * times longer than a key.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "ey",
        "eyAAAAAAAA.",
        "ghp_",
        "a",
        "key=",
        "password=\"",
        "token: '",
        "-----BEGIN PRIVATE KEY-----\\n",
        "\"private_key\": \"-----BEGIN PRIVATE KEY-----",
        "xoxb-1-",
        "secret_access_key=",
        "A",
        "--password ",
        "glpat-aaaaaaaaaaaaaaaaaaaaaa.",
        "\"type\": \"service_account\" "
      })
  void oneMebibyteOfARepeatedUnitIsLinear(String unit) {
    String u = unit.replace("\\n", "\n");
    StringBuilder sb =
        new StringBuilder(
            u.equals("A")
                ? "\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----"
                : "");
    while (sb.length() < SecretScanner.MAX_SCAN_BYTES) sb.append(u);
    byte[] file = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    long t0 = System.nanoTime();
    assertTimeoutPreemptively(LIMIT, () -> SecretScanner.scan("/app/hostile.txt", file));
    assertTimeoutPreemptively(LIMIT, () -> SecretScanner.maskValue("X", sb.toString()));
    System.out.printf(
        "secret scan of 1 MiB of %s: %d ms%n", unit, (System.nanoTime() - t0) / 1_000_000);
  }
}
