package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Credential files by structure, encoded secrets, and the key containers issue 11 lists: each with
 * what must be found (the secret itself, as the rule reports it) and a near miss.
 */
class CredentialContentTest {
  private final Tokens t = new Tokens(99);
  private final String pw = t.chars(Tokens.ALNUM, 12);

  /** The secrets found for {@code id} in the file at {@code path}. */
  private static List<String> found(String id, String path, String text) {
    return SecretScanner.detect(text, path).stream()
        .filter(r -> r.id().equals(id))
        .map(Raw::value)
        .toList();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void netrcOnOneLineAndOnSeveral() {
    assertEquals(
        List.of(pw),
        found("netrc-password", "/root/.netrc", "machine api.example login me password " + pw));
    assertEquals(
        List.of(pw),
        found(
            "netrc-password",
            "/home/u/_netrc",
            "machine git.example\n  login me\n  password " + pw + "\n"));
    assertEquals(
        List.of(),
        found("netrc-password", "/root/.netrc", "machine a.example login me password changeme"));
    assertEquals(
        List.of(), found("netrc-password", "/app/notes.txt", "password " + pw)); // not a netrc file
  }

  @Test
  void pgpassFifthFieldWithEscapes() {
    String text =
        "# host:port:db:user:password\ndb.internal:5432:app:app:"
            + pw
            + "\n*:*:*:ro\\:user:"
            + pw
            + "x\n";
    assertEquals(
        List.of(pw, pw + "x"), found("pgpass-password", "/var/lib/postgresql/.pgpass", text));
    assertEquals(List.of(), found("pgpass-password", "/root/.pgpass", "db:5432:app:app\n"));
  }

  @Test
  void gitCredentialsPypircNpmrc() {
    String token = "gh" + "p_" + t.chars(Tokens.ALNUM, 36);
    List<Raw> git =
        SecretScanner.detect("https://me:" + pw + "@git.example\n", "/root/.git-credentials");
    assertEquals(
        List.of(pw),
        git.stream().map(Raw::value).toList()); // one hit: the URL rule and the parser agree
    assertEquals(
        List.of(token),
        SecretScanner.detect("https://me:" + token + "@github.com\n", "/root/.git-credentials")
            .stream()
            .map(Raw::value)
            .toList());
    assertEquals(
        List.of(pw),
        found("pypirc-password", "/root/.pypirc", "[pypi]\nusername = me\npassword = " + pw));
    assertEquals(
        List.of(), found("pypirc-password", "/root/.pypirc", "[pypi]\nusername = __token__\n"));
    String uuid = t.hex(8) + "-" + t.hex(4) + "-" + t.hex(4) + "-" + t.hex(4) + "-" + t.hex(12);
    assertEquals(
        List.of(uuid),
        found("npmrc-auth", "/root/.npmrc", "//registry.npmjs.org/:_authToken=" + uuid));
    assertEquals(
        List.of(),
        found("npmrc-auth", "/root/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"));
  }

  @Test
  void mavenSettingsKubeconfigWordpress() {
    String settings =
        "<settings><servers><server><id>repo</id><username>ci</username>\n<password>"
            + pw
            + "</password></server></servers></settings>";
    assertEquals(List.of(pw), found("maven-settings-password", "/root/.m2/settings.xml", settings));
    assertEquals(
        List.of(),
        found("maven-settings-password", "/usr/share/maven/conf/settings.xml", settings));
    assertEquals(
        List.of(),
        found(
            "maven-settings-password",
            "/root/.m2/settings.xml",
            "<password>${env.REPO_PASSWORD}</password>"));
    String key = b64("-----BEGIN RSA PRIVATE KEY-----\n" + t.chars(Tokens.BASE64, 64) + "\n");
    String kube =
        "users:\n- name: admin\n  user:\n    client-key-data: " + key + "\n    token: " + pw + "\n";
    assertEquals(List.of(key, pw), found("kubeconfig-credential", "/root/.kube/config", kube));
    assertEquals(
        List.of(),
        found("kubeconfig-credential", "/root/.kube/config", "users:\n- name: a\n  user: {}\n"));
    assertEquals(
        List.of(pw),
        found(
            "wordpress-db-password",
            "/var/www/html/wp-config.php",
            "define( 'DB_PASSWORD', '" + pw + "' );"));
    assertEquals(
        List.of(),
        found(
            "wordpress-db-password",
            "/var/www/html/wp-config.php",
            "define( 'DB_PASSWORD', 'password_here' );"));
  }

  @Test
  void dockerConfigAuthIsBase64UserColonPassword() {
    String config = "{\"auths\":{\"registry.example\":{\"auth\":\"" + b64("ci:" + pw) + "\"}}}";
    assertEquals(
        List.of(b64("ci:" + pw)), found("docker-config-auth", "/root/.docker/config.json", config));
    assertEquals(
        List.of(),
        found(
            "docker-config-auth",
            "/root/.docker/config.json",
            "{\"auths\":{\"r\":{\"auth\":\"" + b64("ci:") + "\"}}}"));
    assertEquals(
        List.of(),
        found("docker-config-auth", "/x.json", "{\"auth\":\"" + b64("no-colon-here") + "\"}"));
    // a .dockerconfigjson inside a Kubernetes Secret: base64 of the JSON, decoded once and scanned
    // again
    String secret =
        "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: "
            + b64(config)
            + "\n";
    assertEquals(
        List.of("docker-config-auth"),
        SecretScanner.detect(secret, "/k8s/pull.yaml").stream()
            .filter(r -> !r.id().equals(KubernetesSecret.ID))
            .map(Raw::id)
            .distinct()
            .toList());
  }

  @Test
  void kubernetesSecretDataIsDecodedAndStringDataTakenAsIs() {
    String yaml =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: "
            + b64(pw)
            + "\n  username: "
            + b64("app")
            + "\nstringData:\n  api-key: \""
            + pw
            + "y\"\ntype: Opaque\n";
    assertEquals(
        List.of(pw, pw + "y"),
        found(KubernetesSecret.ID, "/k8s/db.yaml", yaml)); // "app" is too short
    String json =
        "{\"kind\": \"Secret\", \"apiVersion\": \"v1\", \"data\": {\"token\": \""
            + b64(pw)
            + "\", \"ca\": \""
            + b64("{{ .Values.ca }}")
            + "\"}}";
    assertEquals(List.of(pw), found(KubernetesSecret.ID, "/k8s/s.json", json));
    assertEquals(
        List.of(),
        found(
            KubernetesSecret.ID, "/k8s/cm.yaml", yaml.replace("kind: Secret", "kind: ConfigMap")));
  }

  @Test
  void base64EncodedJwtsAndKeysAreDecodedOnce() {
    String jwt = t.jwt();
    List<Raw> hits = SecretScanner.detect("TOKEN_B64=" + b64(jwt));
    assertEquals(List.of("jwt"), hits.stream().map(Raw::id).toList());
    assertEquals(jwt, hits.get(0).value());
    assertTrue(hits.get(0).title().contains("base64"));
    String aws = t.awsKeyId();
    assertEquals(
        List.of(aws),
        SecretScanner.detect("blob: " + b64("key = " + aws + "\n")).stream()
            .map(Raw::value)
            .toList());
    assertEquals(
        List.of(), SecretScanner.detect("blob: " + b64("nothing secret in this sentence at all")));
    // decoded only once: base64 of base64 of a JWT is not unwrapped twice
    assertEquals(
        List.of(), SecretScanner.detect("x " + b64(b64(jwt))).stream().map(Raw::id).toList());
  }

  @Test
  void jwtShapes() {
    String jws = t.jwt();
    assertEquals(List.of(jws), found("jwt", "/a", "Authorization: Bearer " + jws));
    String padded = jws.substring(0, jws.indexOf('.')) + "=" + jws.substring(jws.indexOf('.'));
    assertEquals(1, found("jwt", "/a", "t=" + padded).size());
    Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
    String jwe =
        e.encodeToString("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}".getBytes(StandardCharsets.UTF_8))
            + ".."
            + t.chars(Tokens.ALNUM, 22)
            + "."
            + t.chars(Tokens.ALNUM, 60)
            + "."
            + t.chars(Tokens.ALNUM, 22);
    assertEquals(List.of(jwe), found("jwt", "/a", "session=" + jwe));
    String noAlg =
        e.encodeToString("{\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + jws.substring(jws.indexOf('.'));
    assertEquals(List.of(), found("jwt", "/a", "t=" + noAlg));
  }

  @Test
  void puttyKeysJavaKeyStoresAndSsh2Keys() {
    StringBuilder ppk =
        new StringBuilder(
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: k\n"
                + "Public-Lines: 2\n"
                + t.chars(Tokens.BASE64, 64)
                + "\n"
                + t.chars(Tokens.BASE64, 20)
                + "\nPrivate-Lines: 2\n");
    String body1 = t.chars(Tokens.BASE64, 64);
    String body2 = t.chars(Tokens.BASE64, 24);
    ppk.append(body1)
        .append('\n')
        .append(body2)
        .append("\nPrivate-MAC: ")
        .append(t.hex(64))
        .append('\n');
    assertEquals(
        List.of(body1 + body2), found("putty-private-key", "/home/u/key.ppk", ppk.toString()));
    assertEquals(
        List.of(),
        found(
            "putty-private-key",
            "/a",
            "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\n...\n"));
    byte[] jks = new byte[64];
    jks[0] = (byte) 0xFE;
    jks[1] = (byte) 0xED;
    jks[2] = (byte) 0xFE;
    jks[3] = (byte) 0xED;
    jks[7] = 2;
    jks[11] = 1;
    assertEquals(
        List.of("java-keystore"),
        SecretScanner.scan("/app/server.jks", jks).stream().map(SecretHit::detectorId).toList());
    assertEquals(List.of(), SecretScanner.scan("/opt/java/lib/security/cacerts", jks));
    jks[7] = 9;
    assertEquals(List.of(), SecretScanner.scan("/app/server.bin", jks));
    String ssh2 =
        "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"k\"\n"
            + t.chars(Tokens.BASE64, 64)
            + "\n"
            + t.chars(Tokens.BASE64, 64)
            + "\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n";
    assertEquals(1, found("private-key", "/a", ssh2).size());
  }

  @Test
  void credentialFilesByNameAndContent() {
    assertEquals(
        "maven-settings-credentials",
        SecretFiles.matches(
                "/root/.m2/settings.xml",
                "<settings><servers><server><password>x</password>"
                    .getBytes(StandardCharsets.UTF_8))
            .orElseThrow()
            .id());
    assertFalse(
        SecretFiles.matches(
                "/root/.m2/settings.xml", "<settings/>".getBytes(StandardCharsets.UTF_8))
            .isPresent());
    assertEquals(
        "docker-config-credentials",
        SecretFiles.matches(
                "/k8s/.dockerconfigjson",
                "{\"auths\":{\"r\":{\"auth\":\"eA==\"}}}".getBytes(StandardCharsets.UTF_8))
            .orElseThrow()
            .id());
    assertEquals(
        "wordpress-config-credentials",
        SecretFiles.matches(
                "/var/www/wp-config.php",
                "define('DB_PASSWORD', 'x');".getBytes(StandardCharsets.UTF_8))
            .orElseThrow()
            .id());
    assertEquals(
        "credential-file", SecretFiles.matches("/infra/terraform.tfstate").orElseThrow().id());
    assertTrue(
        SecretFiles.categories().stream()
            .anyMatch(c -> c.id().equals("maven-settings-credentials")));
  }
}
