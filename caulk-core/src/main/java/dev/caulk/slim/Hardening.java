package dev.caulk.slim;

import dev.caulk.accounts.Accounts;
import dev.caulk.fs.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The steps of {@code caulk harden} that remove things (what the entrypoint needs is protected from
 * all of them) and the permission edits both verbs share.
 */
final class Hardening {
  /**
   * Package manager caches, databases and configuration, removed whole (the package metadata is
   * rewritten).
   */
  static final List<String> MANAGER_DATA =
      List.of(
          "/var/cache/apt",
          "/var/lib/apt",
          "/etc/apt",
          "/usr/lib/apt",
          "/var/log/apt",
          "/var/cache/debconf",
          "/var/lib/dpkg",
          "/etc/dpkg",
          "/var/log/dpkg.log",
          "/var/log/alternatives.log",
          "/var/cache/apk",
          "/etc/apk",
          "/lib/apk/db",
          "/usr/lib/apk/db",
          "/lib/apk/exec",
          "/var/cache/yum",
          "/var/cache/dnf",
          "/var/lib/dnf",
          "/var/cache/zypp",
          "/root/.cache/pip",
          "/root/.npm");

  private Hardening() {}

  /**
   * Removes what the audit counts as PATH executables: the symlinks and the executable files
   * directly inside the image's PATH folders (resolved inside the image, each once). Returns those
   * folders.
   */
  static List<String> clearPathFolders(Work w, String pathEnv) {
    Set<String> folders = new LinkedHashSet<>();
    for (String d : pathEnv.split(":")) {
      if (!d.startsWith("/")) continue;
      String real = ImagePaths.walk(w.tree, ImagePaths.normalize(d)).target();
      if (real != null && w.tree.node(real).map(Node::isDirectory).orElse(false)) folders.add(real);
    }
    int n = 0;
    for (String f : folders) {
      for (Node c : w.tree.children(f)) {
        boolean program = c.isSymlink() || (c.isRegular() && (c.mode() & 0111) != 0);
        if (program && w.remove(c.path())) n++;
      }
    }
    if (n > 0)
      w.changes.add(
          "removed " + n + " entries from the PATH folders (" + String.join(", ", folders) + ")");
    return new ArrayList<>(folders);
  }

  /** Removes shells and package manager programs wherever they are. */
  static void removePrograms(Work w) {
    List<String> shells = new ArrayList<>();
    List<String> managers = new ArrayList<>();
    for (Node n : w.tree.walk()) {
      if (n.isDirectory() || !w.kept.contains(n.path())) continue;
      boolean shell = Names.isShell(n.name());
      if (!shell && !Names.isPackageManager(n.name())) continue;
      if (!executable(w, n)) continue;
      if (shell && w.remove(n.path())) shells.add(n.path());
      else if (!shell && w.remove(n.path())) managers.add(n.path());
    }
    if (!shells.isEmpty())
      w.changes.add("removed shells outside the PATH folders: " + String.join(", ", shells));
    if (!managers.isEmpty())
      w.changes.add(
          "removed package manager programs outside the PATH folders: "
              + String.join(", ", managers));
  }

  /** Removes the package managers' caches and data ({@link #MANAGER_DATA}). */
  static void removeManagerData(Work w) {
    int n = 0;
    List<String> dirs = new ArrayList<>();
    for (String d : MANAGER_DATA) {
      String real = w.realPath(d);
      if (real == null) continue;
      int k = w.removeTree(real);
      if (k > 0) {
        n += k;
        dirs.add(d);
      }
    }
    if (n > 0)
      w.changes.add(
          "removed package manager data and caches ("
              + n
              + " files in "
              + String.join(", ", dirs)
              + ")");
  }

