package dev.caulk.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * caulk in a child JVM, as a user's shell runs it: stdin closed, stdout and stderr captured, no
 * password or terminal hint inherited from the test JVM (the caller gives its own), at most 180 s.
 */
final class ChildCaulk {
  /** The variables a child never inherits from the test JVM. */
  private static final List<String> NOT_INHERITED =
      List.of("CAULK_PASSWORD", "COSIGN_PASSWORD", "CAULK_STDERR_TTY", "CAULK_STDOUT_TTY");

  /** The JVM flags of a child unless told otherwise: a quick start for short commands. */
  static final List<String> QUICK = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private ChildCaulk() {}

  /** Runs caulk with {@code args} on a {@link #QUICK} JVM, under no wrapper. */
  static Cli.Run run(Path dir, Map<String, String> env, String... args) throws Exception {
    return run(dir, List.of(), QUICK, env, args);
  }

  /**
   * Runs caulk with {@code args}.
   *
   * @param dir the working folder; the captured output is kept there
   * @param wrapper a command the JVM runs under (e.g. {@code unshare ...}), or empty
   * @param jvmFlags the JVM's flags
   * @param env set on top of the test JVM's environment without the variables above
   */
  static Cli.Run run(
      Path dir,
      List<String> wrapper,
      List<String> jvmFlags,
      Map<String, String> env,
      String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().keySet().removeAll(NOT_INHERITED);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("caulk " + String.join(" ", args) + " did not finish in 180 s");
    }
    return new Cli.Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
