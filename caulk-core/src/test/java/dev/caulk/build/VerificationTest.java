package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.mutate.Mutate;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The post-build check runs the audit's rules on the built image. */
class VerificationTest {
  private static final byte[] EXE = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};

  private static Image image(ContainerConfig c, TestTars.Tar layer) throws IOException {
    return Mutate.withConfig(TestTars.image(layer.bytes()), c);
  }

  private static TestTars.Tar system() {
    return TestTars.tar()
        .dir("etc")
        .file("etc/passwd", "root:x:0:0::/root:/sbin/nologin\napp:x:65532:65532::/:/sbin/nologin\n")
        .file("etc/group", "root:x:0:\napp:x:65532:\n")
        .file("app/svc", EXE, 0755, 0, 0);
  }

  @Test
  void aGoodServiceImagePasses() throws IOException {
    Image ok =
        image(
            ContainerConfig.EMPTY.toBuilder()
                .user("65532:65532")
                .entrypoint(List.of("/app/svc"))
                .build(),
            system());
    Verification.Result r = Verification.check("svc", Artifact.of(ok), null);
    assertEquals(List.of(), r.violations());
    r.throwIfFailed();
  }

  @Test
  void everyViolationIsNamedWithItsRuleId() throws IOException {
    Image bad =
        image(
            ContainerConfig.EMPTY.toBuilder().entrypoint(List.of("/app/missing")).build(),
            system()
                .file("app/su", EXE, 04755, 0, 0)
                .file("bin/sh", EXE, 0755, 0, 0)
                .file("usr/bin/apk", EXE, 0755, 0, 0));
    List<String> v = Verification.check("svc", Artifact.of(bad), null).violations();
    assertTrue(
        v.contains(
            "runs as root (User is not set, so the process runs as root (uid 0)) [CIS-DI-0001]"),
        v.toString());
    assertTrue(v.contains("setuid/setgid file /app/su [CIS-DI-0008]"), v.toString());
    assertTrue(v.contains("shell /bin/sh [shell-present]"), v.toString());
    assertTrue(v.contains("package manager /usr/bin/apk [package-manager-present]"), v.toString());
    assertTrue(
        v.stream()
            .anyMatch(s -> s.contains("/app/missing") && s.endsWith("[entrypoint-not-executable]")),
        v.toString());
    BuildConfigException e =
        assertThrows(
            BuildConfigException.class,
            () -> Verification.check("svc", Artifact.of(bad), null).throwIfFailed());
    assertTrue(e.getMessage().startsWith("svc: verification failed: "), e.getMessage());
  }

  @Test
  void buildPolicyNeedsAnAbsoluteEntrypoint() throws IOException {
    Image none = image(ContainerConfig.EMPTY.toBuilder().user("app").build(), system());
    assertEquals(
        List.of("no entrypoint or cmd"),
        Verification.check("svc", Artifact.of(none), null).violations());
    Image relative =
        image(
            ContainerConfig.EMPTY.toBuilder()
                .user("app")
                .env("PATH", "/app")
                .cmd(List.of("svc"))
                .build(),
            system());
    assertEquals(
        List.of("entrypoint 'svc' is not an absolute path (a scratch image has no PATH lookup)"),
        Verification.check("svc", Artifact.of(relative), null).violations());
    Image notExec =
        image(
            ContainerConfig.EMPTY.toBuilder().user("app").entrypoint(List.of("/app/svc")).build(),
            system().file("app/svc", EXE, 0700, 0, 0));
    List<String> v = Verification.check("svc", Artifact.of(notExec), null).violations();
    assertEquals(1, v.size());
    assertTrue(v.get(0).contains("is not executable by the runtime user 'app'"), v.toString());
  }

  private static final String KEY =
      "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n";
  private static final ContainerConfig OK =
      ContainerConfig.EMPTY.toBuilder().user("65532:65532").entrypoint(List.of("/app/svc")).build();

  @Test
  void credentialFilesFailTheVerification() throws IOException {
    Image bad =
        image(
            OK,
            system()
                .file(
                    "etc/shadow",
                    b("root:$6$salt$hash:19000:0:99999:7:::\napp::19000::::::\n"),
                    0644,
                    0,
                    0)
                .file("etc/gshadow", b("root:*::\n"), 0600, 0, 0)
                .file("app/tls/server.key", b(KEY), 0600, 0, 0)
                .file(
                    "app/tls/bundle.pem",
                    b("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + KEY),
                    0644,
                    0,
                    0)
                .file(
                    "app/tls/cert.pem",
                    b("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                    0644,
                    0,
                    0)
                .file("home/app/.ssh/id_ed25519", b("anything"), 0600, 0, 0)
                .file("home/app/.ssh/id_ed25519.pub", b("ssh-ed25519 AAAA"), 0644, 0, 0));
    List<String> v = Verification.check("svc", Artifact.of(bad), null).violations();
    assertEquals(
        List.of(
            "credential file /etc/shadow is readable by every user (mode -rw-r--r--)",
            "SSH private key /home/app/.ssh/id_ed25519",
            "account root in /etc/shadow has a password hash",
            "account app in /etc/shadow has an empty password",
            "private key /app/tls/bundle.pem",
            "private key /app/tls/server.key"),
        sorted(v),
        v.toString());
    assertTrue(
        v.stream().noneMatch(s -> s.contains("$6$") || s.contains("MIIB")),
        "contents never quoted");
  }

  @Test
  void aLockedShadowThatOthersCannotReadPasses() throws IOException {
    Image ok =
        image(
            OK,
            system()
                .file(
                    "etc/shadow", b("root:*:19000:0:99999:7:::\napp:!:19000::::::\n"), 0640, 0, 42)
                .file(
                    "etc/ssl/certs/ca.pem",
                    b("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                    0644,
                    0,
                    0));
    assertEquals(List.of(), Verification.check("svc", Artifact.of(ok), null).violations());
  }

  private static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Keeps the order of the tree walk for the first kind, then of the content pass: sorted by kind
   * for a stable assertion.
   */
  private static List<String> sorted(List<String> v) {
    List<String> out = new java.util.ArrayList<>(v);
    java.util.Comparator<String> kind =
        java.util.Comparator.comparingInt(
            s ->
                s.startsWith("credential")
                    ? 0
                    : s.startsWith("SSH") ? 1 : s.startsWith("account") ? 2 : 3);
    out.sort(kind);
    return out;
  }
}
