package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values that look like secrets but are placeholders, references, examples or code: never reported.
 */
class PlaceholderNegativesTest {
  private final Tokens t = new Tokens(7);

  private static void none(String text) {
    assertEquals(
        List.of(), SecretScanner.scan("/app/config", text.getBytes(StandardCharsets.UTF_8)), text);
  }

  @Test
  void angleBracketPlaceholders() {
    none("GITHUB_TOKEN=<your token>");
    none("API_KEY=\"<your-api-key-goes-in-this-place>\"");
    none("Authorization: Bearer <token>");
  }

  @Test
  void variableAndTemplateReferences() {
    none("PASSWORD=${DB_PASSWORD}");
    none("PASSWORD=$DB_PASSWORD");
    none("DB_PASSWORD=%DB_PASSWORD%");
    none("token: ${{ secrets.DEPLOY_TOKEN }}");
    none("password: {{ .Values.db.password }}");
    none("secret = \"#{ENV['APP_SECRET']}\"");
    none("PASSWORD=$(cat /run/secrets/db)");
  }

  @Test
  void wellKnownPlaceholderWords() {
    none("password: changeme123!Q");
    none("keystore_password=changeit99X");
    none("api_key=example-key-1234567");
    none("token: xxxxxxxxxxxxxxxxxxxxxxx");
    none("SECRET=dummy_secret_9f8e7d");
    none("DB_PASSWORD=test1234Abc");
    none("CLIENT_SECRET=your-client-secret-here");
    none("AUTH_TOKEN=yourTokenGoesHere9");
    none("SESSION_SECRET=REDACTED");
    none("password = \"********\"");
  }

  @Test
  void repeatedCharacters() {
    none("AUTH_TOKEN=aaaaaaaaaaaaaaaaaaaaaaaa");
    none("x " + "gh" + "p_" + "A".repeat(36));
    none("x " + "np" + "m_" + "ab".repeat(18));
    none("API_KEY=121212121212121212");
  }

  @Test
  void awsDocumentedExampleKeys() {
    none("aws_access_key_id = " + "AK" + "IAIOSFODNN7" + "EXAMPLE");
    none("aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY");
  }

  /**
   * Stripe test keys reach no live data but still open the account's test mode (its customers' test
   * objects, webhooks): reported, at LOW, as their own rule, never as a live key. Publishable keys
   * are public by design.
   */
  @Test
  void testKeysAreLowAndPublishableKeysAreNotSecrets() {
    List<SecretHit> hits =
        SecretScanner.scan(
            "/app/config",
            ("STRIPE=" + "sk_" + "test_" + t.chars(Tokens.ALNUM, 24))
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("stripe-test-key"), hits.stream().map(SecretHit::detectorId).toList());
    assertEquals("LOW", hits.get(0).severity());
    none("STRIPE=" + "pk_" + "live_" + t.chars(Tokens.ALNUM, 24));
    none("STRIPE=" + "pk_" + "test_" + t.chars(Tokens.ALNUM, 24));
  }

  @Test
  void pemHeadersWithoutAKeyBody() {
    none(
        "PEM_RSA = b\"-----BEGIN RSA PRIVATE KEY-----\"\nPEM_END = b\"-----END RSA PRIVATE KEY-----\"\n");
    none("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n");
    none("-----BEGIN PRIVATE KEY-----\n" + "A".repeat(64) + "\n-----END PRIVATE KEY-----\n");
  }

  @Test
  void codeAndReferencesAreNotValues() {
    none("password = os.environ.get(\"DB_PASSWORD\")");
    none("password = settings.DATABASE_PASSWORD");
    none("token = request.headers[\"X-Token\"]");
    none("POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password");
    none("GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json");
    none("TOKEN_URL=https://auth.example.org/oauth2/token");
    none("password: /etc/app/password.txt");
    none("password = getpass()");
    // source code where a string literal ends right after "name=": the "value" is code, not a
    // secret
    none(
        "String withToken = \"registry=https://registry.example.org/\\n//registry.example.org/:_auth\";");
    none("assertEquals(\"mysql --password=\" + v.substring(0, 4) + \"**** -u root\", x);");
    none("return a.contains(\"_auth=\") || lower.contains(\"_password\");");
  }

  @Test
  void namesThatOnlyContainSecretWords() {
    String v = t.chars(Tokens.ALNUM, 24);
    none("KEYCLOAK_REALM=" + v);
    none("MONKEY=" + v);
    none("GPG_KEY=" + v);
    none("PASSWORD_LENGTH=" + v);
    none("TOKEN_ENDPOINT=" + v);
  }

  @Test
  void configSettingsIdentifiersAndProse() {
    none("# com.sun.management.jmxremote.ssl.need.client.auth=true|false");
    none("private_key\t= $dir/private/cakey.pem# The private key");
    none("secret = $insta::secret");
    none("#password_encryption = scram-sha-256\t# scram-sha-256 or md5");
    none("const password = 'Password used to generate key';");
    none("    token = Whitespace");
    none("EllipticCurvePrivateKeyWithSerialization = EllipticCurvePrivateKey");
    none("    ExtendedKeyUsageOID.CLIENT_AUTH: \"clientAuth\",");
    none("consumer_secret=\"consumer.secret\"");
    none("backend: \"Backend\", private_key: \"_EllipticCurvePrivateKey\", data: bytes");
    none("AUTH_TOKEN=OIDValueHolder");
    none("//somewhere-else.example/myorg/:_authToken=MYTOKEN1");
    none("})(Socks5Auth || (exports.Socks5Auth = Socks5Auth = {}));");
    none("  credentials: kEnumerableProperty,");
  }

  @Test
  void randomLettersWithoutDigitsAreStillSecrets() {
    assertEquals(false, GenericAssignments.looksLikeWords("kQzPwLmXvB" + "nTrYe"));
    assertEquals(true, GenericAssignments.looksLikeWords("OIDValueHolder"));
    assertEquals(true, GenericAssignments.looksLikeWords("_EllipticCurvePrivateKey"));
    assertEquals(false, GenericAssignments.looksLikeWords("abc1"));
    String letters = t.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 20);
    assertEquals(false, GenericAssignments.looksLikeWords(letters));
    assertEquals(1, SecretScanner.scanText("API_TOKEN=" + letters).size());
  }

  @Test
  void lowEntropyOrShortValues() {
    none("PASSWORD=hunter2");
    none("DB_PASSWORD=postgres");
    none("API_TOKEN=aabbaabbaabb");
    none("password: correct_horse_battery_staple");
  }
}
