package dev.caulk.fs;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives file contents during {@link FileTree#build(dev.caulk.image.Image, FileTree.Options,
 * ContentVisitor)}, while each layer streams: the only time content is available, since a tree
 * keeps metadata only and reading a file afterwards would mean reading its layer again.
 *
 * <p>The build calls {@link #wants} for every regular-file entry of every layer, in layer order and
 * tar order, and {@link #accept} with the first {@link FileTree.Options#maxContentBytes()} bytes if
 * it returned true. At that moment nobody knows whether a later layer deletes or replaces the file,
 * so the node carries its {@link Node#layerIndex()}: after the build, compare with the tree ({@code
 * tree.node(path)}) to tell final content from content that only ships hidden (a secret deleted in
 * a later layer is still extractable: report both). {@link CapturingVisitor} does this
 * reconciliation for the common "give me these files' final content" case.
 *
 * <p>Calls come from the building thread, one at a time. An exception aborts the build.
 */
public interface ContentVisitor {
  /**
   * Whether the visitor wants the content of this file entry. Keep it cheap: it is called for every
   * file of every layer.
   */
  boolean wants(Node file);

  /**
   * Receives the content of a wanted file: at most {@code maxContentBytes} bytes ({@code
   * file.size()} says whether that is all of it). The stream is valid only during the call.
   */
  void accept(Node file, InputStream content) throws IOException;

  /**
   * A hard link was added; {@code link.linkTarget()} names the file whose content it shares (as
   * that content was when the link was made). Default: nothing.
   */
  default void linked(Node link) throws IOException {}

  /** A layer has been read completely (and verified). Default: nothing. */
  default void layerDone(int layerIndex) throws IOException {}
}
