package dev.caulk.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves an image config's {@code User} (config.md: {@code user}, {@code uid}, {@code user:group},
 * {@code uid:gid}, {@code uid:group}, {@code user:gid}) to numeric ids through the rootfs's
 * {@code /etc/passwd} and {@code /etc/group}, as Docker does: a numeric uid not in passwd runs
 * with gid 0; a named user gets the supplementary groups that list it as a member; an unknown name
 * is an error rather than a silent root.
 */
final class Users {
  private static final int MAX_FILE = 1 << 20;
  private static final long MAX_ID = 0x7fffffffL;

  /** The resolved user; {@code home} is from passwd, or {@code /}. */
  record ExecUser(int uid, int gid, List<Integer> additionalGids, String home) {}

  private record PasswdEntry(String name, int uid, int gid, String home) {}

  private Users() {}

  static ExecUser resolve(String spec, Path rootfs) throws IOException {
    String s = spec == null ? "" : spec.trim();
    int colon = s.indexOf(':');
    String userPart = colon < 0 ? s : s.substring(0, colon);
    String groupPart = colon < 0 ? null : s.substring(colon + 1);
    if (userPart.isEmpty()) userPart = "0";
    List<PasswdEntry> passwd = passwd(rootfs);
    PasswdEntry entry = null;
    int uid;
    if (isNumber(userPart)) {
      uid = id(userPart, spec);
      for (PasswdEntry e : passwd) {
        if (e.uid == uid) { entry = e; break; }
      }
    } else {
      for (PasswdEntry e : passwd) {
        if (e.name.equals(userPart)) { entry = e; break; }
      }
      if (entry == null) {
        throw new RunException("image User " + quote(spec) + ": user " + quote(userPart) + " not found in the image's /etc/passwd"
            + (passwd.isEmpty() ? " (the image has none)" : ""));
      }
      uid = entry.uid;
    }
    int gid = entry == null ? 0 : entry.gid;
    List<String[]> groups = groups(rootfs);
    if (groupPart != null && !groupPart.isEmpty()) {
      if (isNumber(groupPart)) {
        gid = id(groupPart, spec);
      } else {
        Integer found = null;
        for (String[] g : groups) {
          if (g[0].equals(groupPart) && isNumber(g[2])) { found = id(g[2], spec); break; }
        }
        if (found == null) throw new RunException("image User " + quote(spec) + ": group " + quote(groupPart) + " not found in the image's /etc/group");
        gid = found;
      }
    }
    List<Integer> extra = new ArrayList<>();
    if (entry != null && (groupPart == null || groupPart.isEmpty())) {
      for (String[] g : groups) {
        if (g.length < 4 || !isNumber(g[2])) continue;
        for (String member : g[3].split(",")) {
          if (member.trim().equals(entry.name)) {
            int id = id(g[2], spec);
            if (id != gid && !extra.contains(id)) extra.add(id);
          }
        }
      }
    }
    return new ExecUser(uid, gid, extra, entry == null || entry.home.isEmpty() ? "/" : entry.home);
  }

  private static List<PasswdEntry> passwd(Path rootfs) throws IOException {
    List<PasswdEntry> out = new ArrayList<>();
    for (String[] f : lines(rootfs, "/etc/passwd")) {
      if (f.length < 4 || !isNumber(f[2]) || !isNumber(f[3]) || tooBig(f[2]) || tooBig(f[3])) continue;
      out.add(new PasswdEntry(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f.length > 5 ? f[5] : ""));
    }
    return out;
  }

  private static List<String[]> groups(Path rootfs) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String[] f : lines(rootfs, "/etc/group")) {
      if (f.length >= 3 && !tooBig(f[2])) out.add(f);
    }
    return out;
  }

  /** The colon-separated fields of each line; comments, blank lines and NIS {@code +}/{@code -} lines skipped. */
  private static List<String[]> lines(Path rootfs, String file) throws IOException {
    byte[] b = RootfsPaths.read(rootfs, file, MAX_FILE);
    List<String[]> out = new ArrayList<>();
    if (b == null) return out;
    for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("+") || l.startsWith("-")) continue;
      out.add(l.split(":", -1));
    }
    return out;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean tooBig(String s) {
    return isNumber(s) && (s.length() > 10 || Long.parseLong(s) > MAX_ID);
  }

  private static int id(String s, String spec) throws RunException {
    if (tooBig(s)) throw new RunException("image User " + quote(spec) + ": id " + s + " is out of range");
    return Integer.parseInt(s);
  }

  static String quote(String s) {
    return dev.caulk.tar.TarEntries.quote(s);
  }
}
