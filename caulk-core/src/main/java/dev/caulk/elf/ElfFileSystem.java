package dev.caulk.elf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only, symlink-aware view of a root file system (an image's merged tree, or a directory on
 * the host) in which libraries are resolved.
 *
 * <p>The contract is deliberately literal, like {@code lstat(2)} on a tree where no component is
 * followed: {@link #lookup} names exactly one entry, and a path that passes through a symlink or a
 * non-directory names nothing. Symlinks are interpreted by the resolver, not by the implementation,
 * so that (1) every symlink on the way to a library can be recorded and copied, and (2) absolute
 * targets are resolved against this root and {@code ..} stops at it, so nothing escapes.
 */
public interface ElfFileSystem {

  /**
   * Returns the entry at {@code absolutePath} without following any symlink.
   *
   * @param absolutePath a normalized absolute path: starts with {@code /}, no {@code .} or {@code
   *     ..} components, no empty components, no trailing slash (except {@code "/"} itself)
   * @return the entry, or empty when nothing is there, when a parent component is not a real
   *     directory (e.g. it is a symlink), or when the path is not normalized
   * @throws IOException if the underlying store fails (not for "not found")
   */
  Optional<Node> lookup(String absolutePath) throws IOException;

  /**
   * Lists the names of the entries directly inside a directory (used for {@code include} globs in
   * {@code /etc/ld.so.conf}). Same literal rules as {@link #lookup}.
   *
   * @return the names (no order promised), or an empty list when there is no such directory
   * @throws IOException if the underlying store fails
   */
  List<String> list(String absoluteDirectory) throws IOException;

  /**
   * A view of a host directory as the root {@code /}. Lookups never leave {@code root}: no
   * component below it is followed by the operating system, and the last component is opened
   * without following.
   *
   * @throws IOException if {@code root} is not an existing directory
   */
  static ElfFileSystem ofHostRoot(Path root) throws IOException {
    return new HostRoot(root);
  }

  /** The kinds of entries: a closed set, so resolvers can switch over them exhaustively. */
  sealed interface Node permits Directory, Symlink, RegularFile, Other {}

  /** A directory. */
  record Directory() implements Node {}

  /**
   * A symbolic link.
   *
   * @param target the link text as stored (absolute targets are relative to the view's root)
   */
  record Symlink(String target) implements Node {
    /** Checks for null. */
    public Symlink {
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * A regular file (a hard link is presented as the regular file it links to).
   *
   * @param size the length in bytes
   * @param opener opens the content for random access; each call returns a new source to close
   */
  record RegularFile(long size, Opener opener) implements Node {
    /** Checks for null. */
    public RegularFile {
      Objects.requireNonNull(opener, "opener");
    }

    /**
     * Opens the content.
     *
     * @throws IOException if the content cannot be opened
     */
    public ElfSource open() throws IOException {
      return opener.open();
    }
  }

  /** Anything else (device, FIFO, socket): never a library. */
  record Other() implements Node {}

  /** Opens a regular file's content. */
  @FunctionalInterface
  interface Opener {
    /**
     * Opens a new random-access source over the file's bytes.
     *
     * @throws IOException if the content cannot be opened
     */
    ElfSource open() throws IOException;
  }
}
