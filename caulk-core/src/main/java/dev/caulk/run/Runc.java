package dev.caulk.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Invokes runc with a private {@code --root} (its state directory) so that nothing of a probe run
 * lands in /run/runc, and a private {@code --log}.
 */
final class Runc {
  static final String NOT_FOUND =
      "runc not found: install the runc package (apt-get install runc) to use --probe";
  private static final List<String> SBIN =
      List.of("/usr/sbin/runc", "/usr/local/sbin/runc", "/sbin/runc", "/usr/bin/runc");
  private static final Pattern LOGFMT_MSG =
      Pattern.compile("level=(?:error|fatal) msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final int MAX_OUTPUT = 16 * 1024;

  /** The result of a short command: exit code and (bounded) combined output. */
  record Result(int exitCode, String output) {}

  private final Path binary;
  private final Path stateRoot;
  private final Path log;
  private final Path scratch;

  /** A runc keeping its state under {@code workDir/state}, logging to {@code workDir/runc.log}. */
  Runc(Path binary, Path workDir) {
    this.binary = binary;
    this.stateRoot = workDir.resolve("state");
    this.log = workDir.resolve("runc.log");
    this.scratch = workDir.resolve("runc.out");
  }

  /**
   * The runc to use: the given path, or {@code runc} on the PATH, or in the sbin folders (root's
   * PATH only has those).
   */
  static Path locate(Path explicit, String pathEnv) throws RunException {
    if (explicit != null) {
      if (Files.isRegularFile(explicit) && Files.isExecutable(explicit)) return explicit;
      throw new RunException(
          "runc not found at "
              + explicit
              + ": install the runc package (apt-get install runc) to use --probe");
    }
    List<Path> candidates = new ArrayList<>();
    if (pathEnv != null) {
      for (String d : pathEnv.split(File.pathSeparator)) {
        if (!d.isEmpty() && d.startsWith("/")) candidates.add(Path.of(d, "runc"));
      }
    }
    for (String s : SBIN) candidates.add(Path.of(s));
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
    }
    throw new RunException(NOT_FOUND);
  }

  Path binary() {
    return binary;
  }

  /** The command line of a runc subcommand with the private state and log. */
  List<String> command(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(binary.toString(), "--root", stateRoot.toString(), "--log", log.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Runs {@code runc run --detach}: the container inherits runc's stdio, so its output goes
   * straight to the two files and runc exits once the process has started.
   */
  int runDetached(List<String> cmd, Path stdout, Path stderr, Duration timeout) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    Process p = pb.start();
    return waitFor(p, timeout, cmd);
  }

  /**
   * Runs a short runc subcommand (kill, delete, state), its output bounded; not thread-safe (one
   * scratch file).
   */
  Result exec(Duration timeout, String... args) throws IOException {
    List<String> cmd = command(args);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.to(scratch.toFile()))
            .start();
    int code = waitFor(p, timeout, cmd);
    return new Result(code, OutputTail.read(scratch, MAX_OUTPUT));
  }

  private static int waitFor(Process p, Duration timeout, List<String> cmd) throws IOException {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new RunException(
            "runc " + sub(cmd) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RunException("interrupted while waiting for runc " + sub(cmd));
    }
  }

  private static String sub(List<String> cmd) {
    return cmd.size() > 5 ? cmd.get(5) : "";
  }

  /**
   * The most useful line of runc's output: the {@code msg} of its last error in logfmt, else the
   * last line.
   */
  static String errorMessage(String output) {
    String msg = null;
    Matcher m = LOGFMT_MSG.matcher(output);
    while (m.find()) msg = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    if (msg == null) {
      String[] lines = output.strip().split("\n");
      msg = lines[lines.length - 1];
    }
    return OutputTail.clean(msg.strip());
  }
}
