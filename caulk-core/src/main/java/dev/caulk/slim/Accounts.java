package dev.caulk.slim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /etc/passwd} and {@code /etc/group} as lines, enough to find the runtime user and add the
 * distroless {@code nonroot} account (uid and gid 65532, build.md §4.1). Lines that are not
 * well-formed are kept as they are and never matched.
 */
final class Accounts {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern NUMERIC_ID = com.google.re2j.Pattern.compile("[0-9]{1,10}");

  /** distroless's and Chainguard's non-root id. */
  static final long NONROOT = 65532;

  /** A passwd entry. */
  record User(String name, long uid, long gid, String home, String shell) {}

  /** The user a container runs as: ids, home ({@code null} when unknown) and a name for messages. */
  record RunAs(long uid, long gid, String home, String label) {
    boolean isRoot() {
      return uid == 0;
    }
  }

  private final List<String> passwd;
  private final List<String> group;

  private Accounts(List<String> passwd, List<String> group) {
    this.passwd = passwd;
    this.group = group;
  }

  /** Parses the two files; null stands for a file the image lacks. */
  static Accounts parse(byte[] passwd, byte[] group) {
    return new Accounts(lines(passwd), lines(group));
  }

  private static List<String> lines(byte[] b) {
    List<String> out = new ArrayList<>();
    if (b == null) return out;
    for (String l : new String(b, StandardCharsets.UTF_8).split("\n", -1)) out.add(l);
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
    return out;
  }

  List<User> users() {
    List<User> out = new ArrayList<>();
    for (String l : passwd) {
      String[] f = l.split(":", -1);
      if (f.length < 7) continue;
      try {
        out.add(new User(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5], f[6]));
      } catch (NumberFormatException e) {
        // not an entry
      }
    }
    return out;
  }

  Optional<User> user(String name) {
    return users().stream().filter(u -> u.name().equals(name)).findFirst();
  }

  Optional<User> user(long uid) {
    return users().stream().filter(u -> u.uid() == uid).findFirst();
  }

  Optional<Long> groupId(String name) {
    for (String l : group) {
      String[] f = l.split(":", -1);
      if (f.length >= 3 && f[0].equals(name)) {
        try {
          return Optional.of(Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  boolean hasGroup(long gid) {
    for (String l : group) {
      String[] f = l.split(":", -1);
      if (f.length >= 3 && f[2].equals(Long.toString(gid))) return true;
    }
    return false;
  }

  /**
   * Resolves an image's {@code User} ({@code name}, {@code uid}, with an optional {@code :group}
   * or {@code :gid}); empty means root. A name must be in the files, as runc requires.
   *
   * @throws SlimException for an unknown name or a malformed value
   */
  RunAs resolve(String spec) throws SlimException {
    if (spec == null || spec.isEmpty()) return new RunAs(0, 0, user(0).map(User::home).orElse("/root"), "root");
    int colon = spec.indexOf(':');
    String u = colon < 0 ? spec : spec.substring(0, colon);
    String g = colon < 0 ? null : spec.substring(colon + 1);
    long uid;
    long gid;
    String home;
    if (NUMERIC_ID.matches(u)) {
      uid = Long.parseLong(u);
      Optional<User> e = user(uid);
      gid = e.map(User::gid).orElse(uid == 0 ? 0 : uid);
      home = e.map(User::home).orElse(null);
    } else {
      User e = user(u).orElseThrow(() -> new SlimException("user " + Entrypoint.quote(u) + " is not in the image's /etc/passwd"));
      uid = e.uid();
      gid = e.gid();
      home = e.home();
    }
    if (g != null && !g.isEmpty()) {
      if (NUMERIC_ID.matches(g)) {
        gid = Long.parseLong(g);
      } else {
        gid = groupId(g).orElseThrow(() -> new SlimException("group " + Entrypoint.quote(g) + " is not in the image's /etc/group"));
      }
    }
    return new RunAs(uid, gid, home, spec);
  }

  /**
   * The files with a {@code nonroot} user and group (65532) added when missing: distroless's lines,
   * home {@code /home/nonroot}, no login shell.
   */
  Accounts withNonroot() {
    List<String> p = new ArrayList<>(passwd);
    List<String> g = new ArrayList<>(group);
    if (passwd.isEmpty()) p.add("root:x:0:0:root:/root:/sbin/nologin");
    if (group.isEmpty()) g.add("root:x:0:");
    if (user(NONROOT).isEmpty()) {
      String name = user("nonroot").isPresent() ? "nonroot65532" : "nonroot";
      p.add(name + ":x:65532:65532:nonroot:/home/nonroot:/sbin/nologin");
    }
    if (!hasGroup(NONROOT)) g.add((groupId("nonroot").isPresent() ? "nonroot65532" : "nonroot") + ":x:65532:");
    return new Accounts(p, g);
  }

  /**
   * The names of the accounts with uid 0 besides root: the account named {@code root} (or, without
   * one, the first uid-0 entry) is root; any other uid-0 entry is a second root (a backdoor the
   * name does not show).
   */
  List<String> extraRoots() {
    List<User> zero = users().stream().filter(u -> u.uid() == 0).toList();
    if (zero.size() < 2) return List.of();
    String keep = zero.stream().anyMatch(u -> u.name().equals("root")) ? "root" : zero.get(0).name();
    List<String> out = new ArrayList<>();
    for (User u : zero) if (!u.name().equals(keep) && !out.contains(u.name())) out.add(u.name());
    return out;
  }

  /** The files without the passwd lines of these accounts (their groups stay). */
  Accounts without(List<String> names) {
    List<String> p = new ArrayList<>();
    for (String l : passwd) {
      String[] f = l.split(":", -1);
      if (f.length >= 7 && names.contains(f[0])) continue;
      p.add(l);
    }
    return new Accounts(p, group);
  }

  /** Accounts whose passwd password field is empty (no password at all), locked with {@code *}; and their names. */
  record Locked(Accounts accounts, List<String> names) {}

  Locked lockEmptyPasswords() {
    List<String> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String l : passwd) {
      String[] f = l.split(":", -1);
      if (f.length >= 7 && f[1].isEmpty() && !f[0].isEmpty()) {
        f[1] = "*";
        p.add(String.join(":", f));
        names.add(f[0]);
      } else {
        p.add(l);
      }
    }
    return new Locked(names.isEmpty() ? this : new Accounts(p, group), names);
  }

  /**
   * {@code /etc/shadow} with the lines of {@code removed} dropped and every empty password field
   * locked with {@code !}; {@code locked} receives the names locked. Malformed lines are kept.
   * Null when nothing changes.
   */
  static byte[] fixShadow(byte[] shadow, List<String> removed, List<String> locked) {
    List<String> out = new ArrayList<>();
    boolean changed = false;
    for (String l : lines(shadow)) {
      String[] f = l.split(":", -1);
      if (f.length >= 2 && removed.contains(f[0])) {
        changed = true;
        continue;
      }
      if (f.length >= 2 && f[1].isEmpty() && !f[0].isEmpty()) {
        f[1] = "!";
        locked.add(f[0]);
        changed = true;
        out.add(String.join(":", f));
      } else {
        out.add(l);
      }
    }
    return changed ? bytes(out) : null;
  }

  byte[] passwdBytes() {
    return bytes(passwd);
  }

  byte[] groupBytes() {
    return bytes(group);
  }

  private static byte[] bytes(List<String> lines) {
    StringBuilder b = new StringBuilder();
    for (String l : lines) b.append(l).append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
