package dev.caulk.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jlink through another JDK's jlink from the target's jmods (how a foreign-arch JDK is linked). */
class JavaRuntimeTest {
  @TempDir Path dir;

  private static Jdk host() throws IOException {
    Path home = Path.of(System.getProperty("java.home"));
    assumeTrue(Files.isRegularFile(home.resolve("jmods/java.base.jmod")), "a JDK with jmods");
    return Jdk.open(home, Jdk.hostArchitecture(), "java.home");
  }

  /** A JDK for arm64 in shape only (its tools never run). */
  private Path foreign(String version, boolean jmods) throws IOException {
    Path home = dir.resolve("arm64-" + version + "-" + jmods);
    Files.createDirectories(home.resolve("bin"));
    for (String t : new String[] {"java", "jlink", "jdeps"}) {
      Path f = Files.writeString(home.resolve("bin").resolve(t), "#!/bin/false\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(
        home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\nOS_ARCH=\"aarch64\"\n");
    if (jmods) {
      Files.createDirectories(home.resolve("jmods"));
      Files.write(home.resolve("jmods/java.base.jmod"), new byte[] {'J', 'M', 1, 0});
    }
    return home;
  }

  @Test
  void linksFromTheTargetsJmodsWithTheLinkersJlink() throws Exception {
    Jdk jdk = host();
    SortedSet<String> modules = new TreeSet<>(List.of("java.base"));
    JavaRuntime.Made rt = JavaRuntime.make(jdk, jdk, modules, true, dir.resolve("cache"));
    assertFalse(rt.reused());
    assertFalse(rt.cds(), "a cross-linked runtime has no default CDS archive");
    assertFalse(Files.exists(rt.dir().resolve("lib/server/classes.jsa")));
    Process p =
        new ProcessBuilder(rt.dir().resolve("bin/java").toString(), "--list-modules")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.startsWith("java.base@"), out);
    assertEquals(1, out.strip().lines().count(), out);
    assertTrue(JavaRuntime.make(jdk, jdk, modules, true, dir.resolve("cache")).reused());
  }

  @Test
  void aForeignJdkNeedsTheSameVersionAndItsJmods() throws Exception {
    Jdk host = host();
    Jdk newer = Jdk.open(foreign("99.0.1", true), "arm64", "java.jdks.arm64");
    SortedSet<String> modules = new TreeSet<>(List.of("java.base"));
    JvmException e =
        assertThrows(JvmException.class, () -> JavaRuntime.make(newer, host, modules, true, dir));
    assertTrue(
        e.getMessage().contains("cannot link the jmods of JDK 99.0.1 (arm64)"), e.getMessage());
    assertTrue(e.getMessage().endsWith("give a host JDK of version 99.0.1"), e.getMessage());
    Jdk noJmods = Jdk.open(foreign(host.version(), false), "arm64", "java.jdks.arm64");
    JvmException e2 =
        assertThrows(JvmException.class, () -> JavaRuntime.make(noJmods, host, modules, true, dir));
    assertTrue(e2.getMessage().contains("has no jmods/java.base.jmod"), e2.getMessage());
  }
}
