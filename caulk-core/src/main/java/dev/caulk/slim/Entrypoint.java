package dev.caulk.slim;

import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.spec.ContainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a container started from the image executes: {@code Entrypoint + Cmd} (config.md), its first
 * word looked up as runc does it (a name without a slash through the image's {@code PATH}, a
 * relative path from {@code WorkingDir}), so a plan keeps the file the runtime will really exec.
 *
 * @param argv the full command line
 * @param program the absolute path of the program, as found (symlinks not resolved)
 * @param alsoRuns programs a shell entrypoint runs ({@code sh -c "exec app …"}: {@code app}), best
 *     effort
 */
record Entrypoint(List<String> argv, String program, List<String> alsoRuns) {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern ASSIGNMENT =
      com.google.re2j.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern PROGRAM_WORD =
      com.google.re2j.Pattern.compile("[A-Za-z0-9_./+-]+");

  /** The PATH runc and Docker use when the image sets none. */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * Resolves the entrypoint of a run config inside a tree.
   *
   * @throws EntrypointException when the config runs nothing or the program is not in the image
   */
  static Entrypoint of(ContainerConfig rc, FileTree tree) throws EntrypointException {
    List<String> argv = new ArrayList<>();
    if (rc.entrypoint() != null) argv.addAll(rc.entrypoint());
    if (rc.cmd() != null) argv.addAll(rc.cmd());
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new EntrypointException(
          "the image has no entrypoint and no cmd: nothing to keep files for");
    }
    String name = argv.get(0);
    String path = pathOf(rc);
    Optional<String> found = find(tree, name, path, rc.workingDir());
    if (found.isEmpty()) {
      throw new EntrypointException(
          name.contains("/")
              ? "entrypoint " + quote(name) + " is not an executable file in the image"
              : "entrypoint " + quote(name) + " not found in the image's PATH (" + path + ")");
    }
    List<String> also = new ArrayList<>();
    if (argv.size() > 2 && Names.isShell(baseName(name)) && argv.get(1).equals("-c")) {
      String first = firstCommand(argv.get(2));
      if (first != null) find(tree, first, path, rc.workingDir()).ifPresent(also::add);
    }
    return new Entrypoint(List.copyOf(argv), found.get(), List.copyOf(also));
  }

  /** The image's PATH, or the default. */
  static String pathOf(ContainerConfig rc) {
    String p = rc.envValue("PATH");
    return p == null || p.isEmpty() ? DEFAULT_PATH : p;
  }

  /**
   * Finds a program as {@code execvp} would: a name with a slash is a path (relative to the working
   * directory), a bare name is searched in each PATH folder; the file must be a regular file with
   * an execute bit once symlinks are followed.
   */
  static Optional<String> find(FileTree tree, String name, String pathEnv, String workDir) {
    if (name.indexOf('\0') >= 0) return Optional.empty();
    if (name.contains("/")) {
      String abs =
          name.startsWith("/")
              ? name
              : ImagePaths.join(workDir == null || workDir.isEmpty() ? "/" : workDir, name);
      String p = ImagePaths.normalize(abs);
      return executable(tree, p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : pathEnv.split(":")) {
      if (dir.isEmpty() || !dir.startsWith("/")) continue;
      String p = ImagePaths.normalize(ImagePaths.join(dir, name));
      if (executable(tree, p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  private static boolean executable(FileTree tree, String path) {
    Optional<Node> n = tree.resolve(path);
    return n.isPresent() && n.get().isRegular() && (n.get().mode() & 0111) != 0;
  }

  /**
   * The first word of a shell command, skipping {@code exec} and variable assignments; null when
   * unclear.
   */
  static String firstCommand(String script) {
    for (String w : script.trim().split("[\\s;&|]+")) {
      if (w.isEmpty() || w.equals("exec") || ASSIGNMENT.matches(w)) continue;
      return PROGRAM_WORD.matches(w) ? w : null;
    }
    return null;
  }

  static String baseName(String path) {
    List<String> c = ImagePaths.components(path);
    return c.isEmpty() ? "" : c.get(c.size() - 1);
  }

  static String quote(String s) {
    String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    return "'" + t.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
