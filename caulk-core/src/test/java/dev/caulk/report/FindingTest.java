package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingTest {

  @Test
  void buildsWithWithers() {
    Finding f =
        Finding.of("CIS-DI-0008", Severity.LOW, "setuid file")
            .withPath("/usr/bin/passwd")
            .withLayerIndex(2)
            .withDetail("mode 4755")
            .withRemediation("chmod u-s")
            .withReferences(List.of("CIS-4.8"));
    assertEquals("/usr/bin/passwd", f.path());
    assertEquals("2", f.layer());
    assertEquals("mode 4755", f.detail());
    assertEquals(List.of("CIS-4.8"), f.references());
    assertEquals(Severity.HIGH, f.withSeverity(Severity.HIGH).severity());
    assertNull(Finding.of("a", Severity.LOW, "t").withLayer(" ").layer());
  }

  @Test
  void rejectsBadFields() {
    assertThrows(IllegalArgumentException.class, () -> Finding.of("has space", Severity.LOW, "t"));
    assertThrows(IllegalArgumentException.class, () -> Finding.of("", Severity.LOW, "t"));
    assertThrows(IllegalArgumentException.class, () -> Finding.of("id", Severity.LOW, " "));
    assertThrows(
        IllegalArgumentException.class,
        () -> Finding.of("id", Severity.LOW, "t").withPath("etc/passwd"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Finding.of("id", Severity.LOW, "t").withLayerIndex(-1));
    assertThrows(NullPointerException.class, () -> Finding.of("id", null, "t"));
  }

  @Test
  void referencesAreCopied() {
    List<String> refs = new ArrayList<>(List.of("a"));
    Finding f = Finding.of("id", Severity.LOW, "t").withReferences(refs);
    refs.add("b");
    assertEquals(List.of("a"), f.references());
    assertThrows(UnsupportedOperationException.class, () -> f.references().add("c"));
  }

  @Test
  void fingerprintIsStableAndIgnoresVolatileFields() {
    Finding a =
        Finding.of("github-pat", Severity.CRITICAL, "GitHub token")
            .withPath("/app/.env")
            .withKey("line-3");
    Finding b =
        a.withLayer("sha256:" + "1".repeat(64))
            .withDetail("other detail")
            .withSeverity(Severity.HIGH);
    assertEquals(a.fingerprint(), b.fingerprint());
    assertEquals(64, a.fingerprint().length());
    assertTrue(a.fingerprint().matches("[0-9a-f]{64}"));
    // known value: sha256("github-pat\0/app/.env\0line-3")
    assertEquals(
        a.fingerprint(),
        Finding.of("github-pat", Severity.LOW, "x")
            .withPath("/app/.env")
            .withKey("line-3")
            .fingerprint());
    assertNotEquals(a.fingerprint(), a.withKey("line-4").fingerprint());
    assertNotEquals(a.fingerprint(), a.withPath("/app/.env2").fingerprint());
    assertNotEquals(a.fingerprint(), a.withKey(null).fingerprint());
    // the separator keeps "ab"+"c" apart from "a"+"bc"
    assertNotEquals(
        Finding.of("r", Severity.LOW, "t").withPath("/a").withKey("b/c").fingerprint(),
        Finding.of("r", Severity.LOW, "t").withPath("/a/b").withKey("c").fingerprint());
  }

  @Test
  void orderIsSeverityDescendingThenIdThenPath() {
    Finding low = Finding.of("A", Severity.LOW, "t");
    Finding highB = Finding.of("B", Severity.HIGH, "t").withPath("/z");
    Finding highBmeta = Finding.of("B", Severity.HIGH, "t");
    Finding highA = Finding.of("A", Severity.HIGH, "t");
    Finding crit = Finding.of("Z", Severity.CRITICAL, "t");
    List<Finding> list = new ArrayList<>(List.of(low, highB, highBmeta, highA, crit));
    list.sort(Finding.ORDER);
    assertEquals(List.of(crit, highA, highBmeta, highB, low), list);
  }
}
