package dev.caulk.scan.db;

import java.util.Objects;

/**
 * What {@link VulnDb#update} did for one ecosystem.
 *
 * @param ecosystem the OSV ecosystem name asked for ({@code Debian})
 * @param source where the export came from (scheme, host and path only)
 * @param bytes size of the downloaded export
 * @param result the import of that export
 */
public record EcosystemUpdate(String ecosystem, String source, long bytes, ImportResult result) {
  /** Checks every component. */
  public EcosystemUpdate {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(result, "result");
  }
}
