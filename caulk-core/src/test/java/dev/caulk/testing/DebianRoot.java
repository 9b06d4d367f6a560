package dev.caulk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Debian root file system for tests and benchmarks: {@code debootstrap --variant=minbase
 * --include=ca-certificates,tzdata bookworm}, from the mirror the machine's own apt sources name.
 *
 * <p>Made once per machine and kept as a tarball ({@link #CACHE}, GNU tar with numeric owners,
 * which is a valid layer) with its SHA-256 beside it, so only the first test run on a fresh machine
 * pays the minute or two of debootstrap; every JVM then unpacks the tarball once into a temporary
 * folder (the {@code find} oracle's root) and shares it between test classes through {@link
 * #get()}. Concurrent JVMs serialise the first build on a lock file. The benchmarks (bench/audit)
 * use the same tarball.
 *
 * <p>Needs {@code debootstrap} and root. Without them the calling test is skipped, except under
 * {@code CI=true}, where it fails, so a CI machine cannot pass by skipping.
 */
public final class DebianRoot {
  /** The cached root tarball. Override with {@code -Dcaulk.test.debian.cache=PATH}. */
  public static final Path CACHE =
      Path.of(
          System.getProperty("caulk.test.debian.cache", "/var/tmp/caulk-test-debian-minbase.tar"));

  /** The Debian release. */
  public static final String SUITE = "bookworm";

  /** Packages added to minbase (the benchmark's recipe: CA bundle and time zones). */
  public static final List<String> INCLUDE = List.of("ca-certificates", "tzdata");

  /** The longest debootstrap may take. */
  static final int DEBOOTSTRAP_TIMEOUT_SECONDS = 900;

  private static DebianRoot shared;
  private static String unavailable;

  private final Path tarball;
  private final String sha256;
  private final Path root;

  private DebianRoot(Path tarball, String sha256, Path root) {
    this.tarball = tarball;
    this.sha256 = sha256;
    this.root = root;
  }

  /** The root tarball (an uncompressed layer). */
  public Path tarball() {
    return tarball;
  }

  /** Lower-case hex SHA-256 of the tarball: its layer digest and diffID. */
  public String sha256() {
    return sha256;
  }

  /** The root unpacked by GNU tar, for {@code find}; read-only by convention. */
  public Path root() {
    return root;
  }

  /**
   * The shared root, or the test is skipped (failed under CI=true) with the reason it cannot be
   * had.
   */
  public static synchronized DebianRoot get() {
    if (shared == null && unavailable == null) {
      try {
        shared = make();
      } catch (IOException e) {
        unavailable = e.getMessage();
      }
    }
    if (shared == null) {
      if ("true".equals(System.getenv("CI")))
        Assertions.fail(unavailable + " (required when CI=true)");
      Assumptions.abort(unavailable);
    }
    return shared;
  }

  private static DebianRoot make() throws IOException {
    Path sum = CACHE.resolveSibling(CACHE.getFileName() + ".sha256");
    Path made = null;
    if (!Files.isRegularFile(CACHE) || !Files.isRegularFile(sum)) {
      Files.createDirectories(CACHE.getParent());
      Path lock = CACHE.resolveSibling(CACHE.getFileName() + ".lock");
      try (FileChannel ch =
              FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        if (!Files.isRegularFile(CACHE) || !Files.isRegularFile(sum)) made = build(sum);
      }
    }
    String hex = Files.readString(sum, StandardCharsets.US_ASCII).strip();
    Path root = made;
    if (root == null) {
      root = Files.createTempDirectory("caulk-debian-root-");
      List<String> cmd =
          new ArrayList<>(
              List.of("tar", "--numeric-owner", "-xpf", CACHE.toString(), "-C", root.toString()));
      if (!isRoot())
        cmd.add("--exclude=./dev/*"); // device nodes need root; find counts no regular files there
      run(cmd, 300, null);
    }
    Path unpacked = made != null ? made.getParent() : root;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Processes.deleteTree(unpacked)));
    return new DebianRoot(CACHE, hex, root);
  }

  /** Runs debootstrap into a fresh folder, packs it into the cache, and returns the folder. */
  private static Path build(Path sum) throws IOException {
    Path debootstrap =
        Processes.which("debootstrap")
            .or(() -> Processes.which("/usr/sbin/debootstrap"))
            .orElseThrow(
                () ->
                    new IOException("debootstrap is not installed (apt-get install debootstrap)"));
    if (!isRoot()) throw new IOException("debootstrap needs root to build " + CACHE);
    String mirror = mirror();
    Path dir = Files.createTempDirectory(CACHE.getParent(), "caulk-debootstrap-");
    Path rootDir = dir.resolve("root");
    Path log = dir.resolve("debootstrap.log");
    run(
        List.of(
            debootstrap.toString(),
            "--variant=minbase",
            "--include=" + String.join(",", INCLUDE),
            SUITE,
            rootDir.toString(),
            mirror),
        DEBOOTSTRAP_TIMEOUT_SECONDS,
        log);
    Path tmpTar = CACHE.resolveSibling(CACHE.getFileName() + ".tmp");
    run(
        List.of("tar", "--numeric-owner", "-C", rootDir.toString(), "-cf", tmpTar.toString(), "."),
        300,
        null);
    Files.writeString(sum, sha256(tmpTar) + "\n", StandardCharsets.US_ASCII);
    Files.move(tmpTar, CACHE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.deleteIfExists(log);
    return rootDir;
  }

  /**
   * The Debian mirror the machine's apt sources name: the first {@code URIs:} of a deb822 file in
   * {@code /etc/apt/sources.list.d/*.sources}, or the first {@code deb} line of {@code
   * /etc/apt/sources.list} and {@code *.list}, that is not a security or backports archive; {@code
   * http://deb.debian.org/debian} otherwise.
   */
  public static String mirror() throws IOException {
    List<Path> files = new ArrayList<>();
    Path d = Path.of("/etc/apt/sources.list.d");
    if (Files.isDirectory(d)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
        for (Path p : ds) files.add(p);
      }
    }
    files.sort(null);
    files.add(0, Path.of("/etc/apt/sources.list"));
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (!Files.isRegularFile(f) || !(name.endsWith(".sources") || name.endsWith(".list")))
        continue;
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        String l = line.strip();
        String uri = null;
        if (name.endsWith(".sources") && l.startsWith("URIs:")) {
          uri = l.substring(5).strip().split("\\s+")[0];
        } else if (name.endsWith(".list") && l.startsWith("deb ")) {
          for (String w : l.substring(4).strip().split("\\s+")) {
            if (w.startsWith("http://") || w.startsWith("https://")) {
              uri = w;
              break;
            }
          }
        }
        if (uri != null
            && (uri.startsWith("http://") || uri.startsWith("https://"))
            && uri.contains("debian")
            && !uri.contains("security")
            && !uri.contains("backports")) {
          return uri;
        }
      }
    }
    return "http://deb.debian.org/debian";
  }

  static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      p.waitFor(10, TimeUnit.SECONDS);
      return out.equals("0");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * Runs a command with a deadline; output goes to {@code log} (kept for the error message) or is
   * discarded.
   */
  private static void run(List<String> cmd, int timeoutSeconds, Path log) throws IOException {
    Path out = log != null ? log : Files.createTempFile("caulk-debian-", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      try {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(cmd.get(0) + " did not finish in " + timeoutSeconds + " s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException(cmd.get(0) + ": interrupted", e);
      }
      if (p.exitValue() != 0) {
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        String tail =
            String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        throw new IOException(
            String.join(" ", cmd.subList(0, Math.min(3, cmd.size())))
                + "…: exit code "
                + p.exitValue()
                + ": "
                + tail);
      }
    } finally {
      if (log == null) Files.deleteIfExists(out);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
