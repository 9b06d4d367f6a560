package dev.caulk.run;

import dev.caulk.accounts.Accounts;
import dev.caulk.tar.TarEntries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resolves an image config's {@code User} (config.md: {@code user}, {@code uid}, {@code
 * user:group}, {@code uid:gid}, {@code uid:group}, {@code user:gid}) to numeric ids through the
 * rootfs's {@code /etc/passwd} and {@code /etc/group}, as Docker does: a numeric uid not in passwd
 * runs with gid 0; a named user gets the supplementary groups that list it as a member; an unknown
 * name is an error rather than a silent root. The files are read through {@link Accounts}; entries
 * whose ids do not fit a 31-bit id are passed over.
 */
final class Users {
  private static final int MAX_FILE = 1 << 20;
  private static final long MAX_ID = 0x7fffffffL;

  /** The resolved user; {@code home} is from passwd, or {@code /}. */
  record ExecUser(int uid, int gid, List<Integer> additionalGids, String home) {}

  private Users() {}

  static ExecUser resolve(String spec, Path rootfs) throws IOException {
    String s = spec == null ? "" : spec.trim();
    int colon = s.indexOf(':');
    String userPart = colon < 0 ? s : s.substring(0, colon);
    String groupPart = colon < 0 ? null : s.substring(colon + 1);
    if (userPart.isEmpty()) {
      userPart = "0";
    }
    Accounts accounts =
        Accounts.parse(
            RootfsPaths.read(rootfs, "/etc/passwd", MAX_FILE),
            RootfsPaths.read(rootfs, "/etc/group", MAX_FILE),
            null);
    List<Accounts.User> passwd =
        accounts.users().stream().filter(u -> u.uid() <= MAX_ID && u.gid() <= MAX_ID).toList();
    List<Accounts.Group> groups =
        accounts.groups().stream().filter(g -> g.gid() <= MAX_ID).toList();
    Accounts.User entry;
    int uid;
    if (isNumber(userPart)) {
      uid = id(userPart, spec);
      entry = first(passwd.stream().filter(e -> e.uid() == uid));
    } else {
      String name = userPart;
      entry = first(passwd.stream().filter(e -> e.name().equals(name)));
      if (entry == null) {
        throw new RunException(
            "image User "
                + quote(spec)
                + ": user "
                + quote(userPart)
                + " not found in the image's /etc/passwd"
                + (passwd.isEmpty() ? " (the image has none)" : ""));
      }
      uid = (int) entry.uid();
    }
    int gid = entry == null ? 0 : (int) entry.gid();
    if (groupPart != null && !groupPart.isEmpty()) {
      if (isNumber(groupPart)) {
        gid = id(groupPart, spec);
      } else {
        Accounts.Group found = first(groups.stream().filter(g -> g.name().equals(groupPart)));
        if (found == null) {
          throw new RunException(
              "image User "
                  + quote(spec)
                  + ": group "
                  + quote(groupPart)
                  + " not found in the image's /etc/group");
        }
        gid = (int) found.gid();
      }
    }
    List<Integer> extra = new ArrayList<>();
    if (entry != null && (groupPart == null || groupPart.isEmpty())) {
      for (Accounts.Group g : groups) {
        int id = (int) g.gid();
        if (g.members().contains(entry.name()) && id != gid && !extra.contains(id)) {
          extra.add(id);
        }
      }
    }
    return new ExecUser(
        uid, gid, extra, entry == null || entry.home().isEmpty() ? "/" : entry.home());
  }

  private static <T> T first(Stream<T> s) {
    Optional<T> f = s.findFirst();
    return f.orElse(null);
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static int id(String s, String spec) throws RunException {
    long n = Accounts.number(s);
    if (n < 0 || n > MAX_ID)
      throw new RunException("image User " + quote(spec) + ": id " + s + " is out of range");
    return (int) n;
  }

  static String quote(String s) {
    return TarEntries.quote(s);
  }
}
