package dev.caulk.slim;

import dev.caulk.spec.ContainerConfig;
import java.util.List;

/**
 * The files a slim image keeps whatever its entrypoint: accounts, name service and resolver
 * configuration, OS identity, the loader's cache, CA bundles, the time zone (build.md §4.1 for
 * distroless's choice; §5.5 for what SlimToolkit users lose when these go: CA bundles, resolver
 * files).
 */
final class Essentials {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern SAFE_NAME =
      com.google.re2j.Pattern.compile("[A-Za-z0-9_+./-]+");

  /** Kept when present (symlink chains included). */
  static final List<String> FILES =
      List.of(
          "/etc/passwd",
          "/etc/group",
          "/etc/nsswitch.conf",
          "/etc/hosts",
          "/etc/host.conf",
          "/etc/resolv.conf",
          "/etc/os-release",
          "/usr/lib/os-release",
          "/etc/localtime",
          "/etc/timezone",
          "/etc/services",
          "/etc/protocols",
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/etc/ld.so.conf.d",
          "/etc/alpine-release",
          "/etc/debian_version");

  /**
   * CA bundles of Debian/Alpine, RHEL/Fedora, SUSE and Arch (one file each; hashed folders are not
   * kept).
   */
  static final List<String> CA_BUNDLES =
      List.of(
          "/etc/ssl/certs/ca-certificates.crt",
          "/etc/ssl/cert.pem",
          "/etc/pki/tls/certs/ca-bundle.crt",
          "/etc/pki/tls/cert.pem",
          "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
          "/etc/ssl/ca-bundle.pem",
          "/etc/ca-certificates/extracted/tls-ca-bundle.pem");

  static final String ZONEINFO = "/usr/share/zoneinfo";

  private Essentials() {}

  /** Adds the essential files and the zone named by the image's {@code TZ} to a keep-list. */
  static void keep(Needs needs, ContainerConfig rc) {
    for (String f : FILES) needs.path(f, true);
    for (String f : CA_BUNDLES) needs.path(f, false);
    String tz = zoneFile(rc.envValue("TZ"));
    if (tz != null) needs.path(tz, false);
  }

  /**
   * The file {@code TZ} names: {@code :Europe/Paris} or {@code Europe/Paris} under {@value
   * #ZONEINFO}, an absolute path as it is; null for POSIX rules ({@code UTC0}, {@code
   * EST5EDT,M3.2.0,M11.1.0}) and names that would leave the zone folder.
   */
  static String zoneFile(String tz) {
    if (tz == null) return null;
    String t = tz.startsWith(":") ? tz.substring(1) : tz;
    if (t.isEmpty() || t.length() > 255) return null;
    if (t.startsWith("/")) return ImagePaths.normalize(t);
    if (t.contains("..") || !SAFE_NAME.matches(t)) return null;
    return ImagePaths.join(ZONEINFO, t);
  }
}
