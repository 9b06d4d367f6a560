/**
 * VEX in and out: OpenVEX 0.2.0 and CycloneDX VEX documents read into {@link
 * dev.caulk.scan.vex.VexStatement}s ({@link dev.caulk.scan.vex.Vex#read}), applied to a scan result
 * ({@link dev.caulk.scan.vex.Vex#apply}), and an OpenVEX document written from a scan result for a
 * person to edit ({@link dev.caulk.scan.vex.Vex#writeOpenVex}).
 */
package dev.caulk.scan.vex;
