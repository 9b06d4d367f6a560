package dev.caulk.audit;

import dev.caulk.accounts.Accounts;
import java.util.List;

/**
 * Who the container's process runs as, from the config's {@code User} ({@code name}, {@code uid},
 * {@code name:group}, {@code uid:gid}) resolved through the image's own {@code /etc/passwd} and
 * {@code /etc/group}, as runc does: a number is used as is, a name must be found in the file.
 *
 * @param spec the {@code User} value as written ({@code ""} when unset, which means root)
 * @param uid the resolved uid, or -1 when a name could not be resolved
 * @param gid the resolved primary gid, or -1 when unknown
 * @param supplementaryGids gids of the groups that list the user as a member
 * @param name the account name when known, else null
 */
public record RuntimeUser(
    String spec, long uid, long gid, List<Long> supplementaryGids, String name) {

  /** Copies the list. */
  public RuntimeUser {
    supplementaryGids = List.copyOf(supplementaryGids);
  }

  /** Whether the user resolved to a uid. */
  public boolean resolved() {
    return uid >= 0;
  }

  /** Whether the process runs with uid 0. */
  public boolean root() {
    return uid == 0;
  }

  /** Resolves {@code spec} against the accounts (see the class comment). */
  static RuntimeUser resolve(String spec, Accounts accounts) {
    String s = spec == null ? "" : spec.strip();
    if (s.isEmpty()) {
      return new RuntimeUser("", 0, 0, accounts.supplementaryGids("root"), "root");
    }
    int colon = s.indexOf(':');
    String u = colon < 0 ? s : s.substring(0, colon);
    String g = colon < 0 ? null : s.substring(colon + 1);
    long uid = -1;
    long gid = -1;
    String name = null;
    long numeric = Accounts.number(u);
    if (numeric >= 0) {
      uid = numeric;
      Accounts.User user = accounts.userById(uid).orElse(null);
      if (user != null) {
        name = user.name();
        gid = user.gid();
      } else {
        gid = uid == 0 ? 0 : -1;
      }
    } else {
      Accounts.User user = accounts.user(u).orElse(null);
      if (user != null) {
        uid = user.uid();
        gid = user.gid();
        name = user.name();
      } else if (u.equals("root")) {
        uid = 0;
        gid = 0;
        name = "root";
      }
    }
    if (g != null && !g.isEmpty()) {
      long ng = Accounts.number(g);
      if (ng >= 0) {
        gid = ng;
      } else {
        gid = accounts.group(g).map(Accounts.Group::gid).orElse(g.equals("root") ? 0L : -1L);
      }
    }
    return new RuntimeUser(s, uid, gid, accounts.supplementaryGids(name), name);
  }
}
