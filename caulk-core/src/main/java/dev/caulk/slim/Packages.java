package dev.caulk.slim;

import dev.caulk.fs.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package metadata step of both verbs: decide which packages remain (a payload file of theirs
 * is kept), drop the rest, and write the metadata of the remaining ones distroless style ({@code
 * /var/lib/dpkg/status.d/<package>} with its {@code .md5sums}; apk's {@code installed} reduced to
 * what remains), so that a scanner sees exactly what is left.
 */
final class Packages {
  /** The outcome: names kept and dropped, sorted. */
  record Outcome(List<String> kept, List<String> dropped) {}

  private Packages() {}

  static Outcome apply(Work w, Summary.Verb verb) throws IOException {
    PackageDb db;
    try {
      db =
          PackageDb.read(
              new PackageDb.Reader() {
                @Override
                public Optional<byte[]> read(String path, int max) throws IOException {
                  return w.files.read(path, max);
                }

                @Override
                public List<String> list(String dir) {
                  String real = ImagePaths.walk(w.tree, dir).target();
                  List<String> out = new ArrayList<>();
                  if (real != null) for (Node c : w.tree.children(real)) out.add(c.name());
                  return out;
                }
              });
    } catch (RuntimeException e) {
      throw new SlimException("cannot read the image's package database: " + e.getMessage(), e);
    }
    if (db.packages().isEmpty()) return new Outcome(List.of(), List.of());
    if (verb == Summary.Verb.HARDEN) removeManagerPackages(w, db);
    List<PackageDb.Pkg> remaining = db.remaining(w::fileRemains);
    Set<PackageDb.Pkg> remains =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    remains.addAll(remaining);
    if (verb == Summary.Verb.HARDEN) {
      Set<String> owned = new java.util.HashSet<>();
      for (PackageDb.Pkg p : remaining) {
        for (String f : p.files()) {
          String real = w.realPath(f);
          if (real != null) owned.add(real);
        }
      }
      int n = 0;
      for (PackageDb.Pkg p : db.packages()) {
        if (remains.contains(p)) continue;
        for (String f : p.files()) {
          String real = w.realPath(f);
          if (real != null
              && !owned.contains(real)
              && !w.tree.node(real).map(Node::isDirectory).orElse(true)
              && w.remove(real)) n++;
        }
      }
      if (n > 0)
        w.changes.add(
            "removed "
                + n
                + " leftover files (documentation, translations) of packages no longer declared");
    } else {
      for (PackageDb.Pkg p : remaining) {
        if (p.kind().equals("dpkg")) keepCopyright(w, "/usr/share/doc/" + p.name() + "/copyright");
      }
    }
    write(w, db, remaining);
    Set<String> kept = new TreeSet<>();
    for (PackageDb.Pkg p : remaining) kept.add(p.name());
    Set<String> dropped = new TreeSet<>();
    for (PackageDb.Pkg p : db.packages()) {
      if (!kept.contains(p.name())) dropped.add(p.name());
    }
    w.changes.add(
        "package metadata declares "
            + kept.size()
            + " of "
            + db.packages().size()
            + " packages"
            + (dropped.isEmpty() ? "" : " (dropped: " + shortList(dropped) + ")"));
    return new Outcome(new ArrayList<>(kept), new ArrayList<>(dropped));
  }

  /** Packages that ship a package manager program go whole: apt, dpkg, apk-tools, python3-pip… */
  private static void removeManagerPackages(Work w, PackageDb db) {
    List<String> names = new ArrayList<>();
    int n = 0;
    for (PackageDb.Pkg p : db.packages()) {
      boolean manager = Names.isPackageManagerPackage(p.name());
      for (String f : p.files()) {
        if (manager) break;
        if (Names.isPackageManager(Entrypoint.baseName(f))) {
          String real = w.realPath(f);
          manager =
              real != null && w.tree.node(real).map(x -> Hardening.executable(w, x)).orElse(false);
        }
      }
      if (!manager) continue;
      names.add(p.name());
      for (String f : p.files()) {
        String real = w.realPath(f);
        if (real != null
            && !w.tree.node(real).map(Node::isDirectory).orElse(true)
            && w.remove(real)) n++;
      }
    }
    if (!names.isEmpty())
      w.changes.add(
          "removed package managers " + String.join(", ", names) + " (" + n + " more files)");
  }

  private static void keepCopyright(Work w, String path) {
    ImagePaths.Walk walk = ImagePaths.walk(w.tree, path);
    if (walk.target() == null) return;
    w.kept.addAll(walk.links());
    w.kept.add(walk.target());
  }

  /**
   * Replaces the databases: status.d for dpkg (nothing else under /var/lib/dpkg), the reduced apk
   * installed file.
   */
  private static void write(Work w, PackageDb db, List<PackageDb.Pkg> remaining) {
    String dpkg = w.realDir(PackageDb.DPKG);
    for (String k : new ArrayList<>(w.kept)) {
      if (ImagePaths.under(k, dpkg)) w.kept.remove(k);
    }
    Map<String, byte[]> statusD = PackageDb.statusD(remaining, w::fileRemains);
    String statusDir = w.realDir(PackageDb.STATUS_D);
    if (!statusD.isEmpty())
      w.added.put(statusDir, new LayerAssembler.Added(statusDir, null, 0755, 0, 0));
    statusD.forEach(
        (path, bytes) -> {
          String p = ImagePaths.join(statusDir, path.substring(PackageDb.STATUS_D.length() + 1));
          w.added.put(p, new LayerAssembler.Added(p, bytes, 0644, 0, 0));
        });
    if (db.apkDb() != null) {
      String dir = w.realDir(ImagePaths.parent(db.apkDb()));
      for (String k : new ArrayList<>(w.kept)) {
        if (ImagePaths.under(k, dir) && !k.equals(dir)) w.kept.remove(k);
      }
      Set<String> dirs = w.resultDirs();
      byte[] installed =
          PackageDb.apkInstalled(
              remaining,
              w::fileRemains,
              d -> {
                String real = w.realPath(d);
                return real != null && dirs.contains(real);
              });
      String p = ImagePaths.join(dir, "installed");
      w.added.put(p, new LayerAssembler.Added(p, installed, 0644, 0, 0));
    }
  }

  private static String shortList(Set<String> names) {
    List<String> l = new ArrayList<>(names);
    return String.join(", ", l.subList(0, Math.min(12, l.size())))
        + (l.size() > 12 ? ", … " + (l.size() - 12) + " more" : "");
  }
}
