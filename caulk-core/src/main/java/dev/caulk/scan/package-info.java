/**
 * Vulnerability scanning: package versions, OSV advisories and the local advisory store.
 *
 * <p>Sub-packages, in dependency order: {@code version} (per-ecosystem version orderings), {@code
 * osv} (the OSV record model, range evaluation and severity), {@code db} (the offline, file-based
 * OSV store). Severities are {@link dev.caulk.report.Severity}, the one severity of findings and
 * vulnerabilities.
 */
package dev.caulk.scan;
