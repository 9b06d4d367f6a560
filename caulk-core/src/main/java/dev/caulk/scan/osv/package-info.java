/**
 * The OSV advisory format (ossf/osv-schema {@code docs/schema.md}) and how caulk evaluates it.
 *
 * <p>{@link dev.caulk.scan.osv.OsvEntry#parse} reads one record leniently (unknown fields ignored,
 * as the schema allows for minor versions) but rejects records that break the fields matching
 * depends on. {@link dev.caulk.scan.osv.OsvMatcher} implements the schema's "Evaluation" pseudocode
 * with the ecosystem's version ordering from {@code dev.caulk.scan.version}; {@link
 * dev.caulk.scan.osv.Severities} turns CVSS vectors and database words into a {@link
 * dev.caulk.report.Severity}. Pure functions over values, no I/O.
 */
package dev.caulk.scan.osv;
