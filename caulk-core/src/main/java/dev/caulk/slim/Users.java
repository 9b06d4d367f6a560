package dev.caulk.slim;

import dev.caulk.accounts.Accounts;
import dev.caulk.fs.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user step of {@code caulk harden}: an image that runs as root runs as {@code --user}, or as a
 * {@code nonroot} account (65532:65532, home {@code /home/nonroot} 0700) added to {@code
 * /etc/passwd} and {@code /etc/group} the way distroless declares it (build.md §4.1). The files are
 * read, looked up and written through {@link Accounts}; this class holds slim's policy only.
 */
final class Users {
  /** distroless's and Chainguard's non-root id. */
  static final long NONROOT = 65532;

  /**
   * The user a container runs as: ids, home ({@code null} when unknown) and a name for messages.
   */
  record RunAs(long uid, long gid, String home, String label) {
    boolean isRoot() {
      return uid == 0;
    }
  }

  /**
   * The user the result runs as.
   *
   * @param user the config's new {@code User} value
   * @param runAs its ids and home
   */
  record Change(String user, RunAs runAs) {}

  private Users() {}

  /**
   * Resolves an image's {@code User} ({@code name}, {@code uid}, with an optional {@code :group} or
   * {@code :gid}); empty means root. A name must be in the files, as runc requires.
   *
   * @throws SlimException for an unknown name or a malformed value
   */
  static RunAs resolve(Accounts accounts, String spec) throws SlimException {
    if (spec == null || spec.isEmpty()) {
      return new RunAs(0, 0, accounts.userById(0).map(Accounts.User::home).orElse("/root"), "root");
    }
    int colon = spec.indexOf(':');
    String u = colon < 0 ? spec : spec.substring(0, colon);
    String g = colon < 0 ? null : spec.substring(colon + 1);
    long uid = Accounts.number(u);
    long gid;
    String home;
    if (uid >= 0) {
      Optional<Accounts.User> e = accounts.userById(uid);
      gid = e.map(Accounts.User::gid).orElse(uid);
      home = e.map(Accounts.User::home).orElse(null);
    } else {
      Accounts.User e =
          accounts
              .user(u)
              .orElseThrow(
                  () ->
                      new SlimException(
                          "user " + Entrypoint.quote(u) + " is not in the image's /etc/passwd"));
      uid = e.uid();
      gid = e.gid();
      home = e.home();
    }
    if (g != null && !g.isEmpty()) {
      long n = Accounts.number(g);
      gid =
          n >= 0
              ? n
              : accounts
                  .group(g)
                  .map(Accounts.Group::gid)
                  .orElseThrow(
                      () ->
                          new SlimException(
                              "group "
                                  + Entrypoint.quote(g)
                                  + " is not in the image's /etc/group"));
    }
    return new RunAs(uid, gid, home, spec);
  }

  /**
   * The accounts with a {@code nonroot} user and group (65532) added when missing: distroless's
   * lines, home {@code /home/nonroot}, no login shell; a root account and group first when a file
   * is empty.
   */
  static Accounts withNonroot(Accounts accounts) {
    Accounts a = accounts;
    if (a.passwdFile().empty()) {
      a = a.withUser(new Accounts.User("root", "x", 0, 0, "root", "/root", "/sbin/nologin"));
    }
    if (a.groupFile().empty()) {
      a = a.withGroup(new Accounts.Group("root", "x", 0, List.of()));
    }
    String user = a.user("nonroot").isPresent() ? "nonroot65532" : "nonroot";
    a =
        a.withUser(
            new Accounts.User(
                user, "x", NONROOT, NONROOT, "nonroot", "/home/nonroot", "/sbin/nologin"));
    String group = a.group("nonroot").isPresent() ? "nonroot65532" : "nonroot";
    return a.withGroup(new Accounts.Group(group, "x", NONROOT, List.of()));
  }

  /**
   * The names of the accounts with uid 0 besides root: the account named {@code root} (or, without
   * one, the first uid-0 entry) is root; any other uid-0 entry is a second root (a backdoor the
   * name does not show).
   */
  static List<String> extraRoots(Accounts accounts) {
    List<Accounts.User> zero = accounts.users().stream().filter(u -> u.uid() == 0).toList();
    if (zero.size() < 2) {
      return List.of();
    }
    String keep =
        zero.stream().anyMatch(u -> u.name().equals("root")) ? "root" : zero.get(0).name();
    List<String> out = new ArrayList<>();
    for (Accounts.User u : zero) {
      if (!u.name().equals(keep) && !out.contains(u.name())) {
        out.add(u.name());
      }
    }
    return out;
  }

  /**
   * Decides and records the user.
   *
   * @param before the image's user, or null when its name is unknown
   * @param requested {@code --user}, or null
   * @param current the config's {@code User}
   * @throws SlimException when {@code --user} names an unknown user or group, or when the image's
   *     own user is unknown and no {@code --user} is given
   */
  static Change apply(Work w, Accounts accounts, RunAs before, String requested, String current)
      throws SlimException {
    String was = current == null || current.isEmpty() ? "root" : current;
    if (requested != null) {
      RunAs r = resolve(accounts, requested);
      if (!requested.equals(current)) {
        w.changes.add("runs as " + requested + " instead of " + was);
      }
      return new Change(requested, r);
    }
    if (before == null) {
      throw new SlimException(
          "the image's user " + Entrypoint.quote(was) + " is not in its /etc/passwd; pass --user");
    }
    if (!before.isRoot()) {
      return new Change(current, before);
    }
    Accounts added = withNonroot(accounts);
    String etc = w.realDir("/etc");
    put(w, ImagePaths.join(etc, "passwd"), added.passwdBytes());
    put(w, ImagePaths.join(etc, "group"), added.groupBytes());
    Accounts.User u = added.userById(NONROOT).orElseThrow();
    String home = u.home();
    if (home.equals("/home/nonroot") && w.realPath(home) == null) {
      String real = w.realDir(home);
      w.added.put(real, new LayerAssembler.Added(real, null, 0700, NONROOT, NONROOT));
    }
    String user = NONROOT + ":" + NONROOT;
    w.changes.add(
        "runs as "
            + u.name()
            + " ("
            + user
            + ") instead of "
            + was
            + (accounts.userById(NONROOT).isEmpty()
                ? "; account added to /etc/passwd and /etc/group"
                : ""));
    return new Change(user, new RunAs(NONROOT, NONROOT, home, user));
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
