package dev.caulk.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Debian root filesystem for oracle tests: {@code debootstrap --variant=minbase bookworm}, made once
 * and cached under {@code /var/tmp/caulk-test-debian-bookworm} (override with {@code CAULK_TEST_DEBIAN_CACHE}),
 * guarded by a file lock so parallel test JVMs build it once. {@link #layerTar()} is the same root as one
 * uncompressed layer tar ({@code tar --numeric-owner}), so tests can make an image of it.
 *
 * <p>Needs root and debootstrap (Debian's {@code debootstrap} package) and a reachable mirror, taken from
 * {@code /etc/apt/sources.list.d/*.sources} ({@code URIs:}) or {@code /etc/apt/sources.list} ({@code deb URL
 * SUITE …}), else {@code http://deb.debian.org/debian}. Without debootstrap or root the calling test is skipped,
 * except under CI ({@code CI=true}), where that is a failure.
 */
public final class DebianRoot {
  /** The release bootstrapped. */
  public static final String SUITE = "bookworm";
  private static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
  private static final Pattern CLASSIC = Pattern.compile("^\\s*deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+(\\S+)\\s.*$");

  private DebianRoot() {}

  /** The cache directory. */
  public static Path cache() {
    String env = System.getenv("CAULK_TEST_DEBIAN_CACHE");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("/var/tmp", "caulk-test-debian-" + SUITE);
  }

  /** The root directory, bootstrapped on first use; skips the test when that is impossible outside CI. */
  public static Path root() throws IOException {
    ensure(false);
    return cache().resolve("root");
  }

  /** The root as one uncompressed layer tar, made on first use. */
  public static Path layerTar() throws IOException {
    ensure(true);
    return cache().resolve("layer.tar");
  }

  private static synchronized void ensure(boolean tar) throws IOException {
    Path cache = cache();
    Path root = cache.resolve("root");
    Path done = cache.resolve("root.complete");
    Path layer = cache.resolve("layer.tar");
    Path layerDone = cache.resolve("layer.complete");
    if (Files.exists(done) && (!tar || Files.exists(layerDone))) return;
    Path debootstrap = Processes.which("debootstrap").or(() -> Processes.which("/usr/sbin/debootstrap")).orElse(null);
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (debootstrap == null || !"root".equals(System.getProperty("user.name"))) {
      String why = debootstrap == null ? "debootstrap is not installed (apt-get install debootstrap)" : "debootstrap needs root";
      if (ci) throw new IllegalStateException(why);
      Assumptions.abort(why);
    }
    Files.createDirectories(cache);
    try (FileChannel ch = FileChannel.open(cache.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = ch.lock()) {
      if (!Files.exists(done)) {
        run(List.of("rm", "-rf", root.toString()), 120);
        String mirror = mirror();
        run(List.of(debootstrap.toString(), "--variant=minbase", SUITE, root.toString(), mirror), 1200);
        Files.writeString(done, mirror + "\n");
      }
      if (tar && !Files.exists(layerDone)) {
        Files.deleteIfExists(layer);
        run(List.of("tar", "--numeric-owner", "--xattrs", "-C", root.toString(), "-cf", layer.toString(), "."), 600);
        Files.writeString(layerDone, "ok\n");
      }
    }
  }

  /** The Debian mirror this machine's apt uses. */
  static String mirror() throws IOException {
    List<Path> sources = new ArrayList<>();
    Path dir = Path.of("/etc/apt/sources.list.d");
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".sources") || p.toString().endsWith(".list")).sorted().forEach(sources::add);
      }
    }
    sources.add(Path.of("/etc/apt/sources.list"));
    for (Path p : sources) {
      if (!Files.isRegularFile(p)) continue;
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (l.startsWith("URIs:")) {
          for (String uri : l.substring(5).strip().split("\\s+")) {
            if (uri.startsWith("http") && !uri.contains("security")) return uri;
          }
        }
        Matcher m = CLASSIC.matcher(l);
        if (m.matches() && m.group(1).startsWith("http") && !m.group(1).contains("security")) return m.group(1);
      }
    }
    return DEFAULT_MIRROR;
  }

  private static void run(List<String> cmd, int timeoutSeconds) throws IOException {
    Path log = Files.createTempFile("caulk-debootstrap", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(cmd.get(0) + ": timed out after " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + "\n"
            + out.substring(Math.max(0, out.length() - 4000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
