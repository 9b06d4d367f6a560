package dev.caulk.scan.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Finds packages of one kind in an image's merged file tree, fed one file at a time by a single
 * streaming pass over the layers. Catalogers are pure parsers: no file system, no image, no {@code
 * FileTree} type; the integrator wires them to the pass.
 *
 * <h2>Contract between the pass and a cataloger</h2>
 *
 * <ol>
 *   <li><b>Only final files.</b> The pass offers every regular file of the <em>final</em> merged
 *       tree, after whiteouts and opaque directories of later layers are applied, each path once,
 *       with its final content. A file deleted or replaced by a later layer is never offered, so
 *       "this file was deleted later" needs no handling here: a {@code /var/lib/dpkg/status}
 *       removed in the top layer simply never arrives, and a package whose {@code .list} survives
 *       without a status stanza is not reported. A hard link is offered as a regular file under its
 *       own path with its target's content. Symbolic links are neither offered nor followed; a
 *       cataloger that knows of an alias (such as {@code /etc/os-release → ../usr/lib/os-release})
 *       wants both paths.
 *   <li><b>Paths</b> are absolute, {@code /}-separated and normalised: no {@code .}, {@code ..} or
 *       empty segments, no trailing slash.
 *   <li><b>{@link #wants}</b> is called for every offered file, with its size and whether any
 *       execute bit is set, and must decide from those alone (no content). It is cheap and has no
 *       side effect other than remembering the path if useful.
 *   <li><b>{@link #accept}</b> is called exactly once for each file the cataloger wanted, with a
 *       stream at the file's first byte that yields at most {@code size} bytes. The cataloger may
 *       stop reading early; the pass skips the rest and closes the stream (the cataloger does not).
 *   <li><b>Any order.</b> Files arrive in layer and tar order, which says nothing about which comes
 *       first ({@code info/*.list} may precede {@code status}); relations between files are
 *       resolved in {@link #packages}, called once after the pass.
 *   <li><b>Errors.</b> {@code accept} throws {@link IOException} only when reading the stream
 *       itself fails (the layer is broken: the pass should stop). Content that is malformed,
 *       truncated or over a {@link CatalogLimits} bound becomes a {@link Problem} and the pass goes
 *       on.
 *   <li>A cataloger is used for one pass by one thread.
 * </ol>
 */
public interface Cataloger {
  /** A stable id, e.g. {@code dpkg-db}; it is {@link Package#cataloger()} of what it finds. */
  String name();

  /**
   * Whether the cataloger wants this file's content.
   *
   * @param absolutePath normalised absolute path in the final tree
   * @param size the file's size in bytes
   * @param executable true when any execute bit is set
   */
  boolean wants(String absolutePath, long size, boolean executable);

  /**
   * Reads one wanted file.
   *
   * @throws IOException only when reading {@code content} fails
   */
  void accept(String absolutePath, InputStream content, long size) throws IOException;

  /**
   * The packages found, sorted by {@link Package#ORDER}. Called once, after the pass.
   *
   * @param os the image's operating system (for purl namespace and {@code distro}); may be {@link
   *     OsRelease#UNKNOWN}
   */
  List<Package> packages(OsRelease os);

  /** Files that could not be (fully) read, and why. */
  List<Problem> problems();
}
