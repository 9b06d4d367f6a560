package dev.caulk.slim;

import dev.caulk.fs.Node;
import java.util.Optional;

/**
 * The user step of {@code caulk harden}: an image that runs as root runs as {@code --user}, or as
 * a {@code nonroot} account (65532:65532, home {@code /home/nonroot} 0700) added to {@code
 * /etc/passwd} and {@code /etc/group} the way distroless declares it (build.md §4.1).
 */
final class Users {
  /**
   * The user the result runs as.
   *
   * @param user the config's new {@code User} value
   * @param runAs its ids and home
   */
  record Change(String user, Accounts.RunAs runAs) {}

  private Users() {}

  /**
   * Decides and records the user.
   *
   * @param before the image's user, or null when its name is unknown
   * @param requested {@code --user}, or null
   * @param current the config's {@code User}
   * @throws SlimException when {@code --user} names an unknown user or group, or when the image's
   *     own user is unknown and no {@code --user} is given
   */
  static Change apply(Work w, Accounts accounts, Accounts.RunAs before, String requested, String current) throws SlimException {
    String was = current == null || current.isEmpty() ? "root" : current;
    if (requested != null) {
      Accounts.RunAs r = accounts.resolve(requested);
      if (!requested.equals(current)) w.changes.add("runs as " + requested + " instead of " + was);
      return new Change(requested, r);
    }
    if (before == null) {
      throw new SlimException("the image's user " + Entrypoint.quote(was) + " is not in its /etc/passwd; pass --user");
    }
    if (!before.isRoot()) return new Change(current, before);
    Accounts added = accounts.withNonroot();
    String etc = w.realDir("/etc");
    put(w, ImagePaths.join(etc, "passwd"), added.passwdBytes());
    put(w, ImagePaths.join(etc, "group"), added.groupBytes());
    Accounts.User u = added.user(Accounts.NONROOT).orElseThrow();
    String home = u.home();
    if (home.equals("/home/nonroot") && w.realPath(home) == null) {
      String real = w.realDir(home);
      w.added.put(real, new LayerAssembler.Added(real, null, 0700, Accounts.NONROOT, Accounts.NONROOT));
    }
    String user = Accounts.NONROOT + ":" + Accounts.NONROOT;
    w.changes.add("runs as " + u.name() + " (" + user + ") instead of " + was
        + (accounts.user(Accounts.NONROOT).isEmpty() ? "; account added to /etc/passwd and /etc/group" : ""));
    return new Change(user, new Accounts.RunAs(Accounts.NONROOT, Accounts.NONROOT, home, user));
  }

  /** Adds or replaces an account file, keeping the mode and owner of the one it replaces. */
  static void put(Work w, String path, byte[] bytes) {
    Optional<Node> old = w.tree.node(path).filter(Node::isRegular);
    int mode = old.map(Node::mode).orElse(0644) & ~06000;
    long uid = old.map(Node::uid).orElse(0L);
    long gid = old.map(Node::gid).orElse(0L);
    w.added.put(path, new LayerAssembler.Added(path, bytes, mode, uid, gid));
    w.kept.remove(path);
  }
}
