package dev.caulk.scan.ecosystem;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import java.util.Locale;
import java.util.Objects;

/**
 * What to look up in OSV for one installed package: ecosystem with release, the name advisories
 * use, and the version to compare (osv-schema {@code ecosystems.json}; reference scan.md section
 * 3.2 and 3.5). Each ecosystem's rule is part of its registration ({@link EcosystemSpec#target});
 * this type holds the result and what the distribution rules share: the distribution comes from the
 * image's os-release, and when that is unknown (an SBOM from another tool), from the purl's
 * namespace and {@code distro} qualifier.
 *
 * @param ecosystem OSV ecosystem, with release for distributions, or null when skipped
 * @param name advisory package name, or null when skipped
 * @param version version to compare, or null when skipped
 * @param skipped why the package is not matched, or null
 */
public record OsvTarget(String ecosystem, String name, String version, String skipped) {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final Pattern NUMERIC_RELEASE = Pattern.compile("[0-9][0-9.]*");

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final Pattern CODENAME = Pattern.compile("[a-z]+");

  private static final Pattern DISTRO = Pattern.compile("([a-z]+)-([0-9][0-9a-z._-]*)");

  /** A package that is not matched, and why. */
  public static OsvTarget skip(String reason) {
    return new OsvTarget(null, null, null, reason);
  }

  /** A lookup. */
  public static OsvTarget of(String ecosystem, String name, String version) {
    return new OsvTarget(ecosystem, name, version, null);
  }

  /** Whether the package is not matched. */
  public boolean isSkipped() {
    return skipped != null;
  }

  /**
   * The target for a package of an image with this operating system, by the rule of the package
   * type's registration.
   */
  public static OsvTarget of(Package p, OsRelease os) {
    Objects.requireNonNull(p, "package");
    if (p.version() == null || p.version().isBlank()) {
      return skip("no version");
    }
    return Ecosystems.forType(p.type())
        .map(e -> e.target().target(p, os))
        .orElseGet(() -> skip("no ecosystem registered for " + p.type().purlType() + " packages"));
  }

  /** The distribution: os-release's ID, else the purl namespace ({@code pkg:deb/ubuntu/…}). */
  static String vendor(Package p, OsRelease os) {
    if (os.isKnown()) {
      return os.id();
    }
    String ns = p.purl().namespace();
    return ns == null ? "unknown" : ns.toLowerCase(Locale.ROOT);
  }

  /** The release: os-release's VERSION_ID, else the purl's {@code distro=debian-12} qualifier. */
  static String release(Package p, OsRelease os) {
    if (os.isKnown() && os.versionId() != null) {
      return os.versionId();
    }
    String d = p.purl().qualifiers().get("distro");
    if (d != null) {
      Matcher m = DISTRO.matcher(d.toLowerCase(Locale.ROOT));
      if (m.matches()) {
        return m.group(2);
      }
      if (NUMERIC_RELEASE.matches(d)) {
        return d;
      }
      if (CODENAME.matches(d)) {
        return d;
      }
    }
    return null;
  }

  /** The advisory name of an OS package: its source package, else its own name. */
  static String source(Package p) {
    return p.sourceName() != null ? p.sourceName() : p.name();
  }
}
