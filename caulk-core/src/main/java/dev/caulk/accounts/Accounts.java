package dev.caulk.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts of an image: {@code /etc/passwd}, {@code /etc/group} and {@code /etc/shadow}
 * (passwd(5), group(5), shadow(5)), read tolerantly, looked up by name or id, merged and written
 * back reproducibly. It is the one model that {@code audit}, {@code slim}, {@code run} and {@code
 * build} use.
 *
 * <p>Reading, as glibc's and runc's parsers do: a passwd line needs its first four fields (name,
 * password, uid, gid; missing gecos, home and shell read as empty), a group line its first three, a
 * shadow line its first two; ids are decimal, at most ten digits. Any other line (malformed, a
 * comment, blank, a NIS {@code +}/{@code -} line) is no entry, is never matched and is kept as
 * written. Lookups return the first match in file order. Values are immutable: an edit returns new
 * accounts.
 */
public final class Accounts {
  /** Shells that mean "no login" (the account exists for file ownership or a daemon). */
  public static final Set<String> NO_LOGIN =
      Set.of(
          "/usr/sbin/nologin",
          "/sbin/nologin",
          "/bin/false",
          "/usr/bin/false",
          "/bin/sync",
          "/usr/bin/sync",
          "/bin/true",
          "/usr/bin/true",
          "");

  /**
   * A passwd entry: {@code name:password:uid:gid:gecos:home:shell}.
   *
   * @param password the second field ({@code x} when the hash is in shadow, empty for none)
   */
  public record User(
      String name, String password, long uid, long gid, String gecos, String home, String shell) {
    /** Checks every field. */
    public User {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(gecos, "gecos");
      Objects.requireNonNull(home, "home");
      Objects.requireNonNull(shell, "shell");
    }

    /** Whether the shell lets someone log in (not nologin, false or empty). */
    public boolean loginShell() {
      return !NO_LOGIN.contains(shell);
    }

    /** The passwd line. */
    public String line() {
      return name + ":" + password + ":" + uid + ":" + gid + ":" + gecos + ":" + home + ":" + shell;
    }
  }

  /** A group entry: {@code name:password:gid:member,member}. */
  public record Group(String name, String password, long gid, List<String> members) {
    /** Copies the members. */
    public Group {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      members = List.copyOf(members);
    }

    /** The group line. */
    public String line() {
      return name + ":" + password + ":" + gid + ":" + String.join(",", members);
    }
  }

  /**
   * A shadow entry: {@code name:hash:…}; the fields after the hash are kept in the line, not here.
   */
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

  private final AccountFile<User> passwd;
  private final AccountFile<Group> group;
  private final AccountFile<Shadow> shadow;
  // first entry by key, so lookups are constant time (an audit looks up every user in shadow)
  private final Map<String, User> usersByName = new HashMap<>();
  private final Map<Long, User> usersById = new HashMap<>();
  private final Map<String, Group> groupsByName = new HashMap<>();
  private final Map<Long, Group> groupsById = new HashMap<>();
  private final Map<String, Shadow> shadowByName = new HashMap<>();

  private Accounts(AccountFile<User> passwd, AccountFile<Group> group, AccountFile<Shadow> shadow) {
    this.passwd = passwd;
    this.group = group;
    this.shadow = shadow;
    for (User u : passwd.entries()) {
      usersByName.putIfAbsent(u.name(), u);
      usersById.putIfAbsent(u.uid(), u);
    }
    for (Group g : group.entries()) {
      groupsByName.putIfAbsent(g.name(), g);
      groupsById.putIfAbsent(g.gid(), g);
    }
    for (Shadow s : shadow.entries()) {
      shadowByName.putIfAbsent(s.name(), s);
    }
  }

  /** No accounts files at all (scratch and distroless-static images). */
  public static Accounts none() {
    return parse(null, null, null);
  }

  /** Parses the three files; a null argument means the file is absent. */
  public static Accounts parse(byte[] passwd, byte[] group, byte[] shadow) {
    return new Accounts(
        AccountFile.parse(passwd, Accounts::user),
        AccountFile.parse(group, Accounts::group),
        AccountFile.parse(shadow, Accounts::shadow));
  }

  private static User user(List<String> f) {
    if (f.size() < 4) {
      return null;
    }
    long uid = number(f.get(2));
    long gid = number(f.get(3));
    if (uid < 0 || gid < 0) {
      return null;
    }
    return new User(f.get(0), f.get(1), uid, gid, field(f, 4), field(f, 5), field(f, 6));
  }

  private static Group group(List<String> f) {
    if (f.size() < 3) {
      return null;
    }
    long gid = number(f.get(2));
    if (gid < 0) {
      return null;
    }
    List<String> members = new ArrayList<>();
    if (f.size() > 3) {
      for (String m : AccountFile.split(f.get(3), ',')) {
        if (!m.isBlank()) {
          members.add(m.strip());
        }
      }
    }
    return new Group(f.get(0), f.get(1), gid, members);
  }

  private static Shadow shadow(List<String> f) {
    if (f.size() < 2 || f.get(0).isEmpty()) {
      return null;
    }
    return new Shadow(f.get(0), f.get(1));
  }

