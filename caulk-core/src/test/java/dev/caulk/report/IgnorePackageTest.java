package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code pkg:NAME} selector of ignores, matched against {@link Finding#packages()}. */
class IgnorePackageTest {
  static final LocalDate TODAY = LocalDate.of(2026, 3, 15);
  static final Finding SSL =
      Finding.of("CVE-2023-5678", Severity.MEDIUM, "openssl DH")
          .withPath("/var/lib/dpkg/status")
          .withPackages(List.of("libssl3", "openssl"));
  static final Finding CURL =
      Finding.of("CVE-2023-5678", Severity.MEDIUM, "same id, other package")
          .withPath("/var/lib/dpkg/status")
          .withPackages(List.of("libcurl4", "curl"));
  static final Finding PLAIN = Finding.of("CVE-2023-5678", Severity.MEDIUM, "no package");

  @Test
  void parsesAndPrintsThePackageSelectorInAnyPosition() {
    Ignore i =
        Ignore.parse(
            "CVE-2023-5678 exp:2026-06-30 pkg:openssl # DH checks are not reachable", "t:1");
    assertEquals("openssl", i.packageName());
    assertEquals(LocalDate.of(2026, 6, 30), i.expires());
    assertEquals("DH checks are not reachable", i.reason());
    assertEquals("CVE-2023-5678 pkg:openssl exp:2026-06-30", i.toString());
    assertEquals(i.packageName(), Ignore.parse(i.toString(), "t").packageName());
    assertNull(Ignore.parse("CVE-2023-5678", "t").packageName());
  }

  @Test
  void matchesBinaryOrSourceNameOnly() {
    assertTrue(Ignore.parse("CVE-2023-5678 pkg:openssl", "t").matches(SSL, TODAY));
    assertTrue(Ignore.parse("CVE-2023-5678 pkg:libssl3", "t").matches(SSL, TODAY));
    assertTrue(!Ignore.parse("CVE-2023-5678 pkg:openssl", "t").matches(CURL, TODAY));
    assertTrue(
        !Ignore.parse("CVE-2023-5678 pkg:openssl", "t").matches(PLAIN, TODAY),
        "a finding about no package");
    assertTrue(
        !Ignore.parse("CVE-2023-5678 pkg:openssl exp:2026-03-14", "t").matches(SSL, TODAY),
        "expired");
    assertTrue(Ignore.parse("* pkg:curl", "t").matches(CURL, TODAY));
  }

  @Test
  void gateUsesIt() {
    Gate.Verdict v =
        Gate.failingAt(Severity.UNKNOWN)
            .withIgnores(List.of(Ignore.parse("CVE-2023-5678 pkg:openssl", "t")))
            .evaluate(Report.of(Map.of(), List.of(SSL, CURL)), TODAY);
    assertEquals(List.of(SSL), v.suppressed());
    assertEquals(List.of(CURL), v.failing());
  }

  @Test
  void badSelectorsAreClearErrors() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Ignore.parse("X pkg:", "t"))
            .getMessage()
            .contains("pkg:NAME"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Ignore.parse("X pkg:a pkg:b", "t"))
            .getMessage()
            .contains("more than one"));
    IgnoreFileException e =
        assertThrows(
            IgnoreFileException.class, () -> IgnoreFile.parse("ok\nX nonsense\n", ".caulkignore"));
    assertTrue(e.getMessage().startsWith(".caulkignore:2:"), e.getMessage());
    assertTrue(e.getMessage().contains("pkg:NAME"), e.getMessage());
  }

  @Test
  void findingsKeepOldConstructorAndPackagesDoNotChangeFingerprints() {
    Finding a = new Finding("X", Severity.LOW, "t", "/p", null, null, null, List.of(), "k");
    assertEquals(List.of(), a.packages());
    assertEquals(a.fingerprint(), a.withPackages(List.of("x")).fingerprint());
    assertEquals(
        List.of("x"),
        a.withPackages(List.of("x")).withSeverity(Severity.HIGH).packages(),
        "copies keep packages");
  }
}
