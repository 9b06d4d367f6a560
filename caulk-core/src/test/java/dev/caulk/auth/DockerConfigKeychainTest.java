package dev.caulk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigKeychainTest {
  @TempDir Path tmp;

  private Path home() throws IOException {
    return Files.createDirectories(tmp.resolve("home"));
  }

  private Path write(Path file, String json) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, json);
    return file;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code docker-credential-<name>} into a bin dir; the script body gets the server URL in
   * $url.
   */
  private Path helper(String name, String body) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path script = bin.resolve("docker-credential-" + name);
    Files.writeString(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 9\nread url\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }

  private Map<String, String> env(Object... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1].toString());
    return m;
  }

  @Test
  void base64AuthFromHomeDockerConfig() throws IOException {
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + b64("alice:s3:cr3t") + "\"}}}");
    Optional<Credential> c = DockerConfigKeychain.of(Map.of(), home).resolve("127.0.0.1:5000");
    assertEquals(Credential.basic("alice", "s3:cr3t"), c.orElseThrow());
    assertTrue(DockerConfigKeychain.of(Map.of(), home).resolve("127.0.0.1:5001").isEmpty());
  }

  @Test
  void keysMatchWithSchemeAndPathAndCase() throws IOException {
    Path cfg =
        write(
            tmp.resolve("dc/config.json"),
            "{\"auths\":{\"https://Registry.Example.com/v2/\":{\"username\":\"bob\",\"password\":\"pw\"},"
                + "\"http://other.example:8080\":{\"username\":\"carol\",\"password\":\"pw2\"},"
                + "\"ns.example/team\":{\"username\":\"nope\",\"password\":\"x\"}}}");
    DockerConfigKeychain k = DockerConfigKeychain.of(env("DOCKER_CONFIG", cfg.getParent()), home());
    assertEquals("bob", k.resolve("registry.example.com").orElseThrow().username());
    assertEquals("carol", k.resolve("other.example:8080").orElseThrow().username());
    assertTrue(k.resolve("ns.example").isEmpty(), "namespace keys are not matched");
  }

  @Test
  void dockerHubLegacyKeyMatchesEveryAlias() throws IOException {
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
            + b64("hubuser:hubpw")
            + "\"}}}");
    DockerConfigKeychain k = DockerConfigKeychain.of(Map.of(), home);
    for (String alias : new String[] {"docker.io", "index.docker.io", "registry-1.docker.io"}) {
      assertEquals("hubuser", k.resolve(alias).orElseThrow().username(), alias);
    }
  }

  @Test
  void identityTokenIsKeptBesideThePassword() throws IOException {
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"r.example\":{\"auth\":\""
            + b64("u:p")
            + "\",\"identitytoken\":\"refresh-123\"}}}");
    Credential c = DockerConfigKeychain.of(Map.of(), home).resolve("r.example").orElseThrow();
    assertTrue(c.isIdentityToken());
    assertEquals("refresh-123", c.identityToken());
    assertEquals("p", c.password());
    assertEquals("Credential[username=u, password=****, identityToken=****]", c.toString());
  }

  @Test
  void fallsThroughToRegistryAuthFileThenXdgRuntime() throws IOException {
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"a.example\":{\"auth\":\"" + b64("docker:1") + "\"}}}");
    Path authFile =
        write(
            tmp.resolve("raf.json"),
            "{\"auths\":{\"b.example\":{\"auth\":\"" + b64("raf:2") + "\"}}}");
    Path runtime = tmp.resolve("run");
    write(
        runtime.resolve("containers/auth.json"),
        "{\"auths\":{\"c.example\":{\"auth\":\""
            + b64("xdg:3")
            + "\"},"
            + "\"a.example\":{\"auth\":\""
            + b64("shadowed:0")
            + "\"}}}");
    DockerConfigKeychain k =
        DockerConfigKeychain.of(
            env("REGISTRY_AUTH_FILE", authFile, "XDG_RUNTIME_DIR", runtime), home);
    assertEquals("docker", k.resolve("a.example").orElseThrow().username());
    assertEquals("raf", k.resolve("b.example").orElseThrow().username());
    assertEquals("xdg", k.resolve("c.example").orElseThrow().username());
    assertTrue(k.resolve("d.example").isEmpty());
  }

  @Test
  void authFileAloneIgnoresDefaults() throws IOException {
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"a.example\":{\"auth\":\"" + b64("docker:1") + "\"}}}");
    Path authFile =
        write(
            tmp.resolve("only.json"),
            "{\"auths\":{\"b.example\":{\"auth\":\"" + b64("raf:2") + "\"}}}");
    DockerConfigKeychain k = DockerConfigKeychain.ofFile(authFile, Map.of());
    assertTrue(k.resolve("a.example").isEmpty());
    assertEquals("raf", k.resolve("b.example").orElseThrow().username());
  }

  @Test
  void credHelperIsAskedWithServerUrlOnStdin() throws IOException {
    Path bin =
        helper(
            "test",
            "[ \"$url\" = 127.0.0.1:5000 ] || { echo \"bad url $url\" >&2; exit 4; }\n"
                + "printf '{\"ServerURL\":\"%s\",\"Username\":\"helperuser\",\"Secret\":\"helper-secret\"}' \"$url\"");
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"credHelpers\":{\"127.0.0.1:5000\":\"test\"},"
            + "\"auths\":{\"127.0.0.1:5000\":{\"auth\":\""
            + b64("fromauths:x")
            + "\"}}}");
    Credential c =
        DockerConfigKeychain.of(env("PATH", bin), home).resolve("127.0.0.1:5000").orElseThrow();
    assertEquals(Credential.basic("helperuser", "helper-secret"), c);
  }

  @Test
  void credsStoreTokenUsernameMeansIdentityToken() throws IOException {
    Path bin =
        helper(
            "test",
            "printf '{\"ServerURL\":\"%s\",\"Username\":\"<token>\",\"Secret\":\"idtok\"}' \"$url\"");
    Path home = home();
    write(home.resolve(".docker/config.json"), "{\"credsStore\":\"test\"}");
    Credential c =
        DockerConfigKeychain.of(env("PATH", bin), home).resolve("r.example").orElseThrow();
    assertTrue(c.isIdentityToken());
    assertEquals("idtok", c.identityToken());
  }

  @Test
  void hubHelperGetsLegacyServerUrl() throws IOException {
    Path bin =
        helper(
            "test",
            "[ \"$url\" = https://index.docker.io/v1/ ] || exit 5\n"
                + "printf '{\"ServerURL\":\"%s\",\"Username\":\"hub\",\"Secret\":\"s\"}' \"$url\"");
    Path home = home();
    write(home.resolve(".docker/config.json"), "{\"credsStore\":\"test\"}");
    assertEquals(
        "hub",
        DockerConfigKeychain.of(env("PATH", bin), home)
            .resolve("docker.io")
            .orElseThrow()
            .username());
  }

  @Test
  void helperNotFoundFallsBackToAuths() throws IOException {
    Path bin = helper("test", "echo 'credentials not found in native keychain'; exit 1");
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"credsStore\":\"test\",\"auths\":{\"r.example\":{\"auth\":\""
            + b64("plain:pw")
            + "\"}}}");
    DockerConfigKeychain k = DockerConfigKeychain.of(env("PATH", bin), home);
    assertEquals("plain", k.resolve("r.example").orElseThrow().username());
    assertTrue(k.resolve("s.example").isEmpty());
  }

  @Test
  void failingHelperNamesTheHelperNotTheSecret() throws IOException {
    Path bin = helper("test", "echo 'Secret=hunter2' ; echo 'keychain locked' >&2; exit 3");
    Path home = home();
    write(home.resolve(".docker/config.json"), "{\"credHelpers\":{\"r.example\":\"test\"}}");
    CredentialException e =
        assertThrows(
            CredentialException.class,
            () -> DockerConfigKeychain.of(env("PATH", bin), home).resolve("r.example"));
    assertEquals(
        "credential helper docker-credential-test failed (exit 3): keychain locked",
        e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void missingHelperInvalidOutputAndTimeoutAreClearErrors() throws IOException {
    Path home = home();
    write(home.resolve(".docker/config.json"), "{\"credsStore\":\"absent\"}");
    CredentialException missing =
        assertThrows(
            CredentialException.class,
            () -> DockerConfigKeychain.of(env("PATH", tmp), home).resolve("r.example"));
    assertEquals(
        "credential helper docker-credential-absent not found on PATH", missing.getMessage());

    Path bin = helper("test", "echo 'not json {'");
    write(home.resolve(".docker/config.json"), "{\"credsStore\":\"test\"}");
    CredentialException invalid =
        assertThrows(
            CredentialException.class,
            () -> DockerConfigKeychain.of(env("PATH", bin), home).resolve("r.example"));
    assertTrue(
        invalid.getMessage().contains("docker-credential-test returned invalid JSON"),
        invalid.getMessage());

    helper("test", "exec sleep 10");
    long t0 = System.nanoTime();
    CredentialException slow =
        assertThrows(
            CredentialException.class,
            () ->
                DockerConfigKeychain.of(env("PATH", bin), home)
                    .withHelperTimeout(Duration.ofMillis(300))
                    .resolve("r.example"));
    assertTrue(slow.getMessage().contains("timed out"), slow.getMessage());
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
  }

  @Test
  void helperOutputIsBounded() throws IOException {
    Path bin = helper("test", "head -c 200000 /dev/zero | tr '\\0' a");
    Path home = home();
    write(home.resolve(".docker/config.json"), "{\"credsStore\":\"test\"}");
    CredentialException e =
        assertThrows(
            CredentialException.class,
            () ->
                DockerConfigKeychain.of(env("PATH", bin + ":/usr/bin:/bin"), home)
                    .resolve("r.example"));
    assertTrue(e.getMessage().contains("larger than 64 KiB"), e.getMessage());
  }

  @Test
  void helperNameFromConfigCannotEscapeThePath() throws IOException {
    Path home = home();
    write(home.resolve(".docker/config.json"), "{\"credsStore\":\"../../bin/sh\"}");
    CredentialException e =
        assertThrows(
            CredentialException.class,
            () -> DockerConfigKeychain.of(env("PATH", tmp), home).resolve("r.example"));
    assertTrue(e.getMessage().startsWith("invalid credential helper name"), e.getMessage());
  }

  @Test
  void brokenFilesAreClearErrorsWithoutQuotingContent() throws IOException {
    Path home = home();
    write(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"r.example\":{\"auth\":\"c2VjcmV0LXB3ZA\" oops");
    CredentialException e =
        assertThrows(
            CredentialException.class,
            () -> DockerConfigKeychain.of(Map.of(), home).resolve("r.example"));
    assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("c2VjcmV0"));

    write(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"r.example\":{\"auth\":\"!!notbase64\"}}}");
    CredentialException b =
        assertThrows(
            CredentialException.class,
            () -> DockerConfigKeychain.of(Map.of(), home).resolve("r.example"));
    assertTrue(
        b.getMessage().endsWith("the auth entry for r.example is not valid base64"),
        b.getMessage());
  }

  @Test
  void emptyEntriesGiveNothing() throws IOException {
    Path home = home();
    write(home.resolve(".docker/config.json"), "{\"auths\":{\"r.example\":{}}}");
    assertTrue(DockerConfigKeychain.of(Map.of(), home).resolve("r.example").isEmpty());
  }
}
