package dev.caulk.scan.osv;

import dev.caulk.report.Severity;
import java.util.Objects;

/**
 * A CVSS base score computed by {@link Cvss#score} from a vector string.
 *
 * @param version which CVSS specification the vector follows
 * @param baseScore the base score, 0.0 to 10.0, one decimal
 * @param approximate true when the number is not the specification's own result (CVSS v4, see
 *     {@link Cvss})
 * @param vector the vector as given
 */
public record CvssScore(
    Cvss.Version version, double baseScore, boolean approximate, String vector) {
  /** Checks every component and the score range. */
  public CvssScore {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(vector, "vector");
    if (!(baseScore >= 0.0 && baseScore <= 10.0)) {
      throw new IllegalArgumentException("CVSS base score out of range: " + baseScore);
    }
  }

  /** The qualitative rating of the score ({@link Severity#fromCvssScore}). */
  public Severity severity() {
    return Severity.fromCvssScore(baseScore);
  }
}
