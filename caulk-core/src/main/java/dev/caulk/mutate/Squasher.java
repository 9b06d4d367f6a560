package dev.caulk.mutate;

import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.fs.Spool;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.io.TempFiles;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Squashing in one pass over the layers: a visitor spools every file's content to one temporary
 * file as the tree is built (the tree alone keeps no content), then the final tree is written with
 * {@link ReproducibleLayerBuilder} through {@link TreeEntries}, each file's bytes read back from
 * the spool.
 *
 * <p>Hard links are kept by content identity: every spooled version gets an id, a hard link
 * inherits its target's id when it is made, and paths of the final tree sharing an id become one
 * file plus links. A link whose target was later replaced keeps the old bytes, as the kernel would.
 */
final class Squasher {
  private Squasher() {}

  static Layer squashLayer(Image image, Mutate.SquashOptions o) throws IOException {
    Path spoolFile = TempFiles.register(Files.createTempFile(o.tempDir(), "squash-", ".spool"));
    try {
      Spool spool = new Spool(spoolFile);
      FileTree tree;
      try (spool) {
        tree =
            FileTree.build(
                image, FileTree.Options.defaults().withMaxContentBytes(Long.MAX_VALUE), spool);
      }
      try (FileChannel ch = FileChannel.open(spoolFile, StandardOpenOption.READ)) {
        ReproducibleLayerBuilder b = new ReproducibleLayerBuilder(o.mtime());
        Map<String, Spool.Ref> refs = spool.refs();
        TreeEntries entries =
            new TreeEntries(b, p -> Optional.ofNullable(refs.get(p)), r -> Spool.open(ch, r));
        for (Node n : tree.walk()) {
          entries.add(n);
        }
        return b.build(o.tempDir(), o.format()).layer();
      }
    } finally {
      TempFiles.discard(spoolFile);
    }
  }
}
