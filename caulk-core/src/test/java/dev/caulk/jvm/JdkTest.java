package dev.caulk.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkTest {
  @TempDir Path dir;

  /** A directory shaped like a JDK: the named tools as executable files and a release file. */
  private Path fake(String name, String release, String... tools) throws IOException {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    for (String t : tools) {
      Path f = Files.writeString(home.resolve("bin").resolve(t), "#!/bin/sh\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    if (release != null) {
      Files.writeString(home.resolve("release"), release);
    }
    return home;
  }

  private static String msg(Path home, String arch) {
    return assertThrows(JvmException.class, () -> Jdk.open(home, arch, "java.jdk")).getMessage();
  }

  @Test
  void identifiesAJdk() throws IOException {
    Path home =
        fake("ok", "JAVA_VERSION=\"21.0.2\"\nOS_ARCH=\"aarch64\"\n", "java", "jlink", "jdeps");
    Jdk j = Jdk.open(home, "arm64", "java.jdks.arm64");
    assertEquals("21.0.2", j.version());
    assertEquals(21, j.feature());
    assertEquals("arm64", j.architecture());
  }

  @Test
  void notAJdk() throws IOException {
    assertTrue(msg(dir.resolve("absent"), "amd64").endsWith(": no such directory"));
    Path jre = fake("jre", "JAVA_VERSION=\"17\"\nOS_ARCH=\"x86_64\"\n", "java");
    assertEquals(
        "java.jdk " + jre + " is not a JDK with jlink: bin/jlink is missing (install a full JDK)",
        msg(jre, "amd64"));
    Path noJdeps = fake("nojdeps", "JAVA_VERSION=\"17\"\nOS_ARCH=\"x86_64\"\n", "java", "jlink");
    assertTrue(msg(noJdeps, "amd64").contains("bin/jdeps is missing"));
    Path noRelease = fake("norelease", null, "java", "jlink", "jdeps");
    assertTrue(msg(noRelease, "amd64").endsWith("no release file, so its version is unknown"));
    Path badVersion =
        fake("badv", "JAVA_VERSION=\"$(id)\"\nOS_ARCH=\"x86_64\"\n", "java", "jlink", "jdeps");
    assertTrue(msg(badVersion, "amd64").endsWith("release file has no valid JAVA_VERSION"));
    Path old =
        fake("old", "JAVA_VERSION=\"10.0.2\"\nOS_ARCH=\"x86_64\"\n", "java", "jlink", "jdeps");
    assertTrue(msg(old, "amd64").contains("Java 11 or newer is needed"));
    Path noArch = fake("noarch", "JAVA_VERSION=\"17.0.1\"\n", "java", "jlink", "jdeps");
    assertTrue(msg(noArch, "amd64").endsWith("release file has no OS_ARCH"));
  }

  @Test
  void wrongArchitectureNamesTheKey() throws IOException {
    Path home =
        fake("x86", "JAVA_VERSION=\"17.0.1\"\nOS_ARCH=\"x86_64\"\n", "java", "jlink", "jdeps");
    assertEquals(
        "java.jdk "
            + home
            + " is a JDK for amd64, not arm64 (give a JDK per architecture: java.jdks.arm64)",
        msg(home, "arm64"));
  }
}
