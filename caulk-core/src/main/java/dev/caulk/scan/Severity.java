package dev.caulk.scan;

import java.util.Locale;
import java.util.Optional;

/**
 * How bad a vulnerability is, ordered from {@link #UNKNOWN} (lowest) to {@link #CRITICAL}.
 *
 * <p>The constant names are the ones Trivy and Grype print and the ones {@code dev.caulk.report.Severity} uses, so
 * that the integrator can map one onto the other by name. This enum only adds the two readings a scanner needs:
 * from a CVSS base score and from the words advisory databases use.
 */
public enum Severity {
  /** No usable rating in the advisory. */
  UNKNOWN,
  /** CVSS 0.1-3.9, or a distribution's "low", "negligible" or "unimportant". */
  LOW,
  /** CVSS 4.0-6.9, or "medium" / GitHub's "moderate". */
  MEDIUM,
  /** CVSS 7.0-8.9, or "high" / Red Hat's "important". */
  HIGH,
  /** CVSS 9.0-10.0, or "critical". */
  CRITICAL;

  /**
   * The qualitative rating of a CVSS base score (CVSS v3.1 specification §5, the same bands in v4.0; NVD's v2
   * bands are the same apart from having no CRITICAL). A score of 0.0 ("None") maps to {@link #LOW}: the record
   * still names a vulnerability, and there is no NONE constant.
   *
   * @throws IllegalArgumentException if the score is outside 0.0-10.0 or not a number
   */
  public static Severity fromCvssScore(double score) {
    if (!(score >= 0.0 && score <= 10.0)) {
      throw new IllegalArgumentException("CVSS score out of range 0.0-10.0: " + score);
    }
    if (score >= 9.0) {
      return CRITICAL;
    }
    if (score >= 7.0) {
      return HIGH;
    }
    return score >= 4.0 ? MEDIUM : LOW;
  }

  /**
   * Reads a severity word as written by advisory databases, case-insensitively: GitHub's
   * {@code database_specific.severity} (LOW, MODERATE, HIGH, CRITICAL), Ubuntu priorities (negligible, low,
   * medium, high, critical), Debian tracker urgencies (unimportant, low, medium, high, with any trailing
   * {@code *} marks), Red Hat's (low, moderate, important, critical).
   *
   * @return empty for words that carry no rating, such as Debian's "not yet assigned" or "end-of-life"
   */
  public static Optional<Severity> fromWord(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String w = word.strip().toLowerCase(Locale.ROOT);
    while (w.endsWith("*")) {
      w = w.substring(0, w.length() - 1);
    }
    switch (w) {
      case "negligible":
      case "unimportant":
      case "low":
        return Optional.of(LOW);
      case "medium":
      case "moderate":
        return Optional.of(MEDIUM);
      case "high":
      case "important":
        return Optional.of(HIGH);
      case "critical":
        return Optional.of(CRITICAL);
      default:
        return Optional.empty();
    }
  }
}
