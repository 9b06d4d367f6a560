package dev.caulk.scan.osv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.report.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CvssTest {
  /** Well-known base scores (NVD-published values for common vectors). */
  @ParameterizedTest
  @CsvSource({
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 8.8",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H, 8.8",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 7.8",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H, 8.1",
    "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H, 7.2",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N, 5.9",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N, 5.3",
    "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N, 4.7",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N, 6.8",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C, 9.8",
    "CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N, 9.8",
    "AV:N/AC:L/Au:N/C:P/I:P/A:P, 7.5",
    "AV:N/AC:L/Au:N/C:C/I:C/A:C, 10.0",
    "AV:N/AC:M/Au:N/C:P/I:N/A:N, 4.3",
    "AV:N/AC:L/Au:N/C:N/I:N/A:P, 5.0",
    "(AV:L/AC:L/Au:N/C:C/I:C/A:C), 7.2",
  })
  void baseScores(String vector, double expected) {
    CvssScore s =
        Cvss.score(vector).orElseThrow(() -> new AssertionError("no score for " + vector));
    assertEquals(expected, s.baseScore(), 1e-9, vector);
    assertFalse(s.approximate());
  }

  @Test
  void versionsAndSeverity() {
    assertEquals(
        Cvss.Version.V3_1,
        Cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").orElseThrow().version());
    assertEquals(
        Cvss.Version.V3_0,
        Cvss.score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").orElseThrow().version());
    assertEquals(Cvss.Version.V2, Cvss.score("AV:N/AC:L/Au:N/C:P/I:P/A:P").orElseThrow().version());
    assertEquals(
        Severity.CRITICAL,
        Cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").orElseThrow().severity());
    assertEquals(
        Severity.LOW,
        Cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").orElseThrow().severity());
  }

  @Test
  void v4IsAnApproximationInTheRightBand() {
    // Real v4 scores: 9.3 (critical), 6.9 (medium), 8.5 (high).
    CvssScore crit =
        Cvss.score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").orElseThrow();
    assertTrue(crit.approximate());
    assertEquals(Cvss.Version.V4_0, crit.version());
    assertEquals(Severity.CRITICAL, crit.severity());
    assertEquals(
        Severity.MEDIUM,
        Cvss.score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")
            .orElseThrow()
            .severity());
    assertEquals(
        Severity.HIGH,
        Cvss.score("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
            .orElseThrow()
            .severity());
    assertTrue(
        Cvss.score("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A")
            .isPresent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "CVSS:3.1/",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H",
        "CVSS:5.0/AV:N",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H",
        "AV:N/AC:L/Au:N/C:P/I:P",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
        "CVSS:3.1/AV:N//AC:L",
      })
  void malformedVectorsGiveNoScore(String vector) {
    assertTrue(Cvss.score(vector).isEmpty(), vector);
  }

  @Test
  void roundUpFollowsAppendixA() {
    assertEquals(4.1, Cvss.roundUp(4.02), 1e-12);
    assertEquals(4.0, Cvss.roundUp(4.00), 1e-12);
    assertEquals(4.0, Cvss.roundUp(4.000000000000001), 1e-12, "float noise must not round up");
    assertEquals(0.1, Cvss.roundUp(0.01), 1e-12);
  }
}
