package dev.caulk.report;

import java.util.Locale;
import java.util.Optional;

/**
 * How bad a finding is, ordered from {@link #UNKNOWN} (lowest) to {@link #CRITICAL} (highest), so
 * that {@code compareTo} and {@link #atLeast} express "at or above a threshold" the way {@code
 * trivy --severity} and {@code dockle --exit-level} do.
 *
 * <p>One severity for findings and vulnerabilities alike: the scanner reads CVSS scores and
 * advisory words into it ({@link #fromCvssScore}, {@link #fromWord}); INFO is never a
 * vulnerability's.
 *
 * <p>The names are Trivy's and Grype's (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL) plus INFO for advice
 * such as a missing HEALTHCHECK (CIS 4.6), which Dockle reports as INFO.
 */
public enum Severity {
  /**
   * No severity known (for example a secret rule or advisory without one); sorts below everything.
   */
  UNKNOWN,
  /** Advice that does not by itself weaken the image. */
  INFO,
  /** Minor hardening gap. */
  LOW,
  /** Real weakness that needs a specific setting or mistake to be exploited. */
  MEDIUM,
  /** Serious weakness; fix before release. */
  HIGH,
  /** Exploitable as shipped, such as a live credential in a layer. */
  CRITICAL;

  /**
   * Parses a severity name case-insensitively, with surrounding blanks ignored.
   *
   * <p>Dockle's levels are accepted too, so that {@code --severity} keeps working for people moving
   * from Dockle: {@code FATAL} maps to {@link #HIGH} and {@code WARN}/{@code WARNING} to {@link
   * #MEDIUM} (Dockle's {@code INFO} is our {@link #INFO}). FATAL is not mapped to CRITICAL on
   * purpose: Dockle gives FATAL to CIS level-1 items such as {@code ADD} instead of {@code COPY} or
   * {@code sudo} in history, which caulk grades HIGH, and a gate written as {@code --severity
   * fatal} must still fail on them. Dockle's PASS, SKIP and IGNORE are outcomes, not severities,
   * and are rejected.
   *
   * @throws IllegalArgumentException if the text names no severity; the message lists the accepted
   *     names
   */
  public static Severity parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("missing severity: expected one of " + accepted());
    }
    String t = text.trim().toUpperCase(Locale.ROOT);
    switch (t) {
      case "FATAL":
        return HIGH;
      case "WARN":
      case "WARNING":
        return MEDIUM;
      default:
        for (Severity s : values()) {
          if (s.name().equals(t)) {
            return s;
          }
        }
    }
    String shown = text.length() > 32 ? text.substring(0, 32) + "…" : text;
    throw new IllegalArgumentException(
        "unknown severity '"
            + shown.replaceAll("\\p{Cntrl}", "?")
            + "': expected one of "
            + accepted());
  }

  /**
   * The qualitative rating of a CVSS base score (CVSS v3.1 specification §5, the same bands in
   * v4.0; NVD's v2 bands are the same apart from having no CRITICAL). A score of 0.0 ("None") maps
   * to {@link #LOW}: the record still names a vulnerability, and there is no NONE constant.
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
   * Reads a severity word as written by advisory databases, case-insensitively: GitHub's {@code
   * database_specific.severity} (LOW, MODERATE, HIGH, CRITICAL), Ubuntu priorities (negligible,
   * low, medium, high, critical), Debian tracker urgencies (unimportant, low, medium, high, with
   * any trailing {@code *} marks), Red Hat's (low, moderate, important, critical).
   *
   * @return empty for words that carry no rating, such as Debian's "not yet assigned" or
   *     "end-of-life"
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

  /** True when this severity is the same as or worse than {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return compareTo(threshold) >= 0;
  }

  /** The lower-case name, as used in summaries ("critical"). */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static String accepted() {
    return "unknown, info, low, medium, high, critical (dockle's fatal and warn map to high and medium)";
  }
}
