package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code java.jdks}: a JDK per architecture, and the error for a platform without one. */
class JavaSettingsTest {
  private static BuildSettings.JavaSettings settings(Map<String, Path> jdks, Path jdk) {
    return new BuildSettings.JavaSettings(
        jdks, jdk, jdk == null ? null : "java.jdk", List.of(), List.of(), null, null, "default");
  }

  @Test
  void explicitJdkPerArchitecture() throws Exception {
    Path amd = Path.of("/jdks/amd64");
    BuildSettings.JavaSettings s = settings(Map.of("amd64", amd), Path.of("/jdks/fallback"));
    assertEquals(amd, s.jdkFor("amd64"));
    assertEquals("java.jdks.amd64", s.jdkWhere("amd64"));
    assertEquals(Path.of("/jdks/fallback"), s.jdkFor("arm64"));
    assertEquals("java.jdk", s.jdkWhere("arm64"));
  }

  @Test
  void aPlatformWithoutJdkIsAnError() {
    BuildSettings.JavaSettings s = settings(Map.of("amd64", Path.of("/jdks/amd64")), null);
    BuildConfigException e = assertThrows(BuildConfigException.class, () -> s.jdkFor("arm64"));
    assertEquals(
        "no JDK for linux/arm64: set java.jdks.arm64 or java.jdk in caulk.yaml, or JAVA_HOME",
        e.getMessage());
  }
}
