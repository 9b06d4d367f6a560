package dev.caulk.slim;

import dev.caulk.fs.Node;
import dev.caulk.mutate.TreeEntries;
import dev.caulk.tar.BuiltLayer;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a plan's result as one reproducible layer: the kept nodes of the tree (with their edits),
 * every directory on the way to them with its original attributes, and the added files, which
 * replace tree nodes of the same path. Whatever the layers hid is gone, since only the merged tree
 * is read; hard links stay hard links (the first kept path of an inode carries the bytes).
 */
final class LayerAssembler {
  /**
   * A file or directory the plan adds or rewrites.
   *
   * @param content the bytes of a file; null for a directory
   */
  record Added(String path, byte[] content, int mode, long uid, long gid) {
    boolean isDirectory() {
      return content == null;
    }
  }

  private LayerAssembler() {}

  /** Builds the layer; {@code edited} maps paths to the node to write instead of the tree's. */
  static BuiltLayer write(
      ImageFiles files,
      Set<String> kept,
      Map<String, Node> edited,
      Map<String, Added> added,
      Path tempDir,
      LayerFormat format,
      Instant mtime)
      throws IOException {
    files.fetch(kept);
    Set<String> ancestors = new HashSet<>();
    for (String p : kept) addAncestors(p, ancestors);
    for (String p : added.keySet()) addAncestors(p, ancestors);
    ReproducibleLayerBuilder b = new ReproducibleLayerBuilder(mtime);
    TreeEntries entries = new TreeEntries(b, files::ref, files::open);
    for (Node original : files.tree().walk()) {
      String p = original.path();
      if (added.containsKey(p)) continue;
      boolean keep = kept.contains(p) || (original.isDirectory() && ancestors.contains(p));
      if (!keep) continue;
      entries.add(edited.getOrDefault(p, original));
    }
    for (Added a : added.values()) {
      if (a.isDirectory()) b.directory(a.path(), a.mode(), a.uid(), a.gid());
      else b.file(a.path(), a.content(), a.mode(), a.uid(), a.gid());
    }
    return b.build(tempDir, format);
  }

  /** Adds the parent directories of a path (not the path itself). */
  static void addAncestors(String path, Set<String> into) {
    String p = ImagePaths.parent(path);
    while (into.add(p) && !p.equals("/")) p = ImagePaths.parent(p);
  }
}
