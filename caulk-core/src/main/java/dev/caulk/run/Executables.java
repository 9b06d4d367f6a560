package dev.caulk.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Refuses an entrypoint that is not an executable regular file in the unpacked rootfs, before runc
 * is started: found as runc finds it (a name with a slash from the working directory, a bare name
 * through the process's {@code PATH}, the first regular file with an execute bit), every link
 * resolved inside the rootfs ({@link RootfsPaths}).
 */
final class Executables {
  private static final Set<PosixFilePermission> EXECUTE =
      Set.of(
          PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE);

  private Executables() {}

  /**
   * Checks {@code program} (the first argument) in {@code rootfs}.
   *
   * @throws RunException naming the program and why, in one line
   */
  static void check(Path rootfs, String program, String pathEnv, String cwd) throws IOException {
    if (program.isEmpty()) throw refused(program, "it is empty");
    if (program.indexOf('/') >= 0) {
      String abs =
          program.startsWith("/") ? program : (cwd.endsWith("/") ? cwd : cwd + "/") + program;
      String why = problem(rootfs, abs);
      if (why != null) throw refused(program, why);
      return;
    }
    String path = pathEnv == null ? "" : pathEnv;
    for (String dir : path.split(":", -1)) {
      String d = dir.isEmpty() ? "." : dir;
      String abs =
          d.startsWith("/")
              ? d + "/" + program
              : (cwd.endsWith("/") ? cwd : cwd + "/") + d + "/" + program;
      if (problem(rootfs, abs) == null) return;
    }
    throw refused(program, "no executable file of that name in the PATH " + Users.quote(path));
  }

  /** Null when {@code containerPath} is an executable regular file, else what it is. */
  private static String problem(Path rootfs, String containerPath) throws IOException {
    Path p = RootfsPaths.resolve(rootfs, containerPath);
    if (p == null) return "no such file";
    PosixFileAttributes a =
        Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isDirectory()) return "a directory";
    if (!a.isRegularFile()) return "not a regular file";
    if (a.permissions().stream().noneMatch(EXECUTE::contains)) {
      return "mode " + octal(a.permissions()) + ", no execute bit";
    }
    return null;
  }

  private static RunException refused(String program, String why) {
    return new RunException(
        "the image's entrypoint "
            + Users.quote(program)
            + " is not an executable file in the image: "
            + why
            + "; nothing was run");
  }

  /** Octal text of permission bits. */
  private static String octal(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= 1 << (8 - p.ordinal());
    }
    return String.format("%04o", m);
  }
}
