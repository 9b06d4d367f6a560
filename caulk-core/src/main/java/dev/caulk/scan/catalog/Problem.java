package dev.caulk.scan.catalog;

import java.util.Comparator;
import java.util.Objects;

/**
 * A file a cataloger could not (fully) read, and why: a truncated Go build-info blob, a corrupt or
 * too deeply nested jar, an oversized database. Scanning goes on; problems are reported beside the
 * packages so that a missing package is never silent.
 *
 * @param path the file (for nested archives, {@code /outer.jar:inner.jar})
 * @param cataloger id of the cataloger that gave up
 * @param reason one line, never containing file content beyond short names
 */
public record Problem(String path, String cataloger, String reason) {
  /** Orders problems by path, then cataloger, then reason. */
  public static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::path)
          .thenComparing(Problem::cataloger)
          .thenComparing(Problem::reason);

  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(cataloger, "cataloger");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return path + ": " + cataloger + ": " + reason;
  }
}
