/**
 * The ecosystem registry: one {@link dev.caulk.scan.ecosystem.EcosystemSpec} per package ecosystem
 * (cataloguer and its feed, OSV ecosystem names with version scheme and release normalisation,
 * default downloads, the OSV target rule, the package type), listed in {@link
 * dev.caulk.scan.ecosystem.Ecosystems#ALL}. The image pass, the matcher and the vulnerability store
 * ask it; nothing else names an ecosystem.
 */
package dev.caulk.scan.ecosystem;
