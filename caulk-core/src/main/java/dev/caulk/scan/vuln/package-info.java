/**
 * {@code caulk sbom} and {@code caulk scan} as a library: {@link
 * dev.caulk.scan.vuln.Scanner#catalog} lists an image's packages in one streaming pass over its
 * layers, {@link dev.caulk.scan.vuln.Scanner#scan} matches an inventory (from an image or a stored
 * SBOM) against the offline OSV store, and {@link dev.caulk.scan.vuln.ScanResult#toReport} hands
 * the result to the report writers and the gate.
 *
 * <p>Offline by construction: nothing here touches the network; advisories come from {@code
 * dev.caulk.scan.db}.
 */
package dev.caulk.scan.vuln;
