package dev.caulk.audit;

import dev.caulk.accounts.Accounts;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.LayerStats;
import dev.caulk.fs.Node;
import dev.caulk.tar.EntryType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Builds an {@link Inventory} with one walk over the merged tree. */
final class InventoryBuilder {
  private InventoryBuilder() {}

  static Inventory of(AuditContext ctx) {
    FileTree t = ctx.tree();
    Map<String, long[]> top = new TreeMap<>();
    List<String> setuid = new ArrayList<>();
    List<String> setgid = new ArrayList<>();
    List<Inventory.Capability> caps = new ArrayList<>();
    List<Inventory.WorldWritable> ww = new ArrayList<>();
    List<String> shells = new ArrayList<>();
    List<Inventory.PackageManager> pms = new ArrayList<>();
    long files = 0;
    long treeBytes = 0;
    java.util.Set<String> pathFolders = new java.util.HashSet<>(ctx.pathFolders());
    for (Node n : t.walk()) {
      String p = n.path();
      if (p.equals("/")) continue;
      int slash = p.indexOf('/', 1);
      if (slash < 0 && n.isDirectory()) top.computeIfAbsent(p, k -> new long[2]);
      if (n.isRegular()) {
        long[] c = top.computeIfAbsent(slash < 0 ? "/" : p.substring(0, slash), k -> new long[2]);
        c[0]++;
        c[1] += n.size();
        files++;
        if (n.type() == EntryType.FILE) treeBytes += n.size();
        if (n.isWorldWritable()) ww.add(new Inventory.WorldWritable(p, "file"));
      } else if (n.isDirectory() && n.isWorldWritable() && (n.mode() & 01000) == 0) {
        ww.add(new Inventory.WorldWritable(p, "directory"));
      }
      if (!n.isDirectory()) {
        if (n.isSetuid()) setuid.add(p);
        if (n.isSetgid()) setgid.add(p);
      }
      byte[] cap = n.xattrBytes("security.capability");
      if (cap != null) caps.add(new Inventory.Capability(p, Capabilities.describe(cap)));
      if (n.isDirectory()) continue;
      String name = n.name();
      boolean shell = Programs.SHELLS.contains(name);
      Optional<String> pm = Programs.packageManager(name);
      if ((shell || pm.isPresent()) && inProgramFolder(n, pathFolders) && executable(t, n)) {
        if (shell) shells.add(p);
        pm.ifPresent(m -> pms.add(new Inventory.PackageManager(m, p)));
      }
    }
    List<String> folders = new ArrayList<>();
    List<String> exes = new ArrayList<>();
    for (Node dir : ctx.realPathFolders()) {
      folders.add(dir.path());
      for (Node c : t.children(dir.path())) {
        if (c.isSymlink() || (c.isRegular() && (c.mode() & 0111) != 0)) exes.add(c.path());
      }
    }
    Map<String, Inventory.Folder> topLevel = new TreeMap<>();
    top.forEach((k, v) -> topLevel.put(k, new Inventory.Folder(v[0], v[1])));
    long layerBytes = 0;
    List<Inventory.LayerSummary> layers = new ArrayList<>();
    List<String> createdBy = layerCreatedBy(ctx);
    List<List<Inventory.Hidden>> largest = largestHidden(t);
    for (LayerStats s : t.layers()) {
      layerBytes += s.tarBytes();
      int i = s.index();
      long size = i < ctx.image().layerSizes().size() ? ctx.image().layerSizes().get(i) : -1;
      layers.add(
          new Inventory.LayerSummary(
              i,
              s.digest().toString(),
              size,
              createdBy.get(i),
              s.tarBytes(),
              s.files(),
              s.fileBytes(),
              s.hiddenFiles(),
              s.hiddenBytes(),
              largest.get(i)));
    }
    return new Inventory(
        topLevel,
        folders,
        exes,
        setuid,
        setgid,
        caps,
        ww,
        shells,
        pms,
        accounts(ctx.accounts()),
        layers,
        files,
        t.hiddenBytes(),
        ctx.image().storedBytes(),
        treeBytes,
        layerBytes);
  }

