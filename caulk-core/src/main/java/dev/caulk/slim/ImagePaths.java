package dev.caulk.slim;

import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Path walks inside an image's tree that remember every symlink on the way, so that a kept path
 * stays reachable by the name the program uses ({@code /lib/x86_64-linux-gnu/libc.so.6} through
 * {@code /lib -> usr/lib}) and symlinks stay symlinks. Nothing leaves the image: absolute targets
 * restart at its root and {@code ..} stops there, as in the container.
 */
final class ImagePaths {
  /** Linux MAXSYMLINKS. */
  static final int MAX_HOPS = 40;

  /**
   * The end of a walk.
   *
   * @param links real paths of the symlinks followed, in order
   * @param target the real path reached, or null when the walk dangles, loops or crosses a
   *     non-directory
   */
  record Walk(List<String> links, String target) {}

  private ImagePaths() {}

  /** Follows every symlink of {@code path}, the last component included. */
  static Walk walk(FileTree tree, String path) {
    return walk(tree, path, true);
  }

  /**
   * Walks {@code path}; with {@code followLast} false the last component is not followed (lstat),
   * so a symlink there is the target itself.
   */
  static Walk walk(FileTree tree, String path, boolean followLast) {
    Deque<String> todo = new ArrayDeque<>(components(path));
    List<String> links = new ArrayList<>();
    String cur = "/";
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.equals(".")) continue;
      if (c.equals("..")) {
        cur = parent(cur);
        continue;
      }
      String next = join(cur, c);
      Optional<Node> n = tree.node(next);
      if (n.isEmpty()) return new Walk(links, null);
      Node node = n.get();
      if (node.isSymlink() && (followLast || !todo.isEmpty())) {
        if (++hops > MAX_HOPS) return new Walk(links, null);
        if (!links.contains(next)) links.add(next);
        List<String> t = components(node.linkTarget());
        for (int k = t.size() - 1; k >= 0; k--) todo.addFirst(t.get(k));
        if (node.linkTarget().startsWith("/")) cur = "/";
        continue;
      }
      if (!todo.isEmpty() && !node.isDirectory()) return new Walk(links, null);
      cur = next;
    }
    return new Walk(links, cur);
  }

  /** Normalises an absolute image path lexically: {@code //}, {@code .} and {@code ..} removed. */
  static String normalize(String path) {
    Deque<String> out = new ArrayDeque<>();
    for (String c : components(path)) {
      if (c.equals(".")) continue;
      if (c.equals("..")) {
        out.pollLast();
      } else {
        out.addLast(c);
      }
    }
    return out.isEmpty() ? "/" : "/" + String.join("/", out);
  }

  static String join(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  static String parent(String path) {
    if (path.equals("/")) return "/";
    int s = path.lastIndexOf('/');
    return s <= 0 ? "/" : path.substring(0, s);
  }

  /** True when {@code path} is {@code dir} or lies below it. */
  static boolean under(String path, String dir) {
    if (dir.equals("/")) return true;
    return path.equals(dir) || path.startsWith(dir + "/");
  }

  static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    if (path == null) return out;
    for (String c : path.split("/")) {
      if (!c.isEmpty()) out.add(c);
    }
    return out;
  }
}
