package dev.caulk.scan.osv;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code affected[]} element: a package, its ranges and/or explicit versions, per-package
 * severity, and the free-form {@code ecosystem_specific} / {@code database_specific} objects
 * (Debian keeps its urgency in the former). The package is optional in the schema (GIT-only
 * records); absent JSON objects are {@code MissingNode}.
 */
public record OsvAffected(
    Optional<OsvPackage> pkg,
    List<OsvSeverity> severity,
    List<OsvRange> ranges,
    List<String> versions,
    JsonNode ecosystemSpecific,
    JsonNode databaseSpecific) {

  /** Copies the lists; every component must be present. */
  public OsvAffected {
    Objects.requireNonNull(pkg, "pkg");
    severity = List.copyOf(severity);
    ranges = List.copyOf(ranges);
    versions = List.copyOf(versions);
    Objects.requireNonNull(ecosystemSpecific, "ecosystemSpecific");
    Objects.requireNonNull(databaseSpecific, "databaseSpecific");
  }
}
