package dev.caulk.scan.version;

import static dev.caulk.scan.version.Orders.chain;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApkSchemeTest {
  private final VersionScheme apk = VersionScheme.apk();

  /**
   * Every apk vector of scan.md §2.2 (from apk-tools' version.data or its port), plus suffix ranks.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.3_rc1 < 1.2.3",
        "1.2.3_alpha < 1.2.3_beta < 1.2.3_pre < 1.2.3_rc < 1.2.3 < 1.2.3_p1",
        "1.1_alpha1 < 1.1",
        "1.0_p10-r0 > 1.0_p9-r0",
        "6.0_pre1 < 6.0",
        "6.0_p1 > 6.0",
        "0.1.0_alpha_pre2 < 0.1.0_alpha",
        "1.2.3_git20230101 > 1.2.3",
        "1.2.3-r10 > 1.2.3-r9",
        "1.0 < 1.0.0",
        "1.0-r1 < 1.0.0-r0",
        "1.02 < 1.1",
        "8.2.0 < 8.2.001",
        "8.2.0015 < 8.2.002",
        "2.3.0b-r1 < 2.3.0b-r2",
        "2.38.1-r1 < 2.38.1_p1-r0",
        "1.0~1234-r1 < 1.0~2345-r0",
        "1.0~1234-r1 > 1.0~1234-r0",
        "1.3_pre1-r1 < 1.3.2",
        "1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0",
        // Further cases.
        "1.2.3-r0 < 1.2.3-r1",
        "1.2.3_rc1 < 1.2.3 < 1.2.3_p1",
        "1.2.3_cvs < 1.2.3_svn < 1.2.3_git < 1.2.3_hg < 1.2.3_p",
        "1.2.3 < 1.2.3a < 1.2.3b < 1.2.4",
        "1.2.3 = 1.2.3",
        "1.2.3-r0 > 1.2.3",
        "1.2.3_p1 < 1.2.3a",
        "1.2.3_rc1 < 1.2.3_rc2 < 1.2.3_rc10",
        "1.10 > 1.9",
        "01.2 = 1.2",
        "1.2.3_alpha1_p2 > 1.2.3_alpha1",
        // A commit hash comes before the revision in the grammar, so like a suffix it beats "-rN"
        // and the end.
        "1.0 < 1.0-r0 < 1.0~abc < 1.0~abd < 1.0~abd-r1 < 1.0.1",
        "1.0bc > 1.0",
        "23_foo > 4_beta",
        "999999999999999999999999.0 > 99999999999999999999999.9",
      })
  void vectors(String line) {
    chain(apk, line);
  }

  @Test
  void validity() {
    for (String ok :
        List.of(
            "1",
            "1.2.3",
            "1.2.3a",
            "1.2.3_rc1",
            "1.2.3_alpha_pre2-r4",
            "1.0~12ab-r1",
            "2.38.1_p1-r0",
            "1.0.0_pre20191002222144-r0",
            "1.2.3_git20230101")) {
      assertTrue(apk.isValid(ok), ok);
    }
    // The invalid examples of scan.md §2.2, and more.
    for (String bad :
        List.of(
            "0.1a1",
            "0.1_foobar",
            "0.1-r2_pre1",
            "0.1-r",
            ".1",
            "a",
            "",
            "1.2.3A",
            "1.2.3-1",
            "1..2",
            "1.2.",
            "1.0~",
            "1.0~xyz",
            "1.0-r1~ab",
            "1.2ab",
            "1.2a.3",
            "1_rc1.2",
            "1.0_p1a")) {
      assertFalse(apk.isValid(bad), bad);
    }
  }

  @Test
  void invalidTailSortsBelowValidContinuation() {
    chain(apk, "1.0_foobar < 1.0");
    chain(apk, "1.0_foobar < 1.0.1");
  }

  @Test
  void comparatorLaws() {
    Orders.laws(
        apk,
        List.of(
            "1.0",
            "1.0.0",
            "1.0-r1",
            "1.0.0-r0",
            "1.0_rc1",
            "1.0_p1",
            "1.0a",
            "1.0~ab",
            "1.02",
            "1.1",
            "1.0_alpha_pre2",
            "1.0_alpha",
            "x",
            "1.0_bogus",
            "1.0-r",
            "1.0_git1-r2"));
  }
}
