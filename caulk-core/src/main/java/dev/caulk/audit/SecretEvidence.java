package dev.caulk.audit;

import dev.caulk.report.Severity;

/**
 * A secret found in one layer's copy of a file while the layers streamed: by its content (a
 * detector of {@link dev.caulk.audit.secrets.SecretScanner}) or by its name ({@link
 * dev.caulk.audit.secrets.SecretFiles}). Holds only a masked value.
 *
 * @param path absolute path of the file
 * @param layerIndex the layer whose copy holds it
 * @param byName true for a credential file recognised by its name, false for a match in the content
 * @param id the detector or file-category id ({@code aws-access-key-id}, {@code
 *     ssh-private-key-file})
 * @param title what was found
 * @param severity how bad it is
 * @param line 1-based line of a content match (0 for a whole binary file or a name match)
 * @param masked the masked value ({@code AKIA****}) or the reason a name matched
 * @param occurrence 1-based count of this id on this path and layer, to tell several apart
 * @param finalContent true when this copy is what a container sees; false when a later layer
 *     deleted or replaced the file, so the secret only ships hidden (still extractable from the
 *     layer)
 * @param hiddenBy the layer that deleted or replaced it, or -1 when {@code finalContent}
 */
public record SecretEvidence(
    String path,
    int layerIndex,
    boolean byName,
    String id,
    String title,
    Severity severity,
    int line,
    String masked,
    int occurrence,
    boolean finalContent,
    int hiddenBy) {

  SecretEvidence resolved(boolean isFinal, int by) {
    return new SecretEvidence(
        path, layerIndex, byName, id, title, severity, line, masked, occurrence, isFinal, by);
  }

  /** "line 3: AKIA****" or the name reason, for finding details. */
  public String describe() {
    if (byName) return masked;
    return (line > 0 ? "line " + line + ": " : "") + masked;
  }
}
