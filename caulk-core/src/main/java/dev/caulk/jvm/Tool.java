package dev.caulk.jvm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs a JDK tool ({@code jdeps}, {@code jlink}, {@code java}) as a subprocess with a time limit:
 * its output goes to files in a work directory (so neither pipe can fill and block it), at most
 * {@link #MAX_OUTPUT} bytes of each are read back, and a failure is one line naming the tool.
 */
final class Tool {
  /** Bytes of stdout or stderr read back from a tool. */
  static final int MAX_OUTPUT = 1 << 20;

  /** What a tool printed. */
  record Output(String stdout, String stderr) {}

  private Tool() {}

  /**
   * Runs {@code command} in {@code workDir}.
   *
   * @param what the tool's name in messages, e.g. {@code jdeps}
   * @throws JvmException when it cannot start, exits non-zero or runs past {@code timeout}
   */
  static Output run(String what, List<String> command, Path workDir, Duration timeout)
      throws IOException {
    Files.createDirectories(workDir);
    Path out = Files.createTempFile(workDir, what + "-", ".out");
    Path err = Files.createTempFile(workDir, what + "-", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      pb.environment().remove("JDK_JAVA_OPTIONS");
      pb.environment().remove("_JAVA_OPTIONS");
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new JvmException(what + ": cannot run " + command.get(0) + ": " + e.getMessage());
      }
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new JvmException(what + ": interrupted");
      }
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new JvmException(
            what + " did not finish within " + timeout.toSeconds() + " s: " + command.get(0));
      }
      Output o = new Output(read(out), read(err));
      if (p.exitValue() != 0) {
        throw new JvmException(
            what + " failed (exit " + p.exitValue() + "): " + firstLine(o.stderr(), o.stdout()));
      }
      return o;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static File nullDevice() {
    return new File("/dev/null");
  }

  private static String read(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
    }
  }

  /**
   * The first line that says something: error lines first, warnings skipped when there is more, cut
   * at 300 characters, control characters replaced.
   */
  static String firstLine(String... texts) {
    String fallback = null;
    for (String t : texts) {
      for (String line : t.split("\n", -1)) {
        String l = line.strip();
        if (l.isEmpty()) {
          continue;
        }
        if (l.toLowerCase(Locale.ROOT).startsWith("warning")) {
          if (fallback == null) {
            fallback = l;
          }
          continue;
        }
        return clean(l);
      }
    }
    return fallback == null ? "no output" : clean(fallback);
  }

  private static String clean(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 300; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
