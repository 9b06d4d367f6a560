package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 15);

  private static final Finding ROOT = Finding.of("CIS-DI-0001", Severity.HIGH, "runs as root");
  private static final Finding HEALTH = Finding.of("CIS-DI-0006", Severity.INFO, "no HEALTHCHECK");
  private static final Finding SUID =
      Finding.of("CIS-DI-0008", Severity.MEDIUM, "setuid").withPath("/usr/bin/passwd");
  private static final Finding SUID2 =
      Finding.of("CIS-DI-0008", Severity.MEDIUM, "setuid").withPath("/bin/su");
  private static final Finding KEY =
      Finding.of("aws-access-key-id", Severity.CRITICAL, "AWS key")
          .withPath("/opt/app/testdata/creds");
  private static final Report REPORT =
      Report.of(Map.of("image", "app:1"), List.of(ROOT, HEALTH, SUID, SUID2, KEY));

  @Test
  void thresholdDecides() {
    assertFalse(Gate.failingAt(Severity.CRITICAL).evaluate(REPORT, TODAY).passed());
    assertEquals(List.of(KEY), Gate.failingAt(Severity.CRITICAL).evaluate(REPORT, TODAY).failing());
    assertEquals(
        List.of(KEY, ROOT), Gate.failingAt(Severity.HIGH).evaluate(REPORT, TODAY).failing());
    assertEquals(5, Gate.failingAt(Severity.UNKNOWN).evaluate(REPORT, TODAY).failing().size());
    Report mild = Report.of(Map.of(), List.of(HEALTH, SUID));
    assertTrue(Gate.failingAt(Severity.HIGH).evaluate(mild, TODAY).passed());
    assertFalse(Gate.failingAt(Severity.MEDIUM).evaluate(mild, TODAY).passed());
    assertTrue(
        Gate.failingAt(Severity.CRITICAL).evaluate(Report.of(Map.of(), List.of()), TODAY).passed());
  }

  @Test
  void ignoresDropFindingsFromTheReportAndTheDecision() {
    Gate gate =
        Gate.failingAt(Severity.HIGH)
            .withIgnores(
                List.of(
                    Ignore.of("cis-di-0001"), // case-insensitive id
                    Ignore.parse("aws-access-key-id /opt/app/testdata/**", "t")));
    Gate.Verdict v = gate.evaluate(REPORT, TODAY);
    assertTrue(v.passed());
    assertEquals(List.of(KEY, ROOT), v.suppressed());
    assertEquals(3, v.report().findings().size());
    assertEquals("app:1", v.report().imageName());
    assertEquals(List.of(), v.unused());
  }

  @Test
  void pathGlobOnlyCoversMatchingPaths() {
    Gate gate =
        Gate.failingAt(Severity.MEDIUM)
            .withIgnores(List.of(Ignore.parse("CIS-DI-0008 /usr/bin/*", "t")));
    Gate.Verdict v = gate.evaluate(Report.of(Map.of(), List.of(SUID, SUID2, HEALTH)), TODAY);
    assertEquals(List.of(SUID), v.suppressed());
    assertEquals(List.of(SUID2), v.failing());
    // a glob never matches a metadata finding (no path)
    Gate.Verdict meta =
        Gate.failingAt(Severity.LOW)
            .withIgnores(List.of(Ignore.parse("CIS-DI-0001 /**", "t")))
            .evaluate(Report.of(Map.of(), List.of(ROOT)), TODAY);
    assertEquals(List.of(ROOT), meta.failing());
  }

  @Test
  void wildcardIdWithGlob() {
    Gate gate =
        Gate.failingAt(Severity.LOW).withIgnores(List.of(Ignore.parse("* /opt/app/**", "t")));
    Gate.Verdict v = gate.evaluate(REPORT, TODAY);
    assertEquals(List.of(KEY), v.suppressed());
  }

  @Test
  void expiryAppliesThroughItsDateAndNotAfter() {
    Ignore until = Ignore.parse("CIS-DI-0001 exp:2026-03-15", ".caulkignore:1");
    Gate gate = Gate.failingAt(Severity.HIGH).withIgnores(List.of(until));
    Report r = Report.of(Map.of(), List.of(ROOT));
    Gate.Verdict onTheDay = gate.evaluate(r, LocalDate.of(2026, 3, 15));
    assertTrue(onTheDay.passed());
    assertEquals(List.of(), onTheDay.expired());

    Gate.Verdict dayAfter = gate.evaluate(r, LocalDate.of(2026, 3, 16));
    assertFalse(dayAfter.passed());
    assertEquals(List.of(ROOT), dayAfter.failing());
    assertEquals(List.of(until), dayAfter.expired());
    assertEquals(
        List.of(), dayAfter.unused(), "expired ignores are reported as expired, not unused");
  }

  @Test
  void unusedIgnoresAreListed() {
    Ignore stale = Ignore.of("DKL-DI-0005");
    Gate.Verdict v =
        Gate.failingAt(Severity.HIGH).withIgnores(List.of(stale)).evaluate(REPORT, TODAY);
    assertEquals(List.of(stale), v.unused());
  }
}
