package dev.caulk.jvm;

import com.google.re2j.Pattern;
import dev.caulk.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JDK on the build host that jlink and jdeps come from, checked before anything runs: it has
 * {@code bin/jlink}, {@code bin/jdeps} and {@code bin/java}, and its {@code release} file names a
 * Java version and the architecture the image is for.
 *
 * @param home the JDK's directory, as real path
 * @param version {@code JAVA_VERSION} of the release file, e.g. {@code 17.0.15}
 * @param feature the feature release, e.g. 17 (what {@code jdeps --multi-release} is given)
 * @param architecture the OCI architecture of {@code OS_ARCH}, e.g. {@code amd64}
 * @param release the release file's bytes (part of every cache key)
 */
public record Jdk(Path home, String version, int feature, String architecture, byte[] release) {
  private static final int MAX_RELEASE = 64 * 1024;
  private static final Pattern VERSION =
      Pattern.compile("[0-9]+(\\.[0-9]+)*([-+][0-9A-Za-z.+-]*)?");

  public Jdk {
    release = release.clone();
  }

  @Override
  public byte[] release() {
    return release.clone();
  }

  /**
   * Checks a JDK for an architecture.
   *
   * @param where what named it, for messages ({@code caulk.yaml:12: java.jdk}, {@code JAVA_HOME})
   * @param wantArch the OCI architecture of the image ({@code amd64}, {@code arm64})
   */
  public static Jdk open(Path home, String wantArch, String where) throws IOException {
    String who = where + " " + home;
    if (!Files.isDirectory(home)) {
      throw new JvmException(who + ": no such directory");
    }
    for (String tool : new String[] {"java", "jlink", "jdeps"}) {
      if (!Files.isExecutable(home.resolve("bin").resolve(tool))) {
        throw new JvmException(
            who + " is not a JDK with jlink: bin/" + tool + " is missing (install a full JDK)");
      }
    }
    Path releaseFile = home.resolve("release");
    if (!Files.isRegularFile(releaseFile)) {
      throw new JvmException(who + ": no release file, so its version is unknown");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(releaseFile)) {
      bytes = in.readNBytes(MAX_RELEASE);
    }
    Map<String, String> rel = parseRelease(new String(bytes, StandardCharsets.UTF_8));
    String version = rel.get("JAVA_VERSION");
    if (version == null || !VERSION.matches(version)) {
      throw new JvmException(who + ": release file has no valid JAVA_VERSION");
    }
    int feature = Integer.parseInt(version.split("[.+-]", 2)[0]);
    if (feature < 11) {
      throw new JvmException(who + " is Java " + version + "; Java 11 or newer is needed");
    }
    String osArch = rel.get("OS_ARCH");
    if (osArch == null) {
      throw new JvmException(who + ": release file has no OS_ARCH");
    }
    String arch = ociArchitecture(osArch);
    if (!arch.equals(wantArch)) {
      throw new JvmException(
          who
              + " is a JDK for "
              + arch
              + ", not "
              + wantArch
              + " (give a JDK per architecture: java.jdks."
              + wantArch
              + ")");
    }
    return new Jdk(home.toRealPath(), version, feature, arch, bytes);
  }

  /** The OCI name of a {@code release} file's {@code OS_ARCH}. */
  static String ociArchitecture(String osArch) {
    return switch (osArch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "arm" -> "arm";
      default -> osArch;
    };
  }

  /** {@code KEY="value"} lines; others are ignored. */
  static Map<String, String> parseRelease(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String v = line.substring(eq + 1).strip();
      if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
        v = v.substring(1, v.length() - 1);
      }
      m.put(line.substring(0, eq).strip(), v);
    }
    return m;
  }

  /** {@code bin/NAME} of this JDK. */
  Path tool(String name) {
    return home.resolve("bin").resolve(name);
  }

  /**
   * What identifies this JDK's content: the release file and the digest of {@code lib/modules} (the
   * class library jlink links from). The digest is remembered in {@code stateDir} by the file's
   * path, size, mtime and inode, so a rebuild does not read 130 MB again.
   */
  Digest identity(Path stateDir) throws IOException {
    Path modules = home.resolve("lib").resolve("modules");
    String modulesDigest = "none";
    if (Files.isRegularFile(modules)) {
      BasicFileAttributes a =
          Files.readAttributes(modules, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String stamp =
          modules + " " + a.size() + " " + a.lastModifiedTime().toInstant() + " " + a.fileKey();
      Path memo = stateDir.resolve("jdk-" + Digest.sha256(stamp).hex());
      if (Files.isRegularFile(memo) && Files.size(memo) < 200) {
        modulesDigest = Files.readString(memo).strip();
      } else {
        try (InputStream in = Files.newInputStream(modules)) {
          modulesDigest = Digest.sha256(in).hex();
        }
        Files.createDirectories(stateDir);
        Path tmp = Files.createTempFile(stateDir, ".jdk-", ".tmp");
        Files.writeString(tmp, modulesDigest);
        Files.move(tmp, memo, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return Digest.sha256(
        "caulk-jdk-v1\n"
            + home
            + "\n"
            + new String(release, StandardCharsets.UTF_8)
            + "\nmodules "
            + modulesDigest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Jdk j && home.equals(j.home) && Arrays.equals(release, j.release);
  }

  @Override
  public int hashCode() {
    return home.hashCode();
  }

  @Override
  public String toString() {
    return "JDK " + version + " (" + architecture + ") at " + home;
  }
}
