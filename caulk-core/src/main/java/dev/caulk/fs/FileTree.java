package dev.caulk.fs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.TarEntries;
import dev.caulk.tar.TarEntry;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The merged filesystem of an image: what a container started from it sees, with each path's
 * metadata and the layer that last wrote it, plus what the layers ship that nobody sees.
 *
 * <p>Built in one streaming pass ({@link #build(Image, Options, ContentVisitor)}): each layer's
 * {@code uncompressed()} stream is read once, in order, and applied entry by entry following
 * layer.md: a later entry replaces an earlier one (two directories merge attributes; anything else
 * replaces the whole subtree), {@code .wh.NAME} deletes a lower path and its descendants, {@code
 * .wh..wh..opq} hides a directory's lower children, and neither touches entries of its own layer. A
 * path below a non-directory (for example below a lower layer's symlink) turns that ancestor into a
 * directory, as overlayfs does when each layer is unpacked on its own; symlinks are never followed
 * while building. Memory grows with the number of paths, never with file sizes.
 *
 * <p>File contents are not kept. Consumers that need bytes (secret scanners, package catalogers
 * reading {@code /var/lib/dpkg/status}, ELF readers) take them during the pass through a {@link
 * ContentVisitor}; reading a file after the build would mean streaming its layer again, which this
 * class deliberately does not offer.
 *
 * <p>Immutable after the build and safe to share between threads.
 */
public final class FileTree {
  private final TreeNode root;
  private final List<HiddenFile> hidden;
  private final List<LayerStats> layers;
  private final int size;
  private final int maxHops;

  /**
   * Bounds for building a tree from untrusted layers.
   *
   * @param maxEntries tar entries over all layers, and paths in the tree, before failing
   * @param maxContentBytes the most bytes of one file a {@link ContentVisitor} receives
   * @param maxLayerBytes uncompressed bytes of one layer before failing (decompression bombs)
   * @param maxSymlinkHops symlinks followed by one {@link #resolve} (Linux allows 40)
   * @param maxXattrBytes extended-attribute bytes (names and values) over all entries of all
   *     layers, before failing
   */
  public record Options(
      long maxEntries,
      long maxContentBytes,
      long maxLayerBytes,
      int maxSymlinkHops,
      long maxXattrBytes) {
    /**
     * Default budget of extended-attribute bytes (names and values) over all entries of all layers.
     */
    public static final long DEFAULT_MAX_XATTR_BYTES = 32L << 20;

    public Options {
      if (maxEntries <= 0
          || maxContentBytes < 0
          || maxLayerBytes <= 0
          || maxSymlinkHops < 0
          || maxXattrBytes < 0) {
        throw new IllegalArgumentException("invalid file tree limits");
      }
    }

    public Options(long maxEntries, long maxContentBytes, long maxLayerBytes, int maxSymlinkHops) {
      this(maxEntries, maxContentBytes, maxLayerBytes, maxSymlinkHops, DEFAULT_MAX_XATTR_BYTES);
    }

    /**
     * Two million entries, 1 MiB of content per visited file, 64 GiB per layer, 40 symlink hops, 32
     * MiB of extended attributes in the whole image (the tree keeps them; a PAX header may carry 1
     * MiB per entry).
     */
    public static Options defaults() {
      return new Options(2_000_000, 1 << 20, TarEntries.DEFAULT_MAX_BYTES, 40);
    }

    /** A copy with another image-wide budget of extended-attribute bytes. */
    public Options withMaxXattrBytes(long max) {
      return new Options(maxEntries, maxContentBytes, maxLayerBytes, maxSymlinkHops, max);
    }

    /** A copy with another per-file content cap for visitors. */
    public Options withMaxContentBytes(long max) {
      return new Options(maxEntries, max, maxLayerBytes, maxSymlinkHops, maxXattrBytes);
    }

    /** A copy with another entry/path bound. */
    public Options withMaxEntries(long max) {
      return new Options(max, maxContentBytes, maxLayerBytes, maxSymlinkHops, maxXattrBytes);
    }

    /** A copy with another per-layer uncompressed-bytes bound. */
    public Options withMaxLayerBytes(long max) {
      return new Options(maxEntries, maxContentBytes, max, maxSymlinkHops, maxXattrBytes);
    }
  }

  private FileTree(TreeBuilder b, List<LayerStats> layers, int maxHops) {
    this.root = b.root;
    this.hidden = Collections.unmodifiableList(b.hidden);
    this.layers = List.copyOf(layers);
    this.size = (int) b.nodes;
    this.maxHops = maxHops;
  }

  /** The tree of an image with default options and no content visitor. */
  public static FileTree build(Image image) throws IOException {
    return build(image, Options.defaults(), null);
  }

  /** The tree of an image, without a content visitor. */
  public static FileTree build(Image image, Options options) throws IOException {
    return build(image, options, null);
  }

  /**
   * The tree of an image, reading each layer once, in order, and offering regular files to the
   * visitor as they stream.
   *
   * @param visitor receives file contents during the pass; may be null
   * @throws dev.caulk.tar.InvalidLayerException for a hostile or corrupt layer or a limit reached
   * @throws dev.caulk.digest.DigestMismatchException when a layer does not match its digest
   */
  public static FileTree build(Image image, Options options, @Nullable ContentVisitor visitor)
      throws IOException {
    return build(image, Map.of(), options, visitor);
  }

  /**
   * The tree of an image whose layers are partly known by their entries (a builder's own layers,
   * keyed by layer digest): those are applied from the listing without reading a byte, the others
   * are read as {@link #build(Image, Options, ContentVisitor)} reads them. The visitor sees the
   * contents of read layers only.
   */
  public static FileTree build(
      Image image,
      Map<Digest, List<TarEntry>> listings,
      Options options,
      @Nullable ContentVisitor visitor)
      throws IOException {
    List<Layer> ls = image.layers();
    TreeBuilder b = new TreeBuilder(options, visitor);
    for (int i = 0; i < ls.size(); i++) {
      List<TarEntry> listing = listings.get(ls.get(i).digest());
      if (listing == null) {
        b.layer(i, ls.get(i));
      } else {
        b.listed(i, ls.get(i), listing);
      }
    }
    long[] hiddenFiles = new long[ls.size()];
    long[] hiddenBytes = new long[ls.size()];
    for (HiddenFile h : b.hidden) {
      hiddenFiles[h.layerIndex()]++;
      hiddenBytes[h.layerIndex()] += h.size();
    }
    List<LayerStats> stats = new ArrayList<>();
    for (int i = 0; i < ls.size(); i++) {
      long[] c = b.counts.get(i);
      stats.add(
          new LayerStats(
              i, ls.get(i).digest(), c[0], c[1], c[2], c[3], hiddenFiles[i], hiddenBytes[i]));
    }
    return new FileTree(b, stats, options.maxSymlinkHops());
  }

  /** The root directory. */
  public Node root() {
    return root.node;
  }

  /** The node at a path ({@code /etc/passwd} or {@code etc/passwd}), not following symlinks. */
  public Optional<Node> node(String path) {
    TreeNode t = find(path);
    return t == null ? Optional.empty() : Optional.of(t.node);
  }

  /** Whether anything exists at the path (a dangling symlink counts). */
  public boolean exists(String path) {
    return find(path) != null;
  }

  /** The children of a directory in name order; empty if the path is not a directory. */
  public List<Node> children(String dir) {
    TreeNode t = find(dir);
    if (t == null || !t.isDir()) return List.of();
    List<Node> out = new ArrayList<>();
    for (TreeNode c : t.children()) out.add(c.node);
    return out;
  }

  /**
   * The node a path leads to inside the image, following symlinks in every component as the kernel
   * would inside the container: relative targets from the link's directory, absolute ones from the
   * image root, {@code ..} never above the root. Empty when the path does not exist, a link
   * dangles, a non-directory is traversed, or more than {@link Options#maxSymlinkHops()} links are
   * followed (a loop). The host filesystem is never consulted.
   */
  public Optional<Node> resolve(String path) {
    Deque<String> todo = new ArrayDeque<>(split(path));
    TreeNode cur = root;
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) {
        if (cur.parent != null) cur = cur.parent;
        continue;
      }
      if (!cur.isDir()) return Optional.empty();
      TreeNode next = cur.child(c);
      if (next == null) return Optional.empty();
      if (next.node.type() == EntryType.SYMLINK) {
        if (++hops > maxHops) return Optional.empty();
        String target =
            Objects.requireNonNull(next.node.linkTarget(), "a symlink node has a target");
        List<String> tc = split(target);
        for (int k = tc.size() - 1; k >= 0; k--) todo.addFirst(tc.get(k));
        if (target.startsWith("/")) cur = root;
        continue;
      }
      cur = next;
    }
    return Optional.of(cur.node);
  }

  /** Every node, depth first, parents before children, siblings in name order; the root first. */
  public List<Node> walk() {
    List<Node> out = new ArrayList<>(size);
    Deque<TreeNode> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      TreeNode t = todo.pop();
      out.add(t.node);
      if (t.hasChildren()) {
        List<TreeNode> cs = new ArrayList<>();
        for (TreeNode c : t.children()) cs.add(c);
        for (int k = cs.size() - 1; k >= 0; k--) todo.push(cs.get(k));
      }
    }
    return out;
  }

  /** Number of paths, the root included. */
  public int size() {
    return size;
  }

  /** Entries the layers ship that no container sees, in the order they were hidden. */
  public List<HiddenFile> hidden() {
    return hidden;
  }

  /** Content bytes of all {@link #hidden()} entries: what the image ships in vain. */
  public long hiddenBytes() {
    long sum = 0;
    for (HiddenFile h : hidden) sum += h.size();
    return sum;
  }

  /** Per-layer figures, base layer first. */
  public List<LayerStats> layers() {
    return layers;
  }

  private @Nullable TreeNode find(String path) {
    TreeNode cur = root;
    for (String c : split(path)) {
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) return null;
      cur = cur.child(c);
      if (cur == null) return null;
    }
    return cur;
  }

  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    if (path == null) return out;
    int i = 0;
    while (i <= path.length()) {
      int s = path.indexOf('/', i);
      int e = s < 0 ? path.length() : s;
      if (e > i) out.add(path.substring(i, e));
      i = e + 1;
    }
    return out;
  }
}