  /**
   * Per layer, its largest hidden files (a bounded heap each, so a layer of a million hidden files
   * costs little).
   */
  static List<List<Inventory.Hidden>> largestHidden(FileTree t) {
    List<java.util.PriorityQueue<dev.caulk.fs.HiddenFile>> heaps = new ArrayList<>();
    for (int i = 0; i < t.layers().size(); i++) {
      heaps.add(
          new java.util.PriorityQueue<>(
              java.util.Comparator.comparingLong(dev.caulk.fs.HiddenFile::size)));
    }
    for (dev.caulk.fs.HiddenFile h : t.hidden()) {
      if (h.size() <= 0 || h.layerIndex() < 0 || h.layerIndex() >= heaps.size()) continue;
      java.util.PriorityQueue<dev.caulk.fs.HiddenFile> q = heaps.get(h.layerIndex());
      q.add(h);
      if (q.size() > Inventory.LARGEST_HIDDEN) q.poll();
    }
    List<List<Inventory.Hidden>> out = new ArrayList<>();
    for (java.util.PriorityQueue<dev.caulk.fs.HiddenFile> q : heaps) {
      List<Inventory.Hidden> l = new ArrayList<>();
      for (dev.caulk.fs.HiddenFile h : q)
        l.add(new Inventory.Hidden(h.path(), h.size(), h.hiddenBy()));
      l.sort(
          java.util.Comparator.comparingLong(Inventory.Hidden::size)
              .reversed()
              .thenComparing(Inventory.Hidden::path));
      out.add(l);
    }
    return out;
  }

  /**
   * Programs live in a {@code bin} or {@code sbin} folder (any: {@code /opt/venv/bin/pip} counts)
   * or in a PATH folder; a file named {@code dpkg} under {@code /etc/cron.daily} is a script about
   * dpkg, not dpkg.
   */
  static boolean inProgramFolder(Node n, java.util.Set<String> pathFolders) {
    String parent = n.parent();
    if (parent == null) return false;
    String name = parent.substring(parent.lastIndexOf('/') + 1);
    return name.equals("bin") || name.equals("sbin") || pathFolders.contains(parent);
  }

  /** A regular file with an execute bit, or a symlink that leads to one inside the image. */
  static boolean executable(FileTree t, Node n) {
    Node target = n;
    if (n.isSymlink()) {
      Optional<Node> r = t.resolve(n.path());
      if (r.isEmpty()) return false;
      target = r.get();
    }
    return target.isRegular() && (target.mode() & 0111) != 0;
  }

  private static List<String> layerCreatedBy(AuditContext ctx) {
    int n = ctx.tree().layers().size();
    List<String> out = new ArrayList<>(java.util.Collections.nCopies(n, (String) null));
    for (HistoryLine h : ctx.history()) {
      if (h.layerIndex() >= 0 && h.layerIndex() < n)
        out.set(h.layerIndex(), ctx.mask(h.createdBy()));
    }
    return out;
  }

  static Inventory.AccountSummary accounts(Accounts a) {
    List<Inventory.Account> users = new ArrayList<>();
    List<String> uid0 = new ArrayList<>();
    List<String> login = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (Accounts.User u : a.users()) {
      String status = passwordStatus(a, u);
      users.add(new Inventory.Account(u.name(), u.uid(), u.gid(), u.home(), u.shell(), status));
      if (u.uid() == 0) uid0.add(u.name());
      if (u.loginShell()) login.add(u.name());
      if (status.equals("empty")) empty.add(u.name());
    }
    Set<String> listed = new HashSet<>(empty);
    for (Accounts.Shadow s : a.shadow()) {
      if (s.emptyPassword() && a.user(s.name()).isEmpty() && listed.add(s.name())) {
        empty.add(s.name());
      }
    }
    return new Inventory.AccountSummary(users, a.groups().size(), uid0, login, empty);
  }

  /**
   * {@code locked}, {@code empty}, {@code set} or {@code unknown}, from shadow when it has the
   * user.
   */
  static String passwordStatus(Accounts a, Accounts.User u) {
    Accounts.Shadow s = a.shadow(u.name()).orElse(null);
    if (s != null) {
      return s.emptyPassword() ? "empty" : s.locked() ? "locked" : "set";
    }
    String p = u.password();
    if (p.isEmpty()) return "empty";
    if (p.equals("x")) return "unknown";
    if (p.startsWith("*") || p.startsWith("!")) return "locked";
    return "set";
  }
}
