package dev.caulk.jvm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The JDK modules an app needs, as {@code jdeps --print-module-deps} finds them in the app and the
 * dependencies it reaches: {@code --ignore-missing-deps} (a dependency's optional dependencies are
 * not errors), {@code --multi-release} set to the JDK's feature release (versioned classes of
 * multi-release jars count as the runtime will load them).
 */
public final class Jdeps {
  /** How long jdeps may run. */
  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  private Jdeps() {}

  /**
   * @param app the app: its jar, or a folder of its classes
   * @param classpath its dependencies (jars or folders): on {@code --class-path}, which jdeps
   *     follows from the app; as targets, a modular jar whose own requirements are absent would
   *     fail the run ({@code FindException}) even with {@code --ignore-missing-deps}
   * @param workDir where jdeps runs and writes its output
   */
  public static SortedSet<String> modules(Jdk jdk, Path app, List<Path> classpath, Path workDir)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(jdk.tool("jdeps").toString());
    cmd.add("--ignore-missing-deps");
    cmd.add("--print-module-deps");
    cmd.add("--multi-release");
    cmd.add(Integer.toString(jdk.feature()));
    if (!classpath.isEmpty()) {
      List<String> cp = new ArrayList<>();
      for (Path p : classpath) {
        cp.add(p.toAbsolutePath().toString());
      }
      cmd.add("--class-path");
      cmd.add(String.join(":", cp));
    }
    cmd.add(app.toAbsolutePath().toString());
    Tool.Output out = Tool.run("jdeps", cmd, workDir, TIMEOUT);
    return parse(out.stdout());
  }

  /** The last non-empty line, a comma-separated list of module names. */
  static SortedSet<String> parse(String stdout) throws JvmException {
    String last = "";
    for (String line : stdout.split("\n")) {
      if (!line.isBlank()) {
        last = line.strip();
      }
    }
    SortedSet<String> out = new TreeSet<>();
    for (String m : last.split(",")) {
      String name = m.strip();
      if (!isModuleName(name)) {
        throw new JvmException("jdeps printed no module list: " + Tool.firstLine(stdout));
      }
      out.add(name);
    }
    return out;
  }

  /** A dotted Java identifier, as module names are. */
  public static boolean isModuleName(String s) {
    if (s.isEmpty() || s.length() > 200 || s.startsWith(".") || s.endsWith(".")) {
      return false;
    }
    boolean start = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (start) {
          return false;
        }
        start = true;
        continue;
      }
      if (start ? !Character.isJavaIdentifierStart(c) : !Character.isJavaIdentifierPart(c)) {
        return false;
      }
      start = false;
    }
    return true;
  }
}
