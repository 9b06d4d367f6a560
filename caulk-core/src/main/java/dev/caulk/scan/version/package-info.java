/**
 * Version orderings for the package ecosystems caulk scans: dpkg (Debian, Ubuntu), apk (Alpine,
 * Wolfi, Chainguard), Go module semver, SemVer 2.0.0 (npm, crates.io, OSV {@code SEMVER} ranges),
 * Maven 3.9 {@code ComparableVersion} and PEP 440 (PyPI).
 *
 * <p>Each ordering is a total {@link java.util.Comparator} over strings, so that invalid input
 * never throws in the middle of a sort; {@link dev.caulk.scan.version.VersionScheme#isValid} says
 * whether a string follows the ecosystem's grammar, so callers can refuse to draw conclusions from
 * garbage. Pure functions, no I/O.
 */
package dev.caulk.scan.version;
