package dev.caulk.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.caulk.build.BuildConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PomSettingsTest {
  @Test
  void portsAreCheckedAndNamedByElement() {
    assertEquals(
        List.of("8080", "53/udp"), PomSettings.ports("ports", List.of(" 8080 ", "53/udp")));
    assertNull(PomSettings.ports("ports", null));
    for (String bad : List.of("x", "0", "65536", "80/icmp", "", "8\n0")) {
      PomException e =
          assertThrows(PomException.class, () -> PomSettings.ports("ports", List.of("80", bad)));
      assertEquals(
          "<caulk><ports>: '"
              + bad.strip().replace('\n', '?')
              + "' is not a port (PORT or PORT/tcp|udp|sctp, 1-65535)",
          e.getMessage());
    }
  }

  @Test
  void envNamesAreVariableNames() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A_1", "x");
    env.put("EMPTY", null);
    assertEquals(Map.of("A_1", "x", "EMPTY", ""), PomSettings.env("env", env));
    PomException e =
        assertThrows(PomException.class, () -> PomSettings.env("env", Map.of("1X", "v")));
    assertEquals(
        "<caulk><env>: '1X' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)", e.getMessage());
  }

  @Test
  void userTakesNameUidGid() {
    assertEquals(new BuildConfig.User("app", 1000, 1000), PomSettings.user("user", "app:1000"));
    assertEquals(new BuildConfig.User("app", 1, 2), PomSettings.user("user", "app:1:2"));
    PomException e = assertThrows(PomException.class, () -> PomSettings.user("user", "app"));
    assertEquals("<caulk><user>: invalid user 'app': expected NAME:UID[:GID]", e.getMessage());
  }

  @Test
  void keywordsPathsLevelsModulesNamesAndTags() {
    assertEquals("train", PomSettings.oneOf("cds", "train", BuildConfig.Java.CDS_MODES));
    assertEquals(
        "<caulk><cds>: 'fast' is not one of default, train, none",
        assertThrows(
                PomException.class,
                () -> PomSettings.oneOf("cds", "fast", BuildConfig.Java.CDS_MODES))
            .getMessage());
    assertEquals("/app", PomSettings.absolute("workdir", "/app"));
    assertThrows(PomException.class, () -> PomSettings.absolute("workdir", "app"));
    assertThrows(PomException.class, () -> PomSettings.absolute("workdir", "/a/../b"));
    assertEquals(9, PomSettings.level("compressionLevel", 9));
    assertEquals(
        "<caulk><compressionLevel>: 10 is not a gzip level (0-9)",
        assertThrows(PomException.class, () -> PomSettings.level("compressionLevel", 10))
            .getMessage());
    assertEquals(
        List.of("jdk.crypto.ec"), PomSettings.modules("modules", List.of("jdk.crypto.ec")));
    assertThrows(PomException.class, () -> PomSettings.modules("modules", List.of("jdk..ec")));
    assertEquals("hello-svc", PomSettings.imageName("image", "hello-svc"));
    assertThrows(PomException.class, () -> PomSettings.imageName("image", "Hello"));
    assertThrows(PomException.class, () -> PomSettings.imageName("image", "a b"));
    assertEquals("1.0-SNAPSHOT", PomSettings.tag("tag", "1.0-SNAPSHOT"));
    assertEquals(
        "<caulk><tag>: 'a:b' is not an image tag",
        assertThrows(PomException.class, () -> PomSettings.tag("tag", "a:b")).getMessage());
  }
}
