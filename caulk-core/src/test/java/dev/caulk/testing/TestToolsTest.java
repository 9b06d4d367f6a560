package dev.caulk.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class TestToolsTest {
  @Test
  void anExecutablePathIsUsed(@TempDir Path tmp) throws IOException {
    Path exe = Files.writeString(tmp.resolve("skopeo"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    TestTools.Tool t = TestTools.skopeo(exe.toString());
    assertEquals(exe.toString(), t.command());
    assertTrue(t.origin().contains("-Dcaulk.test.skopeo"), t.origin());
  }

  @Test
  void aNonExecutableFileIsNotUsed(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("skopeo"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals("skopeo", TestTools.skopeo(file.toString()).command());
  }

  @Test
  void aMissingPathFallsBackToTheSystemsAndSaysWhy(@TempDir Path tmp) {
    TestTools.Tool t = TestTools.skopeo(tmp.resolve("none/bin/skopeo").toString());
    assertEquals("skopeo", t.command());
    assertTrue(t.origin().contains(tmp.resolve("none/bin/skopeo") + " is missing"), t.origin());
    assertTrue(t.origin().contains("scripts/test-tools"), t.origin());
  }

  @Test
  void unsetOrABareNameIsLookedUpOnThePath() {
    assertEquals("skopeo", TestTools.skopeo("").command());
    assertTrue(TestTools.skopeo("").origin().contains("is not set"));
    assertEquals("skopeo-1.18", TestTools.skopeo("skopeo-1.18").command());
  }

  @Test
  void aMissingToolSkipsLocallyAndFailsInCi() {
    TestTools.require(true, "fine", true);
    TestTools.require(true, "fine", false);
    TestAbortedException skipped =
        assertThrows(TestAbortedException.class, () -> TestTools.require(false, "no tool", false));
    assertTrue(skipped.getMessage().contains("no tool"), skipped.getMessage());
    AssertionError failed =
        assertThrows(AssertionError.class, () -> TestTools.require(false, "no tool", true));
    assertTrue(failed.getMessage().contains("no tool"), failed.getMessage());
    assertTrue(failed.getMessage().contains("CI=true"), failed.getMessage());
  }
}
