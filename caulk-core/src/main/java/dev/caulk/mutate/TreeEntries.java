package dev.caulk.mutate;

import dev.caulk.fs.Node;
import dev.caulk.fs.Spool;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes nodes of a merged file tree as the entries of one reproducible layer: the one way the
 * files of an image become a layer again, for squash (every node) and for harden and slim (the
 * nodes they keep, with their edits). A file's bytes are read from where they were spooled; paths
 * sharing a spooled version (hard links, by content identity) become one file plus hard links to
 * the first of them written; the root directory is left implicit when it has the default {@code
 * 0755 0:0} and no extended attributes. Nodes must come in tree order (parents first).
 */
public final class TreeEntries {
  /** Opens a spooled version of a file; the layer builder closes the stream. */
  @FunctionalInterface
  public interface Opener {
    InputStream open(Spool.Ref ref) throws IOException;
  }

  private final ReproducibleLayerBuilder builder;
  private final Function<String, Optional<Spool.Ref>> refs;
  private final Opener opener;
  private final Map<Long, String> firstPath = new HashMap<>();

  /**
   * @param builder the layer the entries go to
   * @param refs the spooled version of the file at a path (empty: none was spooled)
   * @param opener opens a spooled version when the layer is written
   */
  public TreeEntries(
      ReproducibleLayerBuilder builder, Function<String, Optional<Spool.Ref>> refs, Opener opener) {
    this.builder = builder;
    this.refs = refs;
    this.opener = opener;
  }

  /**
   * Adds {@code n} at its path.
   *
   * @throws IllegalStateException when a file or hard link has no spooled version
   */
  public void add(Node n) {
    String p = n.path();
    switch (n.type()) {
      case DIR -> {
        if (p.equals("/")
            && n.mode() == 0755
            && n.uid() == 0
            && n.gid() == 0
            && n.xattrs().isEmpty()) {
          return;
        }
        builder.directory(p, n.mode(), n.uid(), n.gid());
      }
      case FILE, HARDLINK -> {
        Spool.Ref r =
            refs.apply(p)
                .orElseThrow(() -> new IllegalStateException("no spooled content for " + p));
        String first = firstPath.putIfAbsent(r.id(), p);
        if (first != null) {
          builder.hardlink(p, first);
          return;
        }
        builder.file(p, r.length(), () -> opener.open(r), n.mode(), n.uid(), n.gid());
      }
      case SYMLINK -> builder.symlink(p, n.linkTarget(), n.uid(), n.gid());
      case CHAR_DEVICE, BLOCK_DEVICE, FIFO ->
          builder.special(p, n.type(), n.mode(), n.uid(), n.gid(), n.devMajor(), n.devMinor());
    }
    if (!n.xattrs().isEmpty()) {
      builder.xattrs(p, n.xattrs());
    }
  }
}