  /**
   * Removes symlinks that led somewhere before and lead nowhere now (their target, or a link on the
   * way, was removed): {@code /etc/alternatives/pager}, {@code /usr/bin/X11}…
   */
  static void removeDanglingLinks(Work w) {
    int n = 0;
    for (Node x : w.tree.walk()) {
      if (!x.isSymlink() || !w.kept.contains(x.path())) continue;
      ImagePaths.Walk walk = ImagePaths.walk(w.tree, x.path());
      if (walk.target() == null) continue;
      boolean broken =
          !w.kept.contains(walk.target())
              && !w.tree.node(walk.target()).map(Node::isDirectory).orElse(false);
      for (String l : walk.links()) broken |= !w.kept.contains(l);
      if (broken && w.remove(x.path())) n++;
    }
    if (n > 0) w.changes.add("removed " + n + " symlinks whose targets were removed");
  }

  /**
   * Removes the directories the other steps emptied (they held something, now hold nothing), so
   * that no {@code /usr/share/doc/apt} is left behind; PATH folders, protected paths and folders
   * that were empty to begin with stay.
   */
  static void pruneEmptied(Work w, List<String> pathFolders) {
    List<Node> all = w.tree.walk();
    java.util.Set<String> occupied = new java.util.HashSet<>();
    for (String k : w.kept) {
      if (!w.tree.node(k).map(Node::isDirectory).orElse(false))
        LayerAssembler.addAncestors(k, occupied);
    }
    for (String a : w.added.keySet()) LayerAssembler.addAncestors(a, occupied);
    int n = 0;
    for (int i = all.size() - 1; i >= 0; i--) {
      Node d = all.get(i);
      if (!d.isDirectory()
          || occupied.contains(d.path())
          || pathFolders.contains(d.path())
          || w.added.containsKey(d.path())) continue;
      if (w.tree.children(d.path()).isEmpty()) {
        if (w.kept.contains(d.path())) LayerAssembler.addAncestors(d.path(), occupied);
        continue;
      }
      if (w.remove(d.path())) n++;
      else if (w.kept.contains(d.path())) LayerAssembler.addAncestors(d.path(), occupied);
    }
    if (n > 0) w.changes.add("removed " + n + " folders left empty");
  }

  /**
   * Clears setuid/setgid bits of non-directories and drops {@code security.capability} attributes.
   */
  static void dropPrivileges(Work w) {
    List<String> suid = new ArrayList<>();
    List<String> caps = new ArrayList<>();
    for (String p : w.kept) {
      Optional<Node> o = w.node(p);
      if (o.isEmpty() || o.get().isSymlink()) continue;
      Node n = o.get();
      int mode = n.mode();
      Map<String, String> x = n.xattrs();
      if (!n.isDirectory() && (mode & 06000) != 0) {
        mode &= ~06000;
        suid.add(p);
      }
      if (x.containsKey("security.capability")) {
        x = new java.util.HashMap<>(x);
        x.remove("security.capability");
        caps.add(p);
      }
      if (mode != n.mode() || x != n.xattrs()) w.edited.put(p, with(n, mode, n.uid(), n.gid(), x));
    }
    if (!suid.isEmpty()) w.changes.add("cleared setuid/setgid bits on " + count(suid));
    if (!caps.isEmpty()) w.changes.add("removed file capabilities from " + count(caps));
  }

  /**
   * Takes write permission from the runtime user everywhere but its home and {@code /tmp}: the
   * owner bit of what it owns, the group bit of what its group owns, and everyone's bit.
   */
  static void dropWrite(Work w, Users.RunAs user) {
    int n = 0;
    String home =
        user.home() == null || user.home().isEmpty()
            ? null
            : w.realDir(ImagePaths.normalize(user.home()));
    if (home != null && home.equals("/")) home = null;
    for (String p : w.kept) {
      if (ImagePaths.under(p, "/tmp") || (home != null && ImagePaths.under(p, home))) continue;
      Optional<Node> o = w.node(p);
      if (o.isEmpty() || o.get().isSymlink()) continue;
      Node node = o.get();
      int mode = node.mode() & ~0002;
      if (!user.isRoot() && node.uid() == user.uid()) mode &= ~0200;
      if (!user.isRoot() && node.gid() == user.gid()) mode &= ~0020;
      if (mode != node.mode()) {
        w.edited.put(p, with(node, mode, node.uid(), node.gid(), node.xattrs()));
        n++;
      }
    }
    for (LayerAssembler.Added a : new ArrayList<>(w.added.values())) {
      if (ImagePaths.under(a.path(), "/tmp") || (home != null && ImagePaths.under(a.path(), home)))
        continue;
      int mode = a.mode() & ~0002;
      if (!user.isRoot() && a.uid() == user.uid()) mode &= ~0200;
      if (!user.isRoot() && a.gid() == user.gid()) mode &= ~0020;
      if (mode != a.mode()) {
        w.added.put(
            a.path(), new LayerAssembler.Added(a.path(), a.content(), mode, a.uid(), a.gid()));
        n++;
      }
    }
    if (n > 0) {
      w.changes.add(
          "took write permission from uid "
              + user.uid()
              + " on "
              + n
              + " paths (writable: "
              + (home == null ? "" : home + " and ")
              + "/tmp)");
    }
  }

