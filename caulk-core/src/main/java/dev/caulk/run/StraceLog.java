package dev.caulk.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the per-thread files of {@code strace -ff -ttt -z -e trace=%file,chdir,fchdir}: lines like
 * {@code 1700000000.123456 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3}. Only
 * calls after the first successful {@code execve} count (before it, runc's init is still setting
 * up). Paths are the first string argument; a relative one is taken from the thread's working
 * directory when the call is relative to {@code AT_FDCWD}, and dropped when relative to another
 * descriptor. Bounded: at most {@value #MAX_BYTES} bytes read and {@value #MAX_PATHS} paths kept.
 */
final class StraceLog {
  static final long MAX_BYTES = 512L << 20;
  static final int MAX_PATHS = 200_000;
  private static final Pattern CALL =
      Pattern.compile("^(\\d+\\.\\d+) ([a-z0-9_]+)\\((.*)\\) += (-?\\d+|0x[0-9a-f]+)(?: .*)?$");
  private static final List<String> RUNTIME = List.of("/proc", "/sys", "/dev");

  private record Line(double time, String call, String args, String file) {}

  private StraceLog() {}

  static List<String> paths(Path dir, String prefix, String workDir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + ".*")) {
      for (Path p : ds) files.add(p);
    }
    files.sort(null);
    Map<Path, List<Line>> byFile = new HashMap<>();
    double exec = Double.MAX_VALUE;
    long budget = MAX_BYTES;
    for (Path f : files) {
      List<Line> lines = new ArrayList<>();
      try (InputStream in = Files.newInputStream(f);
          BufferedReader r =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          budget -= l.length() + 1;
          if (budget < 0)
            throw new RunException(
                "the strace output is larger than " + (MAX_BYTES >> 20) + " MiB");
          Matcher m = CALL.matcher(l);
          if (!m.matches()) continue;
          Line line =
              new Line(
                  Double.parseDouble(m.group(1)),
                  m.group(2),
                  m.group(3),
                  f.getFileName().toString());
          if (line.call().equals("execve") && line.time() < exec) exec = line.time();
          lines.add(line);
        }
      }
      byFile.put(f, lines);
    }
    TreeSet<String> out = new TreeSet<>();
    for (Path f : files) {
      String cwd = workDir;
      for (Line l : byFile.get(f)) {
        if (l.time() < exec) continue;
        List<String> strings = strings(l.args());
        boolean dirfdFirst =
            l.call().endsWith("at")
                || l.call().endsWith("at2")
                || l.call().equals("statx")
                || l.call().equals("execveat");
        if (l.call().equals("fchdir")) {
          cwd = null;
          continue;
        }
        if (strings.isEmpty()) continue;
        String p = strings.get(0);
        if (p.isEmpty()) continue;
        if (!p.startsWith("/")) {
          boolean fromCwd = !dirfdFirst || l.args().startsWith("AT_FDCWD");
          if (!fromCwd || cwd == null) continue;
          p = cwd + "/" + p;
        }
        p = normalize(p);
        if (l.call().equals("chdir")) cwd = p;
        if (runtime(p)) continue;
        out.add(p);
        if (out.size() > MAX_PATHS)
          throw new RunException("the traced program used more than " + MAX_PATHS + " paths");
      }
    }
    return new ArrayList<>(out);
  }

  private static boolean runtime(String p) {
    for (String r : RUNTIME) {
      if (p.equals(r) || p.startsWith(r + "/")) return true;
    }
    return false;
  }

  /**
   * The C string literals of an argument list, unescaped (strace prints {@code \"}, {@code \\},
   * {@code \n}, {@code \xNN}, octal).
   */
  static List<String> strings(String args) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < args.length()) {
      char c = args.charAt(i);
      if (c != '"') {
        i++;
        continue;
      }
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      i++;
      while (i < args.length() && args.charAt(i) != '"') {
        char d = args.charAt(i);
        if (d == '\\' && i + 1 < args.length()) {
          char e = args.charAt(++i);
          switch (e) {
            case 'n' -> bytes.write('\n');
            case 't' -> bytes.write('\t');
            case 'r' -> bytes.write('\r');
            case 'v' -> bytes.write(0x0b);
            case 'f' -> bytes.write('\f');
            case 'x' -> {
              int end = Math.min(args.length(), i + 3);
              bytes.write(Integer.parseInt(args.substring(i + 1, end), 16));
              i = end - 1;
            }
            default -> {
              if (e >= '0' && e <= '7') {
                int end = i;
                while (end < args.length()
                    && end < i + 3
                    && args.charAt(end) >= '0'
                    && args.charAt(end) <= '7') end++;
                bytes.write(Integer.parseInt(args.substring(i, end), 8));
                i = end - 1;
              } else {
                bytes.write(e);
              }
            }
          }
        } else {
          byte[] u = String.valueOf(d).getBytes(StandardCharsets.UTF_8);
          bytes.write(u, 0, u.length);
        }
        i++;
      }
      out.add(bytes.toString(StandardCharsets.UTF_8));
      i++;
      if (args.startsWith("...", i)) i += 3;
    }
    return out;
  }

  /**
   * Lexical normalisation: {@code //}, {@code .} and {@code ..} (the slim side follows symlinks
   * itself).
   */
  static String normalize(String p) {
    Deque<String> parts = new ArrayDeque<>();
    for (String c : p.split("/")) {
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) parts.pollLast();
      else parts.addLast(c);
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }
}
