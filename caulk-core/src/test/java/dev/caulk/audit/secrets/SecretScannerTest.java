package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.report.Severity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
  private final Tokens t = new Tokens(42);

  /** Scans text as a file and expects exactly one hit, from {@code id}, on {@code line}. */
  private SecretHit one(String text, String id, int line, String secret) {
    List<SecretHit> hits =
        SecretScanner.scan("/app/file.txt", text.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, hits.size(), () -> "hits for " + id + ": " + hits);
    SecretHit hit = hits.get(0);
    assertEquals(id, hit.detectorId());
    assertEquals(line, hit.line(), id);
    assertMasked(hit.masked(), secret);
    Severity.parse(hit.severity()); // every severity is a report severity
    return hit;
  }

  static void assertMasked(String masked, String secret) {
    assertTrue(masked.endsWith("****"), masked);
    assertTrue(masked.length() <= 8, masked);
    String shown = masked.substring(0, masked.length() - 4);
    assertTrue(shown.length() <= 4);
    assertTrue(secret.startsWith(shown), masked + " is not a prefix of the secret");
  }

  @Test
  void awsAccessKeyIdAndSecret() {
    String id = t.awsKeyId();
    one("[default]\naws_access_key_id = " + id + "\n", "aws-access-key-id", 2, id);
    String secret = t.awsSecret();
    SecretHit hit =
        one(
            "[default]\nregion = eu-west-1\naws_secret_access_key = " + secret + "\n",
            "aws-secret-access-key",
            3,
            secret);
    assertEquals("CRITICAL", hit.severity());
    one("{\"SecretAccessKey\": \"" + secret + "\"}", "aws-secret-access-key", 1, secret);
  }

  @Test
  void gcpServiceAccountIsReportedOnceWithItsKeyId() {
    String keyId = t.hex(40);
    String body = t.pem("", 6, "\\n");
    String json =
        "{\n  \"type\": \"service_"
            + "account\",\n  \"project_id\": \"demo\",\n"
            + "  \"private_key_id\": \""
            + keyId
            + "\",\n  \"private_key\": \""
            + body
            + "\",\n"
            + "  \"client_email\": \"svc@demo.iam.gserviceaccount.com\"\n}\n";
    SecretHit hit = one(json, "gcp-service-account", 5, keyId);
    assertEquals(keyId.substring(0, 4) + "****", hit.masked());
  }

  @Test
  void githubTokens() {
    String[][] kinds = {
      {"p", "github-pat"},
      {"o", "github-oauth"},
      {"u", "github-app-token"},
      {"s", "github-app-token"},
      {"r", "github-refresh-token"}
    };
    for (String[] k : kinds) {
      String token = t.github(k[0]);
      one("export GITHUB_TOKEN=" + token, k[1], 1, token);
    }
    String fine = t.githubFineGrained();
    one("token: " + fine, "github-fine-grained-pat", 1, fine);
  }

  @Test
  void gitlabSlackStripeNpmPypi() {
    String gl = t.gitlab();
    one("CI_JOB=1\nGL=" + gl, "gitlab-pat", 2, gl);
    String slack = t.slackBot();
    one("slack:\n  bot: " + slack, "slack-token", 2, slack);
    String hook = t.slackWebhook();
    SecretHit h =
        one(
            "url = \"" + hook + "\"",
            "slack-webhook",
            1,
            hook.substring(hook.lastIndexOf('/') + 1));
    assertFalse(h.masked().startsWith("http"));
    String sk = t.stripe("sk");
    one("STRIPE=" + sk, "stripe-secret-key", 1, sk);
    String rk = t.stripe("rk");
    one("STRIPE=" + rk, "stripe-restricted-key", 1, rk);
    String npm = t.npm();
    one("//registry.npmjs.org/:_authToken=" + npm, "npm-access-token", 1, npm);
    String pypi = t.pypi();
    one("[pypi]\nusername = __token__\npassword = " + pypi, "pypi-upload-token", 3, pypi);
  }

  @Test
  void jwtNeedsAJsonHeaderWithAlg() {
    String jwt = t.jwt();
    one("Authorization: Bearer " + jwt, "jwt", 1, jwt);
    String notJwt =
        "ey"
            + t.chars(Tokens.ALNUM, 20)
            + "."
            + t.chars(Tokens.ALNUM, 20)
            + "."
            + t.chars(Tokens.ALNUM, 30);
    assertEquals(List.of(), SecretScanner.scanText("x " + notJwt));
  }

  @Test
  void pemPrivateKeysOfEveryKind() {
    for (String kind : List.of("RSA ", "EC ", "DSA ", "OPENSSH ", "")) {
      String pem = t.pem(kind, 8, "\n");
      String body = pem.split("\n")[1];
      one("# key\n\n" + pem, "private-key", 3, body);
    }
    // legacy encrypted PEM with RFC 1421 headers, and CRLF line ends
    String enc =
        t.pem("RSA ", 8, "\r\n")
            .replaceFirst(
                "KEY-----\r\n",
                "KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-128-CBC,"
                    + t.hex(32).toUpperCase()
                    + "\r\n\r\n");
    SecretHit hit = one(enc, "private-key", 1, enc.split("\r\n")[4]);
    assertEquals("RSA private key", hit.title());
    // a key inside a JSON or shell string with escaped newlines
    String escaped = t.pem("", 4, "\\n");
    one(
        "{\"key\": \"" + escaped + "\"}",
        "private-key",
        1,
        escaped.substring(escaped.indexOf("\\n") + 2));
  }

  @Test
  void genericAssignmentsInManySyntaxes() {
    String v = t.chars(Tokens.ALNUM, 24);
    one("DB_PASSWORD=" + v, "generic-secret", 1, v);
    one("export DB_PASSWORD=\"" + v + "\"", "generic-secret", 1, v);
    one("{\n  \"clientSecret\": \"" + v + "\"\n}", "generic-secret", 2, v);
    one("api_key: '" + v + "'", "generic-secret", 1, v);
    one("spring.datasource.password = " + v, "generic-secret", 1, v);
    one("mysql --user=root --password=" + v + " db", "generic-secret", 1, v);
    one("config.secret_key_base => '" + v + "'", "generic-secret", 1, v);
    one("PRIVATE_KEY=" + v, "generic-secret", 1, v);
  }

  @Test
  void aSpecificHitSuppressesTheGenericOne() {
    String token = t.github("p");
    List<SecretHit> hits = SecretScanner.scanText("GITHUB_TOKEN=" + token);
    assertEquals(1, hits.size());
    assertEquals("github-pat", hits.get(0).detectorId());
    String secret = t.awsSecret();
    hits = SecretScanner.scanText("AWS_SECRET_ACCESS_KEY=" + secret);
    assertEquals(
        List.of("aws-secret-access-key"), hits.stream().map(SecretHit::detectorId).toList());
  }

  @Test
  void lineNumbersAndSeveralHits() {
    String a = t.awsKeyId();
    String b = t.npm();
    String c = t.github("p");
    String text = "first " + a + "\r\nsecond\r\nthird " + b + "\n\n\n\nseventh " + c + "\n";
    List<SecretHit> hits = SecretScanner.scanText(text);
    assertEquals(List.of(1, 3, 7), hits.stream().map(SecretHit::line).toList());
    assertEquals(
        List.of("aws-access-key-id", "npm-access-token", "github-pat"),
        hits.stream().map(SecretHit::detectorId).toList());
  }

  @Test
  void detectorIdsAreStableAndSeveritiesValid() {
    // the hand-written detectors keep their ids and order; the declarative rules (SecretRules) come
    // between the
    // last of them and generic-secret, which loses to every other hit
    List<String> ids = new java.util.ArrayList<>(SecretScanner.detectorIds());
    ids.removeAll(SecretRules.all().stream().map(SecretRule::id).toList());
    assertEquals(
        List.of(
            "gcp-service-account",
            "aws-access-key-id",
            "aws-secret-access-key",
            "github-pat",
            "github-oauth",
            "github-app-token",
            "github-refresh-token",
            "github-fine-grained-pat",
            "gitlab-pat",
            "slack-token",
            "slack-webhook",
            "stripe-secret-key",
            "stripe-restricted-key",
            "npm-access-token",
            "pypi-upload-token",
            "jwt",
            "docker-config-auth",
            "private-key",
            "putty-private-key",
            "kubernetes-secret",
            "netrc-password",
            "pgpass-password",
            "git-credentials-password",
            "pypirc-password",
            "npmrc-auth",
            "maven-settings-password",
            "kubeconfig-credential",
            "wordpress-db-password",
            "java-keystore",
            "generic-secret",
            "pkcs12-file"),
        ids);
    List<String> all = SecretScanner.detectorIds();
    assertEquals(List.of("generic-secret", "pkcs12-file"), all.subList(all.size() - 2, all.size()));
    for (SecretDetector d : SecretScanner.detectors()) {
      Severity.parse(d.severity());
    }
  }

  @Test
  void boundedByMaxHitsAndMaxBytes() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < SecretScanner.MAX_HITS + 50; i++) {
      many.append(t.npm()).append('\n');
    }
    assertEquals(SecretScanner.MAX_HITS, SecretScanner.scanText(many.toString()).size());

    byte[] big = new byte[SecretScanner.MAX_SCAN_BYTES + 100];
    java.util.Arrays.fill(big, (byte) ' ');
    byte[] token = t.npm().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(token, 0, big, SecretScanner.MAX_SCAN_BYTES + 10, token.length);
    assertEquals(List.of(), SecretScanner.scan("/big.txt", big));
    System.arraycopy(token, 0, big, 10, token.length);
    assertEquals(1, SecretScanner.scan("/big.txt", big).size());
  }

  @Test
  void serviceAccountHeaderWithoutAKeyIsNotReportedTwiceOrAsGeneric() {
    String json =
        "{\"type\": \"service_"
            + "account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n...\"}";
    assertEquals(List.of(), SecretScanner.scanText(json));
  }

  @Test
  void hostileInputStaysFast() {
    // long runs that almost match several patterns must not blow up matching time
    String[] evil = {
      "ey".repeat(200_000) + "." + "a".repeat(100_000) + "password=" + "=".repeat(100_000),
      "-----BEGIN PRIVATE KEY-----".repeat(20_000),
      ("\"type\": \"service_" + "account\" \"private_key\": \"-----BEGIN PRIVATE KEY-----")
          .repeat(5_000),
      "a-".repeat(200_000) + " password"
    };
    long start = System.nanoTime();
    for (String e : evil) {
      SecretScanner.scanText(e);
    }
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "scan took too long");
  }
}
