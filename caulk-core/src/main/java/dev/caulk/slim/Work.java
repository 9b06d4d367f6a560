package dev.caulk.slim;

import dev.caulk.event.EventListener;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.fs.Spool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state of one plan while it is computed: which tree paths are kept, which of them must never
 * be removed, edited nodes, added files and the change lines for the report.
 */
final class Work {
  final ImageFiles files;
  final FileTree tree;
  final EventListener log;

  /** Real tree paths written to the result (directories on the way are implied). */
  final Set<String> kept = new HashSet<>();

  /** Paths the entrypoint needs or the caller asked to keep: no removal step touches them. */
  final Set<String> protect = new HashSet<>();

  final Map<String, Node> edited = new TreeMap<>();
  final Map<String, LayerAssembler.Added> added = new TreeMap<>();
  final List<String> changes = new ArrayList<>();

  Work(ImageFiles files, EventListener log) {
    this.files = files;
    this.tree = files.tree();
    this.log = log;
  }

  /** Removes a kept path unless protected; true when it was removed. */
  boolean remove(String path) {
    if (protect.contains(path)) return false;
    return kept.remove(path);
  }

  /**
   * Removes a path and everything below it, sparing protected paths; returns how many were removed.
   */
  int removeTree(String path) {
    int n = 0;
    Optional<Node> root = tree.node(path);
    if (root.isEmpty()) return 0;
    List<String> todo = new ArrayList<>(List.of(path));
    while (!todo.isEmpty()) {
      String p = todo.remove(todo.size() - 1);
      if (remove(p) && !tree.node(p).map(Node::isDirectory).orElse(true)) n++;
      for (Node c : tree.children(p)) todo.add(c.path());
    }
    return n;
  }

  /** The node currently planned for a path: the edited one, else the tree's. */
  Optional<Node> node(String path) {
    Node e = edited.get(path);
    return e != null ? Optional.of(e) : tree.node(path);
  }

  /**
   * Whether a path as a package database names it ({@code /lib/x86_64-linux-gnu/libc.so.6}, through
   * {@code /lib -> usr/lib}) leads to a kept non-directory.
   */
  boolean fileRemains(String path) {
    String real = realPath(path);
    if (real == null || !kept.contains(real)) return false;
    return tree.node(real).map(n -> !n.isDirectory()).orElse(false);
  }

  /**
   * The kept directories and every directory on the way to a kept path: what the result's folders
   * will be.
   */
  Set<String> resultDirs() {
    Set<String> out = new HashSet<>();
    for (String k : kept) {
      LayerAssembler.addAncestors(k, out);
      if (tree.node(k).map(Node::isDirectory).orElse(false)) out.add(k);
    }
    for (String a : added.keySet()) LayerAssembler.addAncestors(a, out);
    return out;
  }

  /**
   * The real path of a path whose last component is not followed (lstat), or null when it does not
   * exist.
   */
  String realPath(String path) {
    return ImagePaths.walk(tree, path, false).target();
  }

  /**
   * The real path of a directory that may not exist yet: its longest existing ancestor resolved,
   * the rest appended.
   */
  String realDir(String dir) {
    ImagePaths.Walk w = ImagePaths.walk(tree, dir);
    if (w.target() != null) return w.target();
    String parent = ImagePaths.parent(dir);
    if (parent.equals(dir)) return dir;
    return ImagePaths.join(
        realDir(parent), ImagePaths.components(dir).get(ImagePaths.components(dir).size() - 1));
  }

  /** Content bytes and number of the regular files of the result, each inode once. */
  long[] totals() {
    Set<Long> seen = new HashSet<>();
    long files = 0;
    long bytes = 0;
    for (String p : kept) {
      if (added.containsKey(p)) continue;
      Optional<Spool.Ref> r = this.files.ref(p);
      if (r.isEmpty()) continue;
      files++;
      if (seen.add(r.get().id())) bytes += r.get().length();
    }
    for (LayerAssembler.Added a : added.values()) {
      if (a.isDirectory()) continue;
      files++;
      bytes += a.content().length;
    }
    return new long[] {files, bytes};
  }
}
