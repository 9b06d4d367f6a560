package dev.caulk.scan.ecosystem;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.caulk.scan.catalog.Catalogers;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.version.VersionScheme;

/**
 * Alpine packages (Alpine, Wolfi, Chainguard): the apk installed database, apk-tools' ordering,
 * advisories under {@code Alpine:v<X.Y>} (or {@code Wolfi}, {@code Chainguard}) by origin (source)
 * name and the package version (an origin has no version of its own).
 */
final class ApkEcosystem {
  /** RE2/J (linear time): applied to untrusted release strings. */
  private static final Pattern MAJOR_MINOR = Pattern.compile("v?([0-9]+)\\.([0-9]+).*");

  static final EcosystemSpec SPEC =
      EcosystemSpec.of(
          "apk",
          PackageType.APK,
          Catalogers::apk,
          EcosystemSpec.Feed.DATABASE,
          ApkEcosystem::target,
          new OsvEcosystem("Alpine", VersionScheme.apk(), ApkEcosystem::majorMinor, true),
          OsvEcosystem.of("Wolfi", VersionScheme.apk(), false),
          OsvEcosystem.of("Chainguard", VersionScheme.apk(), false));

  private ApkEcosystem() {}

  /**
   * Alpine releases compare without the {@code v}, cut to major.minor ({@code v3.20}, {@code
   * 3.20.3} → {@code 3.20}).
   */
  private static String majorMinor(String release) {
    String r = release.startsWith("v") ? release.substring(1) : release;
    String[] parts = r.split("\\.");
    return parts.length > 2 ? parts[0] + "." + parts[1] : r;
  }

  private static OsvTarget target(Package p, OsRelease os) {
    String vendor = OsvTarget.vendor(p, os);
    String source = OsvTarget.source(p);
    switch (vendor) {
      case "alpine":
        {
          String r = OsvTarget.release(p, os);
          Matcher m = r == null ? null : MAJOR_MINOR.matcher(r);
          if (m == null || !m.matches()) {
            return OsvTarget.skip("Alpine release unknown");
          }
          return OsvTarget.of("Alpine:v" + m.group(1) + "." + m.group(2), source, p.version());
        }
      case "wolfi":
        return OsvTarget.of("Wolfi", source, p.version());
      case "chainguard":
        return OsvTarget.of("Chainguard", source, p.version());
      default:
        return OsvTarget.skip("no advisories for distribution '" + vendor + "'");
    }
  }
}
