package dev.caulk.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds what a scratch image borrows from the build host (or a sysroot): the CA bundle and the
 * zoneinfo files.
 */
public final class HostFiles {
  /** Where the image gets its CA bundle: the path Debian, Ubuntu and Alpine use, and Go and OpenSSL look at. */
  public static final String CA_BUNDLE_PATH = "/etc/ssl/certs/ca-certificates.crt";
  /** Where zoneinfo lives, in the host and in the image. */
  public static final String ZONEINFO = "/usr/share/zoneinfo";

  /** Distribution CA bundle paths, most common first. */
  static final List<String> CA_BUNDLE_CANDIDATES = List.of(
      "etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Alpine, Arch
      "etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL, CentOS
      "etc/ssl/ca-bundle.pem", // openSUSE
      "etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
      "etc/ssl/cert.pem"); // Alpine, BSDs

  private HostFiles() {}

  /**
   * The CA bundle to copy: {@code host} searches the usual paths under {@code root}, {@code none}
   * means no bundle, anything else is a file (relative to the project).
   *
   * @return the file, or null for {@code none}
   */
  public static Path caBundle(String setting, Path root, Path projectDir) throws IOException {
    if ("none".equals(setting)) return null;
    if (!"host".equals(setting)) {
      Path p = projectDir.resolve(setting);
      if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, "ca-certificates: no such file");
      return p;
    }
    for (String c : CA_BUNDLE_CANDIDATES) {
      Path p = root.resolve(c);
      if (Files.isRegularFile(p)) return p;
    }
    throw new BuildConfigException("ca-certificates: no CA bundle found under " + root + " (looked at /" + String.join(", /", CA_BUNDLE_CANDIDATES)
        + "); install ca-certificates, or set ca-certificates to a file or to none");
  }

  /**
   * The zoneinfo entries to copy, as paths relative to the zoneinfo folder: the zone and UTC,
   * with every symlink in their chains (kept as symlinks), or the whole folder.
   */
  public static List<String> zoneinfo(Path root, String zone, boolean all) throws IOException {
    Path dir = root.resolve(ZONEINFO.substring(1));
    if (!Files.isDirectory(dir)) {
      throw new BuildConfigException("timezone: no zoneinfo under " + dir + "; install tzdata on the build host (or the sysroot)");
    }
    List<String> out = new ArrayList<>();
    if (all) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(p -> !p.equals(dir)).filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
            .forEach(p -> out.add(dir.relativize(p).toString()));
      }
      out.sort(null);
      return out;
    }
    for (String z : List.of(zone, "UTC")) {
      String rel = z;
      for (int hops = 0; hops < 8; hops++) {
        Path p = dir.resolve(rel).normalize();
        if (!p.startsWith(dir)) throw new BuildConfigException("timezone: '" + z + "' leaves the zoneinfo folder");
        if (!out.contains(rel)) out.add(rel);
        if (Files.isSymbolicLink(p)) {
          Path target = Files.readSymbolicLink(p);
          Path resolved = target.isAbsolute() ? root.resolve(target.toString().substring(1)).normalize() : p.getParent().resolve(target).normalize();
          if (!resolved.startsWith(dir)) throw new BuildConfigException("timezone: '" + z + "' links outside the zoneinfo folder");
          rel = dir.relativize(resolved).toString();
          continue;
        }
        if (!Files.isRegularFile(p)) throw new BuildConfigException("timezone: unknown zone '" + z + "' (no file " + p + ")");
        break;
      }
    }
    return out;
  }
}
