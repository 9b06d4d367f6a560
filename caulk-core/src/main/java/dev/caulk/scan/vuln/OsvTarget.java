package dev.caulk.scan.vuln;

import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * What to look up in OSV for one installed package: ecosystem with release, the name advisories use, and
 * the version to compare (osv-schema {@code ecosystems.json}; reference scan.md section 3.2 and 3.5).
 *
 * <ul>
 *   <li>deb: {@code Debian:<major>} or {@code Ubuntu:<YY.MM>}, the <b>source</b> name and source version
 *       ({@code libssl3} is looked up as {@code openssl}; {@code libldb2 2:2.6.2+samba…} as {@code samba 2:4.17…}).</li>
 *   <li>apk: {@code Alpine:v<X.Y>} (or {@code Wolfi}, {@code Chainguard}), the origin (source) name, the
 *       package version (an origin has no version of its own).</li>
 *   <li>golang: {@code Go}, module path or {@code stdlib}, the module version.</li>
 *   <li>maven: {@code Maven}, {@code groupId:artifactId}, the version.</li>
 * </ul>
 * The distribution comes from the image's os-release; when that is unknown (an SBOM from another tool), from
 * the purl's namespace and {@code distro} qualifier. A package that cannot be mapped gets a skip reason instead.
 *
 * @param ecosystem OSV ecosystem, with release for distributions, or null when skipped
 * @param name advisory package name, or null when skipped
 * @param version version to compare, or null when skipped
 * @param skipped why the package is not matched, or null
 */
record OsvTarget(String ecosystem, String name, String version, String skipped) {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern NUMERIC_RELEASE = com.google.re2j.Pattern.compile("[0-9][0-9.]*");
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern CODENAME = com.google.re2j.Pattern.compile("[a-z]+");

  /** Debian code names to release numbers (distro-info-data), for images whose os-release has no VERSION_ID. */
  private static final Map<String, String> DEBIAN_CODENAMES = Map.of(
      "stretch", "9", "buster", "10", "bullseye", "11", "bookworm", "12", "trixie", "13", "forky", "14");
  private static final Pattern DISTRO = Pattern.compile("([a-z]+)-([0-9][0-9a-z._-]*)");
  private static final Pattern MAJOR_MINOR = Pattern.compile("v?([0-9]+)\\.([0-9]+).*");

  static OsvTarget skip(String reason) {
    return new OsvTarget(null, null, null, reason);
  }

  boolean isSkipped() {
    return skipped != null;
  }

  /** The target for a package of an image with this operating system. */
  static OsvTarget of(Package p, OsRelease os) {
    Objects.requireNonNull(p, "package");
    if (p.version() == null || p.version().isBlank()) return skip("no version");
    return switch (p.type()) {
      case DEB -> deb(p, os);
      case APK -> apk(p, os);
      case GOLANG -> golang(p);
      case MAVEN -> p.groupId() == null || p.groupId().isBlank()
          ? skip("Maven artifact without a groupId (no pom.properties)")
          : new OsvTarget("Maven", p.groupId() + ":" + (p.artifactId() != null ? p.artifactId() : p.name()), p.version(), null);
    };
  }

  private static OsvTarget golang(Package p) {
    String v = p.version();
    if (v.equals("(devel)")) return skip("Go main module built without a version (devel)");
    if (p.name().equals("command-line-arguments")) return skip("Go binary built from files, not a module");
    return new OsvTarget("Go", p.name(), v, null);
  }

  private static OsvTarget deb(Package p, OsRelease os) {
    String vendor = vendor(p, os);
    String source = p.sourceName() != null ? p.sourceName() : p.name();
    String version = p.sourceVersion() != null ? p.sourceVersion() : p.version();
    String release = release(p, os);
    switch (vendor) {
      case "debian": {
        String r = release == null ? os.versionCodename() : release;
        if (r == null) return skip("Debian release unknown");
        String number = DEBIAN_CODENAMES.getOrDefault(r.toLowerCase(Locale.ROOT), r);
        int dot = number.indexOf('.');
        if (dot > 0 && Character.isDigit(number.charAt(0))) number = number.substring(0, dot);
        return new OsvTarget("Debian:" + number, source, version, null);
      }
      case "ubuntu":
        if (release == null) return skip("Ubuntu release unknown");
        return new OsvTarget("Ubuntu:" + release, source, version, null);
      default:
        return skip("no advisories for distribution '" + vendor + "'");
    }
  }

  private static OsvTarget apk(Package p, OsRelease os) {
    String vendor = vendor(p, os);
    String source = p.sourceName() != null ? p.sourceName() : p.name();
    switch (vendor) {
      case "alpine": {
        String r = release(p, os);
        Matcher m = r == null ? null : MAJOR_MINOR.matcher(r);
        if (m == null || !m.matches()) return skip("Alpine release unknown");
        return new OsvTarget("Alpine:v" + m.group(1) + "." + m.group(2), source, p.version(), null);
      }
      case "wolfi":
        return new OsvTarget("Wolfi", source, p.version(), null);
      case "chainguard":
        return new OsvTarget("Chainguard", source, p.version(), null);
      default:
        return skip("no advisories for distribution '" + vendor + "'");
    }
  }

  /** The distribution: os-release's ID, else the purl namespace ({@code pkg:deb/ubuntu/…}). */
  private static String vendor(Package p, OsRelease os) {
    if (os.isKnown()) return os.id();
    String ns = p.purl().namespace();
    return ns == null ? "unknown" : ns.toLowerCase(Locale.ROOT);
  }

  /** The release: os-release's VERSION_ID, else the purl's {@code distro=debian-12} qualifier. */
  private static String release(Package p, OsRelease os) {
    if (os.isKnown() && os.versionId() != null) return os.versionId();
    String d = p.purl().qualifiers().get("distro");
    if (d != null) {
      Matcher m = DISTRO.matcher(d.toLowerCase(Locale.ROOT));
      if (m.matches()) return m.group(2);
      if (NUMERIC_RELEASE.matches(d)) return d;
      if (CODENAME.matches(d)) return d;
    }
    return null;
  }
}
