package dev.caulk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the small helper programs the harness needs (openssl, htpasswd) with a deadline, and finds
 * programs on the PATH. Package-private: tests use {@link TestRegistry}, not this.
 */
final class Processes {
  private static final int MAX_OUTPUT = 64 * 1024;

  private Processes() {}

  /**
   * Runs {@code command} in {@code dir}, feeding {@code stdin} (may be null), and fails with an
   * IOException naming the program if it exits non-zero or runs past {@code timeoutSeconds}.
   */
  static String run(List<String> command, Path dir, byte[] stdin, int timeoutSeconds)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    scrubEnvironment(pb.environment());
    Process p = pb.start();
    try {
      try (var out = p.getOutputStream()) {
        if (stdin != null) {
          out.write(stdin);
        }
      }
      String output = readCapped(p.getInputStream());
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + ": timed out after " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            command.get(0)
                + " "
                + command.get(1)
                + ": exit code "
                + p.exitValue()
                + ": "
                + output.strip());
      }
      return output;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(command.get(0) + ": interrupted", e);
    }
  }

  /**
   * Removes variables that would silently reconfigure the registry or openssl behind the harness's
   * back.
   */
  static void scrubEnvironment(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("REGISTRY_") || k.equals("OPENSSL_CONF"));
  }

  /** Finds an executable by name on the PATH (or takes an absolute path as is). */
  static Optional<Path> which(String name) {
    Path direct = Path.of(name);
    if (direct.isAbsolute()) {
      return Files.isExecutable(direct) ? Optional.of(direct) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String readCapped(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk)) != -1) {
      if (buf.size() < MAX_OUTPUT) {
        buf.write(chunk, 0, Math.min(n, MAX_OUTPUT - buf.size()));
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Deletes a directory tree, best effort: a leftover temp file must never fail a test. */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort
                }
              });
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // best effort
    }
  }
}
