/**
 * Vulnerability scanning: package versions, OSV advisories and the local advisory store.
 *
 * <p>Sub-packages, in dependency order: {@code version} (per-ecosystem version orderings), {@code osv} (the OSV
 * record model, range evaluation and severity), {@code db} (the offline, file-based OSV store). This package holds
 * only {@link dev.caulk.scan.Severity}, shared by all of them.
 */
package dev.caulk.scan;
