/**
 * SBOM writers: an image's {@link dev.caulk.scan.catalog.Inventory} as CycloneDX 1.6 JSON or SPDX
 * 2.3 JSON ({@link dev.caulk.scan.sbom.SbomWriter}), deterministic for a given image and clock.
 */
package dev.caulk.scan.sbom;