  /**
   * Locks the accounts that need no password ({@code root::} in {@code /etc/shadow} → {@code !}, in
   * {@code /etc/passwd} → {@code *}), and reports each account with uid 0 besides root, or removes
   * it (from passwd and shadow) with {@code fixAccounts}. Returns the accounts as they now are, for
   * the user change that follows.
   */
  static Accounts fixAccounts(
      Work w, Accounts accounts, boolean fixAccounts, dev.caulk.event.EventListener log) {
    String etc = w.realDir("/etc");
    List<String> extra = Users.extraRoots(accounts);
    Accounts a = accounts;
    if (!extra.isEmpty()) {
      if (fixAccounts) {
        a = a.withoutUsers(extra);
        w.changes.add(
            "removed "
                + (extra.size() == 1 ? "the account " : "the accounts ")
                + String.join(", ", extra)
                + " (uid 0 besides root)");
      } else {
        log.warn(
            "harden: "
                + (extra.size() == 1 ? "the account " : "the accounts ")
                + String.join(", ", extra)
                + (extra.size() == 1 ? " has" : " have")
                + " uid 0 like root (--fix-accounts removes "
                + (extra.size() == 1 ? "it" : "them")
                + ")");
      }
    }
    List<String> lockedPasswd = a.emptyPasswdPasswords();
    List<String> lockedShadow = a.emptyShadowPasswords();
    a = a.lockEmptyPasswords();
    if (!lockedPasswd.isEmpty()) {
      w.changes.add("locked " + String.join(", ", lockedPasswd) + " (no password) in /etc/passwd");
    }
    if (!a.passwdFile().equals(accounts.passwdFile())) {
      Users.put(w, ImagePaths.join(etc, "passwd"), a.passwdBytes());
    }
    if (a.shadowPresent() && !a.shadowFile().equals(accounts.shadowFile())) {
      Users.put(w, ImagePaths.join(etc, "shadow"), a.shadowBytes());
      if (!lockedShadow.isEmpty()) {
        w.changes.add(
            "locked " + String.join(", ", lockedShadow) + " (empty password) in /etc/shadow");
      }
    }
    return a;
  }

  /**
   * A regular file with an execute bit, or a symlink that leads to one (what the audit counts as a
   * program).
   */
  static boolean executable(Work w, Node n) {
    Node target = n;
    if (n.isSymlink()) {
      Optional<Node> r = w.tree.resolve(n.path());
      if (r.isEmpty()) return false;
      target = r.get();
    }
    return target.isRegular() && (target.mode() & 0111) != 0;
  }

  static Node with(Node n, int mode, long uid, long gid, Map<String, String> xattrs) {
    return new Node(
        n.path(),
        n.type(),
        mode,
        uid,
        gid,
        n.size(),
        n.linkTarget(),
        xattrs,
        n.layerIndex(),
        n.devMajor(),
        n.devMinor());
  }

  private static String count(List<String> paths) {
    List<String> sorted = new ArrayList<>(paths);
    java.util.Collections.sort(sorted);
    String shown = String.join(", ", sorted.subList(0, Math.min(8, sorted.size())));
    return sorted.size()
        + (sorted.size() == 1 ? " file (" : " files (")
        + shown
        + (sorted.size() > 8 ? ", …)" : ")");
  }
}
