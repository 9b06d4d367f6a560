package dev.caulk.scan.ecosystem;

import dev.caulk.scan.catalog.Catalogers;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.version.VersionScheme;
import java.util.Locale;
import java.util.Map;

/**
 * Debian packages (Debian, Ubuntu, distroless): the dpkg database, dpkg's ordering, advisories
 * under {@code Debian:<major>} or {@code Ubuntu:<YY.MM>} by <b>source</b> name and source version
 * ({@code libssl3} is looked up as {@code openssl}; {@code libldb2 2:2.6.2+samba…} as {@code samba
 * 2:4.17…}).
 */
final class DebEcosystem {
  /**
   * Debian code names to release numbers (distro-info-data), for images whose os-release has no
   * VERSION_ID.
   */
  private static final Map<String, String> DEBIAN_CODENAMES =
      Map.of(
          "stretch",
          "9",
          "buster",
          "10",
          "bullseye",
          "11",
          "bookworm",
          "12",
          "trixie",
          "13",
          "forky",
          "14");

  static final EcosystemSpec SPEC =
      EcosystemSpec.of(
          "deb",
          PackageType.DEB,
          Catalogers::dpkg,
          EcosystemSpec.Feed.DATABASE,
          DebEcosystem::target,
          new OsvEcosystem("Debian", VersionScheme.dpkg(), DebEcosystem::major, true),
          new OsvEcosystem(
              "Ubuntu",
              VersionScheme.dpkg(),
              r -> r.endsWith(":lts") ? r.substring(0, r.length() - 4) : r,
              false));

  private DebEcosystem() {}

  /** Debian releases compare by major number ({@code 12.5} → {@code 12}). */
  private static String major(String r) {
    int dot = r.indexOf('.');
    return dot > 0 && Character.isDigit(r.charAt(0)) ? r.substring(0, dot) : r;
  }

  private static OsvTarget target(Package p, OsRelease os) {
    String vendor = OsvTarget.vendor(p, os);
    String source = OsvTarget.source(p);
    String version = p.sourceVersion() != null ? p.sourceVersion() : p.version();
    String release = OsvTarget.release(p, os);
    switch (vendor) {
      case "debian":
        {
          String r = release == null ? os.versionCodename() : release;
          if (r == null) {
            return OsvTarget.skip("Debian release unknown");
          }
          String number = major(DEBIAN_CODENAMES.getOrDefault(r.toLowerCase(Locale.ROOT), r));
          return OsvTarget.of("Debian:" + number, source, version);
        }
      case "ubuntu":
        if (release == null) {
          return OsvTarget.skip("Ubuntu release unknown");
        }
        return OsvTarget.of("Ubuntu:" + release, source, version);
      default:
        return OsvTarget.skip("no advisories for distribution '" + vendor + "'");
    }
  }
}
