package dev.caulk.fs;

import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A mutable node of the tree while it is built, and its index afterwards: the public {@link Node},
 * the children of a directory by name, and {@code touched}, the last layer that wrote this path or
 * something below it (whiteouts of layer N spare whatever layer N itself touched).
 */
final class TreeNode {
  final String name;
  final @Nullable TreeNode parent;
  Node node;
  int touched;
  private @Nullable TreeMap<String, TreeNode> children;

  TreeNode(String name, @Nullable TreeNode parent, Node node, int touched) {
    this.name = name;
    this.parent = parent;
    this.node = node;
    this.touched = touched;
  }

  boolean isDir() {
    return node.isDirectory();
  }

  @Nullable TreeNode child(String n) {
    return children == null ? null : children.get(n);
  }

  void put(TreeNode c) {
    if (children == null) children = new TreeMap<>();
    children.put(c.name, c);
  }

  void remove(String n) {
    if (children != null) children.remove(n);
  }

  /** Children in name order; a view, not to be modified while iterating elsewhere. */
  Iterable<TreeNode> children() {
    return children == null ? java.util.List.of() : children.values();
  }

  boolean hasChildren() {
    return children != null && !children.isEmpty();
  }
}
