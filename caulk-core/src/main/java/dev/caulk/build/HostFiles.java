package dev.caulk.build;

import dev.caulk.digest.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds what a scratch image borrows from the build host (or a sysroot): the CA bundle and the
 * zoneinfo files.
 */
public final class HostFiles {
  /**
   * Where the image gets its CA bundle: the path Debian, Ubuntu and Alpine use, and Go and OpenSSL
   * look at.
   */
  public static final String CA_BUNDLE_PATH = "/etc/ssl/certs/ca-certificates.crt";

  /** Where zoneinfo lives, in the host and in the image. */
  public static final String ZONEINFO = "/usr/share/zoneinfo";

  /** Distribution CA bundle paths, most common first. */
  static final List<String> CA_BUNDLE_CANDIDATES =
      List.of(
          "etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Alpine, Arch
          "etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL, CentOS
          "etc/ssl/ca-bundle.pem", // openSUSE
          "etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
          "etc/ssl/cert.pem"); // Alpine, BSDs

  /** The largest CA bundle accepted (Debian's is about 200 KiB). */
  static final long MAX_CA_BUNDLE_BYTES = 8L * 1024 * 1024;

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  private HostFiles() {}

  /**
   * Names what {@link #pemBundle(Path, String)} makes of a bundle; change it whenever its checks or
   * its output change, so that no remembered result of the old rules is used.
   */
  private static final String PEM_MEMO = "caulk-pem-v1";

