package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.mutate.Mutate;
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
    return TestTars.tar().dir("etc").file("etc/passwd", "root:x:0:0::/root:/sbin/nologin\napp:x:65532:65532::/:/sbin/nologin\n")
        .file("etc/group", "root:x:0:\napp:x:65532:\n").file("app/svc", EXE, 0755, 0, 0);
  }

  @Test
  void aGoodServiceImagePasses() throws IOException {
    Image ok = image(ContainerConfig.EMPTY.toBuilder().user("65532:65532").entrypoint(List.of("/app/svc")).build(), system());
    Verification.Result r = Verification.check("svc", Artifact.of(ok), null);
    assertEquals(List.of(), r.violations());
    r.throwIfFailed();
  }

  @Test
  void everyViolationIsNamedWithItsRuleId() throws IOException {
    Image bad = image(ContainerConfig.EMPTY.toBuilder().entrypoint(List.of("/app/missing")).build(),
        system().file("app/su", EXE, 04755, 0, 0).file("bin/sh", EXE, 0755, 0, 0).file("usr/bin/apk", EXE, 0755, 0, 0));
    List<String> v = Verification.check("svc", Artifact.of(bad), null).violations();
    assertTrue(v.contains("runs as root (User is not set, so the process runs as root (uid 0)) [CIS-DI-0001]"), v.toString());
    assertTrue(v.contains("setuid/setgid file /app/su [CIS-DI-0008]"), v.toString());
    assertTrue(v.contains("shell /bin/sh [shell-present]"), v.toString());
    assertTrue(v.contains("package manager /usr/bin/apk [package-manager-present]"), v.toString());
    assertTrue(v.stream().anyMatch(s -> s.contains("/app/missing") && s.endsWith("[entrypoint-not-executable]")), v.toString());
    BuildConfigException e = assertThrows(BuildConfigException.class, () -> Verification.check("svc", Artifact.of(bad), null).throwIfFailed());
    assertTrue(e.getMessage().startsWith("svc: verification failed: "), e.getMessage());
  }

  @Test
  void buildPolicyNeedsAnAbsoluteEntrypoint() throws IOException {
    Image none = image(ContainerConfig.EMPTY.toBuilder().user("app").build(), system());
    assertEquals(List.of("no entrypoint or cmd"), Verification.check("svc", Artifact.of(none), null).violations());
    Image relative = image(ContainerConfig.EMPTY.toBuilder().user("app").env("PATH", "/app").cmd(List.of("svc")).build(), system());
    assertEquals(List.of("entrypoint 'svc' is not an absolute path (a scratch image has no PATH lookup)"),
        Verification.check("svc", Artifact.of(relative), null).violations());
    Image notExec = image(ContainerConfig.EMPTY.toBuilder().user("app").entrypoint(List.of("/app/svc")).build(),
        system().file("app/svc", EXE, 0700, 0, 0));
    List<String> v = Verification.check("svc", Artifact.of(notExec), null).violations();
    assertEquals(1, v.size());
    assertTrue(v.get(0).contains("is not executable by the runtime user 'app'"), v.toString());
  }
}
