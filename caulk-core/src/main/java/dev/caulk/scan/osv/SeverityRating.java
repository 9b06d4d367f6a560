package dev.caulk.scan.osv;

import dev.caulk.report.Severity;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A severity derived from an OSV record, with where it came from so that a report can show its
 * evidence.
 *
 * @param severity the qualitative rating
 * @param score the CVSS base score when the rating came from a vector
 * @param source what it was derived from: {@code CVSS_V3}, {@code CVSS_V4 (approximate)}, {@code
 *     CVSS_V2}, {@code database_specific.severity}, {@code ecosystem_specific.severity}, {@code
 *     Ubuntu}, {@code Debian urgency}, or {@code none}
 * @param detail the vector or word it was derived from; empty for {@code none}
 */
public record SeverityRating(
    Severity severity, OptionalDouble score, String source, String detail) {
  /** The rating used when a record carries nothing usable. */
  public static final SeverityRating NONE =
      new SeverityRating(Severity.UNKNOWN, OptionalDouble.empty(), "none", "");

  /** Checks every component. */
  public SeverityRating {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detail, "detail");
  }
}