  /**
   * {@link #pemBundle(Path, String)}, remembered in {@code memoDir} by the bundle's {@link
   * FileStamp}: a rebuild with the same bundle file reads the checked bundle back (a few hundred
   * KB) instead of parsing each of its certificates again. A memo that is not a PEM bundle
   * (damaged) is made again.
   */
  static byte[] pemBundle(Path file, String where, Path memoDir) throws IOException {
    Path memo = memoDir.resolve(Digest.sha256(PEM_MEMO + "\n" + FileStamp.of(file)).hex() + ".pem");
    if (Files.isRegularFile(memo, LinkOption.NOFOLLOW_LINKS)
        && Files.size(memo) <= MAX_CA_BUNDLE_BYTES) {
      byte[] remembered = Files.readAllBytes(memo);
      String head =
          new String(
              remembered,
              0,
              Math.min(remembered.length, BEGIN.length()),
              StandardCharsets.US_ASCII);
      if (head.equals(BEGIN)) {
        return remembered;
      }
    }
    byte[] checked = pemBundle(file, where);
    Files.createDirectories(memoDir);
    Path tmp = Files.createTempFile(memoDir, ".pem-", ".tmp");
    try {
      Files.write(tmp, checked);
      Files.move(tmp, memo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return checked;
  }

  /**
   * The CA bundle as it goes into the image: every {@code CERTIFICATE} block of the PEM file, each
   * checked to parse as X.509 and written anew from its DER bytes, nothing else (comments, other
   * blocks). A file with no such block (say, {@code /etc/shadow}), with a block that does not
   * parse, or with a private key is refused, and its content is never echoed.
   *
   * @param where names the setting in errors, e.g. {@code caulk.yaml:7: ca-certificates}
   */
  public static byte[] pemBundle(Path file, String where) throws IOException {
    String w = where == null ? "ca-certificates" : where;
    long size = Files.size(file);
    if (size > MAX_CA_BUNDLE_BYTES)
      throw new BuildConfigException(w + ": " + file + " is larger than 8 MiB; not a CA bundle");
    String text =
        new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
    if (text.contains("PRIVATE KEY-----")) {
      throw new BuildConfigException(
          w + ": " + file + " holds a private key; refusing to put it in the image");
    }
    java.security.cert.CertificateFactory cf;
    try {
      cf = java.security.cert.CertificateFactory.getInstance("X.509");
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("X.509 support missing from this Java", e);
    }
    StringBuilder out = new StringBuilder();
    java.util.Base64.Encoder enc = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
    int count = 0;
    for (int from = 0, b; (b = text.indexOf(BEGIN, from)) >= 0; ) {
      int e = text.indexOf(END, b + BEGIN.length());
      if (e < 0)
        throw new BuildConfigException(
            w + ": " + file + ": certificate " + (count + 1) + " has no " + END + " line");
      byte[] der;
      try {
        der = java.util.Base64.getMimeDecoder().decode(text.substring(b + BEGIN.length(), e));
        cf.generateCertificate(new java.io.ByteArrayInputStream(der));
      } catch (IllegalArgumentException | java.security.cert.CertificateException bad) {
        throw new BuildConfigException(
            w + ": " + file + ": certificate " + (count + 1) + " does not parse as X.509");
      }
      out.append(BEGIN)
          .append('\n')
          .append(enc.encodeToString(der))
          .append('\n')
          .append(END)
          .append('\n');
      count++;
      from = e + END.length();
    }
    if (count == 0) {
      throw new BuildConfigException(
          w + ": " + file + " is not a PEM CA bundle (no " + BEGIN + " block)");
    }
    return out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * A {@code files[].source} on the build host: relative to the project, and (symlinks followed)
   * inside it unless {@code allowHostFiles}.
   *
   * @param where names the entry in errors, e.g. {@code caulk.yaml:12: files.source}
   */
  public static Path projectFile(
      Path projectDir, String source, String where, boolean allowHostFiles) throws IOException {
    String w = where == null ? "files.source" : where;
    Path project = projectDir.toAbsolutePath().normalize();
    Path src = project.resolve(source).normalize();
    if (!Files.exists(src))
      throw new BuildConfigException(w + ": " + source + " not found in " + project);
    Path real = src.toRealPath();
    if (!allowHostFiles && !real.startsWith(project.toRealPath())) {
      String how =
          Files.isSymbolicLink(src) || !real.equals(src)
              ? " (through a symlink, to " + real + ")"
              : "";
      throw new BuildConfigException(
          w
              + ": "
              + source
              + " is outside the project "
              + project
              + how
              + "; caulk build reads only the project's files (--allow-host-files to allow others)");
    }
    if (!Files.isRegularFile(real))
      throw new BuildConfigException(w + ": " + source + " is not a regular file");
    return real;
  }

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
      if (!Files.isRegularFile(p))
        throw new NoSuchFileException(p.toString(), null, "ca-certificates: no such file");
      return p;
    }
    for (String c : CA_BUNDLE_CANDIDATES) {
      Path p = root.resolve(c);
      if (Files.isRegularFile(p)) return p;
    }
    throw new BuildConfigException(
        "ca-certificates: no CA bundle found under "
            + root
            + " (looked at /"
            + String.join(", /", CA_BUNDLE_CANDIDATES)
            + "); install ca-certificates, or set ca-certificates to a file or to none");
  }

  /**
   * The zoneinfo entries to copy, as paths relative to the zoneinfo folder: the zone and UTC, with
   * every symlink in their chains (kept as symlinks), or the whole folder.
   */
  public static List<String> zoneinfo(Path root, String zone, boolean all) throws IOException {
    Path dir = root.resolve(ZONEINFO.substring(1));
    if (!Files.isDirectory(dir)) {
      throw new BuildConfigException(
          "timezone: no zoneinfo under "
              + dir
              + "; install tzdata on the build host (or the sysroot)");
    }
    List<String> out = new ArrayList<>();
    if (all) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(p -> !p.equals(dir))
            .filter(
                p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
            .forEach(p -> out.add(dir.relativize(p).toString()));
      }
      out.sort(null);
      return out;
    }
    for (String z : List.of(zone, "UTC")) {
      String rel = z;
      for (int hops = 0; hops < 8; hops++) {
        Path p = dir.resolve(rel).normalize();
        if (!p.startsWith(dir))
          throw new BuildConfigException("timezone: '" + z + "' leaves the zoneinfo folder");
        if (!out.contains(rel)) out.add(rel);
        if (Files.isSymbolicLink(p)) {
          Path target = Files.readSymbolicLink(p);
          Path resolved =
              target.isAbsolute()
                  ? root.resolve(target.toString().substring(1)).normalize()
                  : p.getParent().resolve(target).normalize();
          if (!resolved.startsWith(dir))
            throw new BuildConfigException(
                "timezone: '" + z + "' links outside the zoneinfo folder");
          rel = dir.relativize(resolved).toString();
          continue;
        }
        if (!Files.isRegularFile(p))
          throw new BuildConfigException("timezone: unknown zone '" + z + "' (no file " + p + ")");
        break;
      }
    }
    return out;
  }
}
