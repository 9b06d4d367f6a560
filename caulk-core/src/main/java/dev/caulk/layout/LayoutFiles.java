package dev.caulk.layout;

import dev.caulk.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file-system side of a layout: every path is derived from a validated {@link Digest} or a
 * fixed name, and every file read or replaced is checked (through {@link Path#toRealPath}) to lie
 * inside the layout, so a symlinked {@code blobs} directory or blob cannot make caulk read or
 * write elsewhere. New files are written to a hidden temp file in the layout's root and renamed
 * into place, so readers never see half a file.
 */
final class LayoutFiles {
  static final String TEMP_PREFIX = ".caulk-";
  private final Path root;
  private final String what;

  /** @param root the layout directory's real path */
  LayoutFiles(Path root, String what) {
    this.root = root;
    this.what = what;
  }

  Path root() {
    return root;
  }

  /** {@code blobs/<algorithm>/<hex>}: built from a validated digest only. */
  Path blobPath(Digest d) {
    return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  /**
   * The real path of an existing regular file inside the layout, or null when nothing is there.
   *
   * @throws InvalidLayoutException when the path resolves outside the layout or is not a file
   */
  Path existing(Path p, String label) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return null;
    Path real;
    try {
      real = p.toRealPath();
    } catch (NoSuchFileException e) {
      throw new InvalidLayoutException(what + ": " + label + " is a dangling symlink");
    }
    if (!real.startsWith(root)) {
      throw new InvalidLayoutException(what + ": " + label + " resolves outside the layout (symlink); refusing to use it");
    }
    if (!Files.isRegularFile(real)) throw new InvalidLayoutException(what + ": " + label + " is not a regular file");
    return real;
  }

  /** Reads a small file whole, refusing more than {@code max} bytes. */
  byte[] readSmall(Path p, String label, int max) throws IOException {
    Path real = existing(p, label);
    if (real == null) throw new InvalidLayoutException(what + ": " + label + " is missing");
    try (InputStream in = Files.newInputStream(real)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) throw new InvalidLayoutException(what + ": " + label + " is larger than " + max + " bytes");
      return b;
    }
  }

  /**
   * Creates (if needed) the directory {@code blobs/<algorithm>} and checks that it lies inside
   * the layout before anything is renamed into it.
   */
  Path blobDir(String algorithm) throws IOException {
    Path dir = root.resolve("blobs").resolve(algorithm);
    Files.createDirectories(dir);
    if (!dir.toRealPath().startsWith(root)) {
      throw new InvalidLayoutException(what + ": blobs/" + algorithm + " resolves outside the layout (symlink); refusing to write");
    }
    return dir;
  }

  /** A new, empty, hidden temp file in the layout's root (same file system as its target). */
  Path tempFile() throws IOException {
    return Files.createTempFile(root, TEMP_PREFIX, ".tmp");
  }

  /** Flushes a finished temp file to disk, makes it world-readable and renames it over {@code target}. */
  void commit(Path temp, Path target) throws IOException {
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default permissions
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(what + ": the file system cannot rename atomically: " + e.getMessage(), e);
    }
  }

  /** Writes bytes to {@code target} through a temp file and an atomic rename. */
  void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = tempFile();
    try {
      Files.write(temp, bytes);
      commit(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
