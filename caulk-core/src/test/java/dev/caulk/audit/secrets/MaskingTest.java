package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingTest {
  private final Tokens t = new Tokens(3);

  @Test
  void maskShowsAtMostFourCharactersAndHidesLength() {
    assertEquals("AKIA****", SecretScanner.mask("AK" + "IA" + "ABCDEFGHIJKLMNOP"));
    assertEquals("ab****", SecretScanner.mask("abcdefghijkl"));
    assertEquals("****", SecretScanner.mask("abcdefghijk"));
    assertEquals("****", SecretScanner.mask("pw"));
    assertEquals("****", SecretScanner.mask(""));
    assertEquals("****", SecretScanner.mask(null));
    assertEquals(
        SecretScanner.mask(t.chars(Tokens.ALNUM, 20)).length(),
        SecretScanner.mask(t.chars(Tokens.ALNUM, 400)).length());
    assertEquals("?b?d****", SecretScanner.mask("\u001bb\u0007d" + "x".repeat(30)));
  }

  @Test
  void everyRevealedPrefixIsAtMostFourCharacters() {
    for (int n = 0; n < 100; n++) {
      String s = t.chars(Tokens.ALNUM, n);
      String m = SecretScanner.mask(s);
      assertTrue(m.length() - 4 <= 4 && s.startsWith(m.substring(0, m.length() - 4)), m);
    }
  }

  @Test
  void maskValueForSecretNames() {
    String v = t.chars(Tokens.ALNUM, 30);
    assertEquals(v.substring(0, 4) + "****", SecretScanner.maskValue("DB_PASSWORD", v));
    assertEquals("****", SecretScanner.maskValue("apiKey", "short"));
    assertEquals(
        "/usr/local/bin:/usr/bin", SecretScanner.maskValue("PATH", "/usr/local/bin:/usr/bin"));
    assertEquals("", SecretScanner.maskValue("TOKEN", ""));
  }

  @Test
  void maskValueReplacesOnlyTheSecretInsideOtherText() {
    String token = t.github("p");
    String line =
        "/bin/sh -c curl -H 'Authorization: token " + token + "' https://api.github.com/user";
    String masked = SecretScanner.maskValue(null, line);
    assertEquals(
        "/bin/sh -c curl -H 'Authorization: token ghp_****' https://api.github.com/user", masked);
    String v = t.chars(Tokens.ALNUM, 20);
    assertEquals(
        "mysql --password=" + v.substring(0, 4) + "**** -u root",
        SecretScanner.maskValue("CMD", "mysql --password=" + v + " -u root"));
    assertEquals("nginx -g daemon off;", SecretScanner.maskValue("CMD", "nginx -g daemon off;"));
  }

  @Test
  void hitsNeverCarryMoreThanFourCharactersOfTheSecret() {
    String[] secrets = {
      t.awsKeyId(), t.github("p"), t.npm(), t.jwt(), t.slackBot(), t.pypi(), t.gitlab()
    };
    for (String s : secrets) {
      List<SecretHit> hits = SecretScanner.scanText("value " + s);
      assertEquals(1, hits.size(), s.substring(0, 4));
      String masked = hits.get(0).masked();
      assertFalse(masked.contains(s.substring(0, 5)), masked);
      assertTrue(hits.get(0).toString().length() < 200);
      assertFalse(hits.get(0).toString().contains(s.substring(4, 12)));
    }
  }

  @Test
  void scanAssignmentForEnvironmentEntries() {
    String v = t.chars(Tokens.ALNUM, 24);
    assertEquals(
        List.of("generic-secret"),
        SecretScanner.scanAssignment("DB_PASSWORD", v).stream()
            .map(SecretHit::detectorId)
            .toList());
    assertEquals(List.of(), SecretScanner.scanAssignment("BUILD_ID", v));
    assertEquals(
        List.of("npm-access-token"),
        SecretScanner.scanAssignment("NPM_TOKEN", t.npm()).stream()
            .map(SecretHit::detectorId)
            .toList());
    assertEquals(List.of(), SecretScanner.scanAssignment("DB_PASSWORD", "${DB_PASSWORD}"));
    assertEquals(List.of(), SecretScanner.scanAssignment("DB_PASSWORD", null));
  }

  @Test
  void secretNames() {
    for (String yes :
        List.of(
            "DB_PASSWORD",
            "password",
            "MYSQL_ROOT_PASSWORD",
            "dbPasswd",
            "CLIENT_SECRET",
            "clientSecret",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY_BASE",
            "GITHUB_TOKEN",
            "_authToken",
            "api-key",
            "STRIPE_API_KEY",
            "apiKey",
            "PRIVATE_KEY",
            "ssh.passphrase",
            "BASIC_AUTH",
            "secrets")) {
      assertTrue(SecretScanner.isSecretName(yes), yes);
    }
    for (String no :
        List.of(
            "PATH",
            "HOME",
            "PWD",
            "KEYCLOAK_URL",
            "MONKEY",
            "GPG_KEY",
            "GPG_KEYS",
            "PASSWORD_FILE",
            "DB_PASSWORD_PATH",
            "TOKEN_URL",
            "SECRET_NAME",
            "AUTH_URL",
            "",
            "___")) {
      assertFalse(SecretScanner.isSecretName(no), no);
    }
    assertFalse(SecretScanner.isSecretName(null));
  }
}
