package dev.caulk.elf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the host tools used as oracles (readelf, ldd, cc) and parses their output. */
final class Tools {
  private Tools() {}

  /** The result of a command. */
  record Result(int exit, String out) {}

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static void assumeTools(String... tools) {
    for (String tool : tools) {
      assumeTrue(onPath(tool), tool + " not installed");
    }
  }

  static Result run(List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("LC_ALL", "C");
      pb.environment().remove("LD_LIBRARY_PATH");
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timeout: " + command);
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String ok(String... command) {
    Result r = run(List.of(command));
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + r.out());
    }
    return r.out();
  }

  /**
   * Compiles with cc; returns false (for Assumptions) if the compiler fails, e.g. no static libc.
   */
  static boolean cc(String... args) {
    List<String> cmd = new ArrayList<>(List.of("cc"));
    cmd.addAll(List.of(args));
    return run(cmd).exit() == 0;
  }

  /** Compiles with cc, failing with the compiler's output if it does not succeed. */
  static void ccOrFail(String... args) {
    List<String> cmd = new ArrayList<>(List.of("cc"));
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.out());
    }
  }

  /** {@code readelf -d}: tag name → values in order, for NEEDED, RPATH, RUNPATH, SONAME. */
  static Map<String, List<String>> readelfDynamic(Path file) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("\\((NEEDED|RPATH|RUNPATH|SONAME)\\)\\s+[^\\[]*\\[(.*)]")
            .matcher(ok("readelf", "-dW", file.toString()));
    while (m.find()) {
      out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
    }
    return out;
  }

  /** The interpreter from {@code readelf -l}, or null. */
  static String readelfInterpreter(Path file) {
    Matcher m =
        Pattern.compile("\\[Requesting program interpreter: (.*)]")
            .matcher(ok("readelf", "-lW", file.toString()));
    return m.find() ? m.group(1) : null;
  }

  /**
   * {@code ldd}: DT_NEEDED-style name → path ("not found" kept), plus the interpreter under key "".
   */
  static Map<String, String> ldd(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : ok("ldd", file.toString()).split("\n")) {
      line = line.strip();
      Matcher arrow = Pattern.compile("^(\\S+) => (.*?)(?: \\(0x[0-9a-f]+\\))?$").matcher(line);
      Matcher bare = Pattern.compile("^(/\\S+) \\(0x[0-9a-f]+\\)$").matcher(line);
      if (arrow.matches()) {
        out.put(arrow.group(1), arrow.group(2));
      } else if (bare.matches()) {
        out.put("", bare.group(1));
      }
    }
    return out;
  }
}
