package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretFilesTest {

  private static String id(String path) {
    return SecretFiles.matches(path).map(SecretFileMatch::id).orElse("none");
  }

  @Test
  void namesThatAreCredentials() {
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("/root/.ssh/id_rsa", "ssh-private-key-file"),
            Map.entry("home/app/.ssh/id_ed25519", "ssh-private-key-file"),
            Map.entry("/opt/id_ecdsa", "ssh-private-key-file"),
            Map.entry("/home/ci/.ssh/deploy_key", "ssh-private-key-file"),
            Map.entry("/root/.aws/credentials", "cloud-credentials-file"),
            Map.entry(
                "/root/.config/gcloud/application_default_credentials.json",
                "cloud-credentials-file"),
            Map.entry("/root/.kube/config", "cloud-credentials-file"),
            Map.entry("/root/.azure/accessTokens.json", "cloud-credentials-file"),
            Map.entry("/root/.git-credentials", "credential-file"),
            Map.entry("/var/lib/postgresql/.pgpass", "credential-file"),
            Map.entry("/root/.gnupg/private-keys-v1.d/0A1B.key", "gnupg-secret-key-file"),
            Map.entry("/app/credentials.json", "credential-file"),
            Map.entry("/app/password.txt", "credential-file"),
            Map.entry("/app/config/settings.py", "credential-file"),
            Map.entry("/app/config/database.yml", "credential-file"),
            Map.entry("/app/.env", "dotenv-file"),
            Map.entry("/app/.env.production", "dotenv-file"),
            Map.entry("/etc/ssl/private/server.key", "private-key-file"),
            Map.entry("/app/keystore.p12", "key-store-file"),
            Map.entry("/app/client.PFX", "key-store-file"),
            Map.entry("/app/server.jks", "key-store-file"),
            Map.entry("/etc/openvpn/client.ovpn", "credential-file"),
            Map.entry("/data/capture.pcap", "credential-file"),
            Map.entry("/app/prod.secret", "credential-file"));
    expected.forEach((path, id) -> assertEquals(id, id(path), path));
  }

  @Test
  void namesThatAreNot() {
    for (String path :
        new String[] {
          "/root/.ssh/id_rsa.pub",
          "/root/.ssh/known_hosts",
          "/root/.ssh/authorized_keys",
          "/root/.ssh/config",
          "/app/.env.example",
          "/app/.env.sample",
          "/app/.envrc",
          "/usr/lib/python3/dist-packages/django/conf/settings.py",
          "/usr/share/doc/x/credentials",
          "/app/node_modules/lib/database.yml",
          "/etc/ssl/certs/ca-certificates.pem",
          "/usr/lib/jvm/java-17/lib/security/cacerts",
          "/app/truststore.jks",
          "/app/README.md",
          "/",
          "",
          "/app/.npmrc",
          "/root/.docker/config.json",
          "/usr/share/keyrings/debian.key"
        }) {
      assertEquals(Optional.empty(), SecretFiles.matches(path), path);
    }
    assertEquals(Optional.empty(), SecretFiles.matches(null));
  }

  @Test
  void contentConditionalNames() {
    assertTrue(SecretFiles.needsContent("/app/.npmrc"));
    assertTrue(SecretFiles.needsContent("/root/.docker/config.json"));
    assertTrue(SecretFiles.needsContent("/etc/ssl/certs/x.pem"));
    assertFalse(SecretFiles.needsContent("/app/config.json"));
    assertFalse(SecretFiles.needsContent("/root/.ssh/id_rsa"));

    String withToken =
        "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_auth" + "Token=abc\n";
    assertEquals("npmrc-credentials", content("/app/.npmrc", withToken));
    assertEquals(
        "none", content("/app/.npmrc", "registry=https://registry.npmjs.org/\nsave-exact=true\n"));
    assertEquals(
        "pypirc-credentials",
        content("/root/.pypirc", "[pypi]\nusername = u\npass" + "word = p\n"));
    assertEquals(
        "netrc-credentials", content("/root/.netrc", "machine h login u pass" + "word p\n"));
    assertEquals(
        "docker-config-credentials",
        content("/root/.docker/config.json", "{\"auths\":{\"r.example\":{\"auth\":\"dTpw\"}}}"));
    assertEquals("none", content("/root/.docker/config.json", "{\"credsStore\":\"desktop\"}"));
    assertEquals(
        "private-key-file", content("/etc/app/tls.pem", "-----BEGIN " + "PRIVATE KEY-----\nMII\n"));
    assertEquals("none", content("/etc/app/tls.pem", "-----BEGIN CERTIFICATE-----\nMII\n"));
    // names that need no content behave as matches(path)
    assertEquals("ssh-private-key-file", content("/root/.ssh/id_rsa", ""));
  }

  private static String content(String path, String text) {
    return SecretFiles.matches(path, text.getBytes(StandardCharsets.UTF_8))
        .map(SecretFileMatch::id)
        .orElse("none");
  }
}
