package dev.caulk.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A host process watched through {@code /proc/PID/stat} (proc(5)): the container's init is not a
 * child of this JVM once {@code runc run --detach} returns, and may linger as a zombie until its
 * new parent reaps it, which {@link ProcessHandle#isAlive()} reports as alive. The start time pins
 * the process, so a reused pid does not count as the container.
 */
record ProcStat(long pid, long startTime) {
  /** The process now, or null when it is already gone. */
  static ProcStat of(long pid) throws IOException {
    String[] f = fields(pid);
    return f == null || exited(f) ? null : new ProcStat(pid, Long.parseLong(f[19]));
  }

  /** True while the process runs (not a zombie, same start time). */
  boolean alive() {
    try {
      String[] f = fields(pid);
      return f != null && !exited(f) && Long.parseLong(f[19]) == startTime;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean exited(String[] f) {
    return f[0].equals("Z") || f[0].equals("X") || f[0].equals("x");
  }

  /**
   * The fields after the command name: index 0 is the state (field 3), index 19 the start time
   * (field 22).
   */
  private static String[] fields(long pid) throws IOException {
    String s;
    try {
      s =
          new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
              StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return null;
    }
    int close = s.lastIndexOf(')');
    if (close < 0) throw new IOException("unexpected /proc/" + pid + "/stat format");
    String[] f = s.substring(close + 1).trim().split(" ");
    if (f.length < 20) throw new IOException("unexpected /proc/" + pid + "/stat format");
    return f;
  }
}
