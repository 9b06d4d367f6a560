package dev.caulk.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts of an image, from its final {@code /etc/passwd}, {@code /etc/group} and {@code /etc/shadow}
 * (passwd(5), group(5), shadow(5)). Malformed lines are skipped, never fatal: the files are untrusted input,
 * and a line with too few fields is what crashes Dockle's duplicate-uid check.
 *
 * @param users passwd entries in file order
 * @param groups group entries in file order
 * @param shadow shadow entries in file order
 * @param passwdPresent whether the image has an {@code /etc/passwd}
 * @param groupPresent whether it has an {@code /etc/group}
 * @param shadowPresent whether it has an {@code /etc/shadow} (or BSD {@code /etc/master.passwd})
 */
public record Accounts(List<User> users, List<Group> groups, List<Shadow> shadow, boolean passwdPresent,
    boolean groupPresent, boolean shadowPresent) {

  /** Shells that mean "no login" (the account exists for file ownership or a daemon). */
  static final Set<String> NO_LOGIN = Set.of("/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false",
      "/bin/sync", "/usr/bin/sync", "/bin/true", "/usr/bin/true", "");

  /** A passwd line: {@code name:password:uid:gid:gecos:home:shell}. */
  public record User(String name, String password, long uid, long gid, String home, String shell) {
    /** Whether the shell lets someone log in (not nologin, false or empty). */
    public boolean loginShell() {
      return !NO_LOGIN.contains(shell);
    }
  }

  /** A group line: {@code name:password:gid:member,member}. */
  public record Group(String name, long gid, List<String> members) {
    /** Copies the members. */
    public Group {
      members = List.copyOf(members);
    }
  }

  /** A shadow line: {@code name:hash:…}; an empty hash means no password at all. */
  public record Shadow(String name, String hash) {
    /** True when the hash field is empty: the account needs no password. */
    public boolean emptyPassword() {
      return hash.isEmpty();
    }

    /** True for {@code !}, {@code *}, {@code !!} and any hash starting with {@code !} (locked). */
    public boolean locked() {
      return hash.startsWith("!") || hash.startsWith("*");
    }
  }

  /** Copies the lists. */
  public Accounts {
    users = List.copyOf(users);
    groups = List.copyOf(groups);
    shadow = List.copyOf(shadow);
  }

  /** No accounts files at all (scratch and distroless-static images). */
  public static Accounts none() {
    return new Accounts(List.of(), List.of(), List.of(), false, false, false);
  }

  /**
   * Parses the three files; a null argument means the file is absent.
   */
  public static Accounts parse(byte[] passwd, byte[] group, byte[] shadow) {
    List<User> users = new ArrayList<>();
    for (String[] f : fields(passwd)) {
      if (f.length < 7) continue;
      Long uid = number(f[2]);
      Long gid = number(f[3]);
      if (uid == null || gid == null) continue;
      users.add(new User(f[0], f[1], uid, gid, f[5], f[6]));
    }
    List<Group> groups = new ArrayList<>();
    for (String[] f : fields(group)) {
      if (f.length < 3) continue;
      Long gid = number(f[2]);
      if (gid == null) continue;
      List<String> members = new ArrayList<>();
      if (f.length > 3) {
        for (String m : f[3].split(",")) {
          if (!m.isBlank()) members.add(m.strip());
        }
      }
      groups.add(new Group(f[0], gid, members));
    }
    List<Shadow> entries = new ArrayList<>();
    for (String[] f : fields(shadow)) {
      if (f.length < 2 || f[0].isEmpty()) continue;
      entries.add(new Shadow(f[0], f[1]));
    }
    return new Accounts(users, groups, entries, passwd != null, group != null, shadow != null);
  }

  /** The first user with this name. */
  public Optional<User> user(String name) {
    return users.stream().filter(u -> u.name().equals(name)).findFirst();
  }

  /** The first user with this uid. */
  public Optional<User> userById(long uid) {
    return users.stream().filter(u -> u.uid() == uid).findFirst();
  }

  /** The first group with this name. */
  public Optional<Group> group(String name) {
    return groups.stream().filter(g -> g.name().equals(name)).findFirst();
  }

  /** The gids of the groups that list {@code user} as a member (supplementary groups). */
  public List<Long> supplementaryGids(String user) {
    List<Long> out = new ArrayList<>();
    if (user == null) return out;
    for (Group g : groups) {
      if (g.members().contains(user)) out.add(g.gid());
    }
    return out;
  }

  private static List<String[]> fields(byte[] content) {
    List<String[]> out = new ArrayList<>();
    if (content == null) return out;
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (l.isBlank() || l.startsWith("#") || l.startsWith("+") || l.startsWith("-")) continue; // NIS compat lines
      out.add(l.split(":", -1));
    }
    return out;
  }

  private static Long number(String s) {
    if (s.isEmpty() || s.length() > 10) return null;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return null;
    }
    return Long.parseLong(s);
  }
}
