package dev.caulk.scan.vuln;

import dev.caulk.report.Report;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.db.DbStatus;
import dev.caulk.scan.db.EcosystemStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@link Scanner#scan} found, and how complete it is.
 *
 * @param inventory the packages that were matched
 * @param vulnerabilities what matched, after {@link ScanOptions} filters, in {@link
 *     Vulnerability#ORDER}
 * @param skipped packages not matched, counted by reason ("Go main module built without a version
 *     (devel)")
 * @param undetermined advisories that could not be decided for a package (invalid version for the
 *     ecosystem's grammar), one line each, bounded
 * @param ecosystems OSV ecosystems (base names) the inventory needed
 * @param missingEcosystems needed ecosystems the store holds no data for: results for those
 *     packages are incomplete, and the caller should say so
 * @param database the store's state at scan time (record counts, import times)
 */
public record ScanResult(
    Inventory inventory,
    List<Vulnerability> vulnerabilities,
    Map<String, Integer> skipped,
    List<String> undetermined,
    Set<String> ecosystems,
    Set<String> missingEcosystems,
    DbStatus database) {

  /** Copies the collections. */
  public ScanResult {
    Objects.requireNonNull(inventory, "inventory");
    vulnerabilities = List.copyOf(vulnerabilities);
    skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    undetermined = List.copyOf(undetermined);
    ecosystems = Collections.unmodifiableSet(new TreeSet<>(ecosystems));
    missingEcosystems = Collections.unmodifiableSet(new TreeSet<>(missingEcosystems));
    Objects.requireNonNull(database, "database");
  }

  /** True when every needed ecosystem had data. */
  public boolean isComplete() {
    return missingEcosystems.isEmpty();
  }

  /** When the oldest of the needed ecosystems was imported, if any was. */
  public Optional<Instant> oldestImport() {
    return database.ecosystems().stream()
        .filter(e -> ecosystems.stream().anyMatch(n -> n.equalsIgnoreCase(e.ecosystem())))
        .map(EcosystemStatus::importedAt)
        .min(Instant::compareTo);
  }

  /**
   * The result as a {@link Report} for the table, JSON, SARIF and JUnit writers and the {@code
   * Gate}: one finding per vulnerable package occurrence (rule id = {@link Vulnerability#id()}),
   * one rule per vulnerability id, and the structured vulnerabilities as the report's inventory.
   *
   * @param subject what was scanned ({@link Report#IMAGE}, {@link Report#DIGEST}, …); the operating
   *     system and database age are added
   */
  public Report toReport(Map<String, String> subject) {
    return VulnerabilityReport.of(this, subject);
  }
}
