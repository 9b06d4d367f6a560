package dev.caulk.fs;

import dev.caulk.image.Layer;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.InvalidLayerException;
import dev.caulk.tar.TarEntries;
import dev.caulk.tar.TarEntry;
import dev.caulk.tar.TarReader;
import dev.caulk.tar.Whiteouts;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The single streaming pass behind {@link FileTree#build}: applies each layer's entries to the tree
 * as the tar streams (layer.md "Applying Changesets"), offering file contents to a visitor.
 */
final class TreeBuilder {
  /**
   * Read-ahead chunks: reading, verifying and decompressing a layer run on a second core while tar
   * parses.
   */
  private static final int CHUNK = 1 << 20;

  private static final int CHUNKS = 4;
  final TreeNode root = new TreeNode("", null, dir("/", 0755, 0, 0, -1), -1);
  final List<HiddenFile> hidden = new ArrayList<>();
  final List<long[]> counts = new ArrayList<>();
  private final FileTree.Options options;
  private final @Nullable ContentVisitor visitor;
  private long entries;
  long nodes = 1;
  private @Nullable String what;

  TreeBuilder(FileTree.Options options, @Nullable ContentVisitor visitor) {
    this.options = options;
    this.visitor = visitor;
  }

  /** Extended-attribute bytes kept so far, over all layers: one image-wide budget. */
  private long xattrBytes;

  void layer(int index, Layer layer) throws IOException {
    what = "layer " + layer.digest().shortString();
    long n = 0;
    long files = 0;
    long fileBytes = 0;
    long tarBytes;
    try (InputStream in =
            new ReadAhead(layer.uncompressed(), CHUNK, CHUNKS, "caulk read-ahead " + what);
        TarReader r = TarEntries.reader(in, what, options.maxLayerBytes())) {
      for (TarEntry e; (e = r.next()) != null; ) {
        n++;
        if (++entries > options.maxEntries()) {
          throw new InvalidLayerException(
              what
                  + ": more than "
                  + options.maxEntries()
                  + " entries in the image (limit reached)");
        }
        if (!e.xattrs().isEmpty()) {
          for (java.util.Map.Entry<String, String> x : e.xattrs().entrySet())
            xattrBytes += x.getKey().length() + x.getValue().length();
          if (xattrBytes > options.maxXattrBytes()) {
            throw new InvalidLayerException(
                what
                    + ": more than "
                    + options.maxXattrBytes()
                    + " bytes of extended attributes (PAX xattr records) in the image (limit reached)");
          }
        }
        if (e.type() == EntryType.FILE) {
          files++;
          fileBytes += e.size();
        }
        apply(e, index, r);
      }
      tarBytes = r.bytesRead();
    }
    counts.add(new long[] {n, files, fileBytes, tarBytes});
    if (visitor != null) visitor.layerDone(index);
  }

  /**
   * A layer given by the entries its writer put in it, read from nowhere: what a builder knows of a
   * layer it has just written. Contents are not offered to the visitor.
   */
  void listed(int index, Layer layer, List<TarEntry> listing) throws IOException {
    what = "layer " + layer.digest().shortString();
    long files = 0;
    long fileBytes = 0;
    for (TarEntry e : listing) {
      if (++entries > options.maxEntries()) {
        throw new InvalidLayerException(
            what + ": more than " + options.maxEntries() + " entries in the image (limit reached)");
      }
      if (e.type() == EntryType.FILE) {
        files++;
        fileBytes += e.size();
      }
      apply(e, index, null);
    }
    counts.add(new long[] {listing.size(), files, fileBytes, 0});
    if (visitor != null) visitor.layerDone(index);
  }

  private void apply(TarEntry e, int i, @Nullable TarReader r) throws IOException {
    String name = e.name();
    switch (Whiteouts.kind(name)) {
      case META -> {
        return;
      }
      case INVALID ->
          throw new InvalidLayerException(what + ": invalid whiteout " + TarEntries.quote(name));
      case OPAQUE -> {
        pruneChildren(ensureDir(Whiteouts.target(name), i), i);
        return;
      }
      case WHITEOUT -> {
        String t = Whiteouts.target(name);
        TreeNode parent = existing(TarEntries.parent(t));
        if (parent != null && parent.isDir()) {
          TreeNode c = parent.child(TarEntries.basename(t));
          if (c != null && !prune(c, i)) parent.remove(c.name);
        }
        return;
      }
      case NONE -> {}
    }
    if (name.isEmpty()) {
      if (e.type() != EntryType.DIR)
        throw new InvalidLayerException(what + ": the root entry is not a directory");
      root.node = node("/", e, i);
      root.touched = i;
      return;
    }
    String path = "/" + name;
    Node fresh;
    if (e.type() == EntryType.HARDLINK) {
      String linkTarget =
          Objects.requireNonNull(e.linkTarget(), "the tar reader gives a hard link a target");
      if (linkTarget.equals(name))
        throw new InvalidLayerException(
            what + ": hard link " + TarEntries.quote(name) + " points to itself");
      TreeNode t = existing(linkTarget);
      if (t == null || !t.node.isRegular()) {
        throw new InvalidLayerException(
            what
                + ": hard link "
                + TarEntries.quote(name)
                + " points to "
                + TarEntries.quote(e.linkTarget())
                + ", which is not a regular file");
      }
      Node tn = t.node;
      fresh =
          new Node(
              path,
              EntryType.HARDLINK,
              tn.mode(),
              tn.uid(),
              tn.gid(),
              tn.size(),
              "/" + e.linkTarget(),
              tn.xattrs(),
              i,
              0,
              0);
    } else {
      fresh = node(path, e, i);
    }
    TreeNode parent = ensureDir(TarEntries.parent(name), i);
    String base = TarEntries.basename(name);
    TreeNode old = parent.child(base);
    if (old != null) {
      if (old.isDir() && e.type() == EntryType.DIR) {
        old.node = fresh;
        old.touched = i;
        return;
      }
      removeSubtree(old, i);
      parent.remove(base);
    }
    parent.put(new TreeNode(base, parent, fresh, i));
    countNode();
    if (visitor != null && r != null) {
      if (e.type() == EntryType.FILE && visitor.wants(fresh)) {
        visitor.accept(fresh, new BoundedInputStream(r.content(), options.maxContentBytes()));
      } else if (e.type() == EntryType.HARDLINK) {
        visitor.linked(fresh);
      }
    }
  }

  /**
   * The directory at {@code name}, created (0755 0:0) or replacing a non-directory as needed; marks
   * the path touched.
   */
  private TreeNode ensureDir(String name, int i) throws InvalidLayerException {
    TreeNode cur = root;
    if (name.isEmpty()) return cur;
    int start = 0;
    while (start <= name.length()) {
      int slash = name.indexOf('/', start);
      int end = slash < 0 ? name.length() : slash;
      String c = name.substring(start, end);
      TreeNode next = cur.child(c);
      if (next == null || !next.isDir()) {
        if (next != null) {
          removeSubtree(next, i);
          cur.remove(c);
        }
        next = new TreeNode(c, cur, dir("/" + name.substring(0, end), 0755, 0, 0, i), i);
        cur.put(next);
        countNode();
      }
      next.touched = i;
      cur = next;
      start = end + 1;
    }
    return cur;
  }

  /** The node at a normalised name, without following symlinks; null if absent. */
  @Nullable TreeNode existing(String name) {
    TreeNode cur = root;
    if (name.isEmpty()) return cur;
    for (String c : name.split("/")) {
      cur = cur.child(c);
      if (cur == null) return null;
    }
    return cur;
  }

  /**
   * Whiteout semantics: removes what lower layers left below (and at) {@code n}; true if {@code n}
   * stays.
   */
  private boolean prune(TreeNode n, int i) {
    if (n.touched < i) {
      removeSubtree(n, i);
      return false;
    }
    pruneChildren(n, i);
    return true;
  }

  private void pruneChildren(TreeNode n, int i) {
    if (!n.hasChildren()) return;
    for (Iterator<TreeNode> it = n.children().iterator(); it.hasNext(); ) {
      if (!prune(it.next(), i)) it.remove();
    }
  }

  /**
   * Records every non-directory below and at {@code n} as hidden by layer {@code by}; the caller
   * unlinks {@code n}.
   */
  private void removeSubtree(TreeNode n, int by) {
    Deque<TreeNode> todo = new ArrayDeque<>();
    todo.push(n);
    while (!todo.isEmpty()) {
      TreeNode t = todo.pop();
      nodes--;
      Node x = t.node;
      if (x.isDirectory()) {
        for (TreeNode c : t.children()) todo.push(c);
      } else {
        hidden.add(
            new HiddenFile(
                x.path(), x.type(), x.type() == EntryType.FILE ? x.size() : 0, x.layerIndex(), by));
      }
    }
  }

  private void countNode() throws InvalidLayerException {
    if (++nodes > options.maxEntries()) {
      throw new InvalidLayerException(
          what + ": more than " + options.maxEntries() + " paths in the image (limit reached)");
    }
  }

  private static Node node(String path, TarEntry e, int i) {
    long size = e.type() == EntryType.FILE ? e.size() : 0;
    return new Node(
        path,
        e.type(),
        e.mode(),
        e.uid(),
        e.gid(),
        size,
        e.linkTarget(),
        e.xattrs(),
        i,
        e.devMajor(),
        e.devMinor());
  }

  private static Node dir(String path, int mode, long uid, long gid, int i) {
    return new Node(path, EntryType.DIR, mode, uid, gid, 0, null, Map.of(), i, 0, 0);
  }
}