  private static String field(List<String> f, int i) {
    return i < f.size() ? f.get(i) : "";
  }

  /** A decimal id of one to ten digits, or -1. */
  public static long number(String s) {
    if (s == null || s.isEmpty() || s.length() > 10) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  /** passwd entries in file order. */
  public List<User> users() {
    return passwd.entries();
  }

  /** group entries in file order. */
  public List<Group> groups() {
    return group.entries();
  }

  /** shadow entries in file order. */
  public List<Shadow> shadow() {
    return shadow.entries();
  }

  /** Whether the image has an {@code /etc/passwd}. */
  public boolean passwdPresent() {
    return passwd.present();
  }

  /** Whether the image has an {@code /etc/group}. */
  public boolean groupPresent() {
    return group.present();
  }

  /**
   * Whether the image has an {@code /etc/shadow} (or the BSD {@code /etc/master.passwd} read in its
   * place).
   */
  public boolean shadowPresent() {
    return shadow.present();
  }

  /** The passwd file. */
  public AccountFile<User> passwdFile() {
    return passwd;
  }

  /** The group file. */
  public AccountFile<Group> groupFile() {
    return group;
  }

  /** The shadow file. */
  public AccountFile<Shadow> shadowFile() {
    return shadow;
  }

  /** The first user with this name. */
  public Optional<User> user(String name) {
    return Optional.ofNullable(usersByName.get(name));
  }

  /** The first user with this uid. */
  public Optional<User> userById(long uid) {
    return Optional.ofNullable(usersById.get(uid));
  }

  /** The first group with this name. */
  public Optional<Group> group(String name) {
    return Optional.ofNullable(groupsByName.get(name));
  }

  /** The first group with this gid. */
  public Optional<Group> groupById(long gid) {
    return Optional.ofNullable(groupsById.get(gid));
  }

  /** The first shadow entry of this account. */
  public Optional<Shadow> shadow(String name) {
    return Optional.ofNullable(shadowByName.get(name));
  }

  /**
   * The gids of the groups that list {@code user} as a member (supplementary groups), in file
   * order.
   */
  public List<Long> supplementaryGids(String user) {
    List<Long> out = new ArrayList<>();
    if (user == null) {
      return out;
    }
    for (Group g : groups()) {
      if (g.members().contains(user)) {
        out.add(g.gid());
      }
    }
    return out;
  }

  /**
   * Merges a user into passwd: appended, unless an account with the same name or uid is there
   * already (then the accounts are returned unchanged, so the file is written back as it was).
   */
  public Accounts withUser(User u) {
    if (user(u.name()).isPresent() || userById(u.uid()).isPresent()) {
      return this;
    }
    return new Accounts(passwd.append(u.line()), group, shadow);
  }

  /**
   * Merges a group into group, the same way: appended unless one with the same name or gid is
   * there.
   */
  public Accounts withGroup(Group g) {
    if (group(g.name()).isPresent() || groupById(g.gid()).isPresent()) {
      return this;
    }
    return new Accounts(passwd, group.append(g.line()), shadow);
  }

  /** The accounts without the passwd and shadow lines of these names (their groups stay). */
  public Accounts withoutUsers(Collection<String> names) {
    return new Accounts(
        passwd.remove(u -> names.contains(u.name())),
        group,
        shadow.remove(s -> names.contains(s.name())));
  }

  /**
   * The names of the passwd entries whose password field is empty (no password at all), in file
   * order.
   */
  public List<String> emptyPasswdPasswords() {
    return users().stream()
        .filter(u -> u.password().isEmpty() && !u.name().isEmpty())
        .map(User::name)
        .toList();
  }

  /** The names of the shadow entries whose hash is empty, in file order. */
  public List<String> emptyShadowPasswords() {
    return shadow().stream().filter(Shadow::emptyPassword).map(Shadow::name).toList();
  }

  /**
   * The accounts with every empty password locked: {@code *} in passwd's password field, {@code !}
   * in shadow's hash (what {@code passwd -l} writes). The other fields stay as written.
   */
  public Accounts lockEmptyPasswords() {
    return new Accounts(
        passwd.setField(u -> u.password().isEmpty() && !u.name().isEmpty(), 1, "*"),
        group,
        shadow.setField(Shadow::emptyPassword, 1, "!"));
  }

  /** {@code /etc/passwd} as bytes (the bytes read when unedited). */
  public byte[] passwdBytes() {
    return passwd.bytes();
  }

  /** {@code /etc/group} as bytes. */
  public byte[] groupBytes() {
    return group.bytes();
  }

  /** {@code /etc/shadow} as bytes. */
  public byte[] shadowBytes() {
    return shadow.bytes();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Accounts a
        && passwd.equals(a.passwd)
        && group.equals(a.group)
        && shadow.equals(a.shadow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(passwd, group, shadow);
  }

  @Override
  public String toString() {
    return "Accounts["
        + users().size()
        + " users, "
        + groups().size()
        + " groups, "
        + shadow().size()
        + " shadow]";
  }
}
