package dev.caulk.scan.version;

import static dev.caulk.scan.version.Orders.chain;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MavenSchemeTest {
  private final VersionScheme maven = VersionScheme.maven();

  /** Every Maven vector of scan.md §2.4 (maven-artifact 3.9.6 results). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.0-alpha-1 < 1.0-beta-1 < 1.0-rc1 = 1.0-cr1 < 1.0-SNAPSHOT < 1.0 = 1.0.0 = 1.0-ga = 1.0-final = 1.0-RELEASE"
            + " < 1.0-sp < 1.0-abc < 1.0-1 < 1.0.1",
        "1a1 = 1-alpha-1",
        "1.0-m1 = 1.0-milestone-1",
        "1.0-alpha1 = 1.0-ALPHA1",
        "6.1.0rc3 < 6.1.0",
        "2.0.1 < 2.0.1-xyz < 2.0.1-123",
        "1.7 > 1.K",
        "2.12.0 > 2.9.10.8",
        "2.13.4.2 > 2.13.4",
        "9.4.51.v20230217 > 9.4.51",
        "1.2.3-jre > 1.2.3-android",
        "31.1-jre < 32.0.0-android",
        "1.0.0-M1 < 1.0.0-RC1",
        "5.3.18 = 5.3.18.RELEASE",
        "1-0.alpha < 1",
        "0.7 < 2",
        // The 3.9 column of the drift table.
        "1.0-RELEASE = 1.0",
        "1.0.RC2 < 1.0-RC3",
        // Upstream VERSIONS_QUALIFIER, strictly increasing.
        "1-alpha2snapshot < 1-alpha2 < 1-alpha-123 < 1-beta-2 < 1-beta123 < 1-m2 < 1-m11 < 1-rc < 1-cr2 < 1-rc123"
            + " < 1-SNAPSHOT < 1 < 1-sp < 1-sp2 < 1-sp123 < 1-abc < 1-def < 1-pom-1 < 1-1-snapshot < 1-1 < 1-2"
            + " < 1-123",
        // Upstream VERSIONS_NUMBER, strictly increasing.
        "2.0 < 2.0.a < 2-1 < 2.0.2 < 2.0.123 < 2.1.0 < 2.1-a < 2.1b < 2.1-c < 2.1-1 < 2.1.0.1 < 2.2 < 2.123 < 11.a2"
            + " < 11.a11 < 11.b2 < 11.b11 < 11.m2 < 11.m11 < 11 < 11.a < 11b < 11c < 11m",
        // Further cases from the task and Maven's documentation.
        "1.0-alpha-1 < 1.0-SNAPSHOT < 1.0 < 1.0-sp1",
        "1.0.0 = 1",
        "1-ga = 1",
        "1-final = 1.0.0.0",
        "1.0-1 = 1-1",
        "1-1 < 1.1",
        "1.0-1 < 1.0.1",
        "1.0.0-cr1 = 1-rc-1",
        "1..1 = 1.0.1",
        "1.0-b1 = 1.0-beta-1",
        "1.0-b = 1.0-b",
        "1.0-beta < 1.0-b",
        "123456789012345678901234567890 > 123456789012345678901234567889",
        "1.0.0.0.0.0.0.1 > 1",
      })
  void vectors(String line) {
    chain(maven, line);
  }

  @Test
  void validity() {
    assertTrue(maven.isValid("1.0"));
    assertTrue(maven.isValid("anything-goes"));
    assertFalse(maven.isValid(""));
    assertFalse(maven.isValid("  "));
  }

  /**
   * Maven 3.9's order is not transitive everywhere; verified with maven-artifact 3.9.6: {@code 1 <
   * 1.0.a}, {@code 1.0.a < 1-0.alpha}, yet {@code 1 > 1-0.alpha}. We keep Maven's answers (a
   * scanner must agree with the build tool), so this cycle is pinned here, and versions shaped like
   * {@code 1-0.alpha} stay out of the law checks below.
   */
  @Test
  void reproducesMavensOwnNonTransitiveTriple() {
    Orders.expect(maven, "1", "1.0.a", -1);
    Orders.expect(maven, "1.0.a", "1-0.alpha", -1);
    Orders.expect(maven, "1", "1-0.alpha", 1);
  }

  @Test
  void comparatorLaws() {
    Orders.laws(
        maven,
        List.of(
            "1",
            "1.0",
            "1-SNAPSHOT",
            "1-alpha-1",
            "1a1",
            "1.0.a",
            "1-1",
            "1.1",
            "1-sp",
            "1-abc",
            "1.0.RC2",
            "1-rc-3",
            "2",
            "1.K",
            "1.7",
            "1-ga",
            "",
            "-",
            "..",
            "1-xyz-1"));
  }
}
