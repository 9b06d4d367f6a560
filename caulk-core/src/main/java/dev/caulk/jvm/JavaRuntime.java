package dev.caulk.jvm;

import dev.caulk.digest.Digest;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A minimal Java runtime made by {@code jlink} from a {@link Jdk}, holding exactly the given
 * modules, kept in a cache keyed by what determines it (the JDK's identity, the module set, the
 * flags, the CDS choice): a second build with the same inputs finds the same directory and runs no
 * tool, so its files (the CDS archive too, which JDK 17 does not write byte for byte the same
 * twice) are the same bytes.
 */
public final class JavaRuntime {
  /**
   * The flags given to jlink besides the modules. {@code --compress=1} (shared strings, no zip) was
   * measured smallest once the layer is gzipped: for java.base, jdk.httpserver, java.net.http and
   * jdk.crypto.ec from JDK 17, the gzipped {@code lib/modules} is 6.7 MB with 1, 7.2 MB with 0 and
   * 10.0 MB with 2 (zip inside zip does not compress again).
   */
  public static final List<String> JLINK_FLAGS =
      List.of("--strip-debug", "--no-header-files", "--no-man-pages", "--compress=1");

  /** How long jlink may run. */
  public static final Duration TIMEOUT = Duration.ofMinutes(10);

  /** Bumped whenever what this class writes for the same inputs changes. */
  private static final String VERSION = "caulk-jlink-v1";

  private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

  /**
   * A runtime directory.
   *
   * @param dir its root (holds {@code bin/java}, {@code lib/modules}...)
   * @param modules the modules it was linked with
   * @param cds whether it has the default CDS archive ({@code lib/server/classes.jsa})
   * @param reused whether it came from the cache
   */
  public record Made(Path dir, SortedSet<String> modules, boolean cds, boolean reused) {}

  private JavaRuntime() {}

  /**
   * The runtime for these modules, from the cache under {@code cacheDir} or made now.
   *
   * @param cds whether to add the default CDS archive ({@code --generate-cds-archive})
   */
  public static Made make(Jdk jdk, SortedSet<String> modules, boolean cds, Path cacheDir)
      throws IOException {
    for (String m : modules) {
      if (!Jdeps.isModuleName(m)) {
        throw new JvmException("'" + m + "' is not a module name");
      }
    }
    Path root = cacheDir.resolve("jvm");
    Digest key =
        Digest.sha256(
            VERSION
                + "\n"
                + jdk.identity(root.resolve("state"))
                + "\n"
                + String.join(",", modules)
                + "\n"
                + String.join(" ", JLINK_FLAGS)
                + "\ncds="
                + cds);
    Path runtimes = root.resolve("runtimes");
    Path dir = runtimes.resolve(key.hex());
    synchronized (LOCKS.computeIfAbsent(key.hex(), k -> new Object())) {
      if (Files.isRegularFile(dir.resolve("release"))) {
        return new Made(dir, modules, cds, true);
      }
      Files.createDirectories(runtimes);
      Path tmp = Files.createTempDirectory(runtimes, ".jlink-");
      try {
        Path out = tmp.resolve("runtime");
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.tool("jlink").toString());
        cmd.addAll(JLINK_FLAGS);
        if (cds) {
          cmd.add("--generate-cds-archive");
        }
        cmd.add("--add-modules");
        cmd.add(String.join(",", modules));
        cmd.add("--output");
        cmd.add(out.toString());
        Tool.run("jlink", cmd, tmp, TIMEOUT);
        if (!Files.isRegularFile(out.resolve("bin").resolve("java"))) {
          throw new JvmException("jlink made no bin/java in " + out);
        }
        try {
          Files.move(out, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(out, dir);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
          // another caulk made it first: the same inputs, use that one
        }
      } finally {
        deleteTree(tmp);
      }
      return new Made(dir, modules, cds, false);
    }
  }

  /** The regular files and symlinks of a runtime, relative, sorted. */
  public static List<String> files(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
          out.add(dir.relativize(p).toString());
        }
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
