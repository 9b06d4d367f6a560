package dev.caulk.scan.db;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store holds for one ecosystem.
 *
 * @param ecosystem the OSV base name ({@code Debian}, {@code Alpine}, {@code Go}, …)
 * @param records distinct OSV records stored (withdrawn ones are not kept)
 * @param packages distinct package names those records affect
 * @param importedAt when the import that produced this ecosystem's data finished
 * @param source the file or folder name it was imported from (no directories, so no local paths
 *     leak)
 */
public record EcosystemStatus(
    String ecosystem, int records, int packages, Instant importedAt, String source) {
  /** Checks every component. */
  public EcosystemStatus {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(importedAt, "importedAt");
    Objects.requireNonNull(source, "source");
  }
}
