package dev.caulk.audit.secrets;

import java.util.Objects;

/**
 * One secret found by {@link SecretScanner}. It never holds the secret itself, only a masked form.
 *
 * @param detectorId stable detector id, such as {@code github-pat} or {@code private-key}; see
 *     {@link SecretScanner#detectorIds()}
 * @param title what was found, for people ("GitHub personal access token")
 * @param severity the name of a {@code dev.caulk.report.Severity} constant (CRITICAL, HIGH or
 *     MEDIUM); a string so this package stays free of other caulk packages
 * @param line 1-based line of the match in the scanned text, or 0 for a binary file matched as a
 *     whole
 * @param masked the value masked by {@link SecretScanner#mask}: at most 4 leading characters, then
 *     {@code ****}
 */
public record SecretHit(String detectorId, String title, String severity, int line, String masked) {

  /** Checks that nothing is null and the line is not negative. */
  public SecretHit {
    Objects.requireNonNull(detectorId, "detectorId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(masked, "masked");
    if (line < 0) {
      throw new IllegalArgumentException("negative line");
    }
  }
}
