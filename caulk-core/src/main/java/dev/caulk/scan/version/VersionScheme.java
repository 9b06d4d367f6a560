package dev.caulk.scan.version;

import java.util.Comparator;

/**
 * The version ordering of one package ecosystem: a total {@link Comparator} over version strings
 * plus a grammar check.
 *
 * <p>Why one interface for all ecosystems: OSV range evaluation (osv-schema "Evaluation") is the
 * same algorithm everywhere and needs only "compare two versions of this ecosystem". Getting each
 * ordering exactly right is what keeps a scanner free of false positives (caulk reference scan.md
 * §2 and §7.1), so every implementation follows its ecosystem's own tool: dpkg's {@code verrevcmp},
 * apk-tools' {@code version.c}, {@code golang.org/x/mod/semver}, Maven 3.9's {@code
 * ComparableVersion}, SemVer 2.0.0 §11 and PEP 440.
 *
 * <p>Which ecosystem uses which scheme is said by the ecosystem registry ({@code
 * scan.ecosystem.Ecosystems}), not here; a new scheme is one more implementation.
 *
 * <p>{@link #compare} never throws for non-null input: invalid strings get a best-effort position
 * (documented per scheme) so a sort never fails half way. Callers that must not guess check {@link
 * #isValid} first.
 */
public interface VersionScheme extends Comparator<String> {

  /** A short stable name of the ordering, such as {@code "dpkg"} or {@code "maven"}. */
  String name();

  /** True when {@code version} follows this ecosystem's version grammar. */
  boolean isValid(String version);

  /**
   * Compares two versions: negative, zero or positive as {@code a} sorts before, equal to or after
   * {@code b}.
   *
   * @throws NullPointerException if either argument is null
   */
  @Override
  int compare(String a, String b);

  /**
   * Debian's ordering ({@code [epoch:]upstream[-revision]}, deb-version(7), dpkg {@code
   * verrevcmp}); also Ubuntu's. Invalid strings are compared by the same algorithm as far as they
   * can be read.
   */
  static VersionScheme dpkg() {
    return DpkgScheme.INSTANCE;
  }

  /**
   * Alpine's ordering (apk-tools {@code version.c}: {@code
   * digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]}); also Wolfi's and Chainguard's. The
   * first unreadable token of an invalid version sorts it below any valid continuation.
   */
  static VersionScheme apk() {
    return ApkScheme.INSTANCE;
  }

  /**
   * Go module versions exactly as {@code golang.org/x/mod/semver}: a leading {@code v} is required,
   * {@code v1.2} means {@code v1.2.0}, build metadata (so also {@code +incompatible}) is ignored,
   * pseudo-versions are ordinary pre-releases, and invalid strings sort below every valid one and
   * equal to each other.
   */
  static VersionScheme goModule() {
    return SemverScheme.GO_STRICT;
  }

  /**
   * The Go ordering for OSV data: as {@link #goModule()} but the {@code v} is optional, because the
   * Go vulnerability database writes {@code 1.2.3} where {@code go.mod} writes {@code v1.2.3}.
   */
  static VersionScheme go() {
    return SemverScheme.GO_OSV;
  }

  /**
   * SemVer 2.0.0 precedence (§11), used for OSV {@code SEMVER} ranges, npm and crates.io. {@link
   * #isValid} is the strict 2.0.0 grammar; {@link #compare} also reads a leading {@code v} and
   * {@code 1}/{@code 1.2} shorthands. Invalid strings sort below every valid one.
   */
  static VersionScheme semver() {
    return SemverScheme.SEMVER;
  }

  /**
   * Maven 3.9 {@code ComparableVersion} semantics (pom.html "Version Order Specification"), pinned
   * to 3.9 because results differ across Maven versions (scan.md §2.4). Every string is valid
   * Maven-wise except blank ones.
   */
  static VersionScheme maven() {
    return MavenScheme.INSTANCE;
  }

  /**
   * PEP 440 ordering for PyPI; strings outside the PEP 440 grammar sort below every valid version.
   */
  static VersionScheme pep440() {
    return Pep440Scheme.INSTANCE;
  }
}
