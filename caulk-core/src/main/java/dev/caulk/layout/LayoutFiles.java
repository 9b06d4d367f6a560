package dev.caulk.layout;

import dev.caulk.digest.Digest;
import dev.caulk.io.TempFiles;
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
import org.jspecify.annotations.Nullable;

/**
 * The file-system side of a layout: every path is derived from a validated {@link Digest} or a
 * fixed name, and every file read or replaced is checked (through {@link Path#toRealPath}) to lie
 * inside the layout, so a symlinked {@code blobs} directory or blob cannot make caulk read or write
 * elsewhere. New files are written to a hidden temp file in the layout's root and renamed into
 * place, so readers never see half a file.
 */
final class LayoutFiles {
  static final String TEMP_PREFIX = TempFiles.PREFIX;
  private final Path root;
  private final String what;

  /**
   * @param root the layout directory's real path
   */
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
  @Nullable Path existing(Path p, String label) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return null;
    Path real;
    try {
      real = p.toRealPath();
    } catch (NoSuchFileException e) {
      throw new InvalidLayoutException(what + ": " + label + " is a dangling symlink");
    }
    if (!real.startsWith(root)) {
      throw new InvalidLayoutException(
          what + ": " + label + " resolves outside the layout (symlink); refusing to use it");
    }
    if (!Files.isRegularFile(real))
      throw new InvalidLayoutException(what + ": " + label + " is not a regular file");
    return real;
  }

  /** Reads a small file whole, refusing more than {@code max} bytes. */
  byte[] readSmall(Path p, String label, int max) throws IOException {
    Path real = existing(p, label);
    if (real == null) throw new InvalidLayoutException(what + ": " + label + " is missing");
    try (InputStream in = Files.newInputStream(real)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max)
        throw new InvalidLayoutException(what + ": " + label + " is larger than " + max + " bytes");
      return b;
    }
  }

  /**
   * Creates (if needed) the directory {@code blobs/<algorithm>} and checks that it lies inside the
   * layout before anything is renamed into it.
   */
  Path blobDir(String algorithm) throws IOException {
    // Each level is checked before anything is created under it: a blobs symlink to elsewhere must
    // not get a sha256/ made at its target before caulk refuses it.
    Path blobs = root.resolve("blobs");
    insideOrAbsent(blobs, "blobs");
    Path dir = blobs.resolve(algorithm);
    insideOrAbsent(dir, "blobs/" + algorithm);
    Files.createDirectories(dir);
    if (!dir.toRealPath().startsWith(root)) {
      throw new InvalidLayoutException(
          what
              + ": blobs/"
              + algorithm
              + " resolves outside the layout (symlink); refusing to write");
    }
    return dir;
  }

  /**
   * Refuses a directory of the layout that exists but resolves outside it, or is not a directory.
   */
  private void insideOrAbsent(Path p, String label) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
    Path real;
    try {
      real = p.toRealPath();
    } catch (NoSuchFileException e) {
      throw new InvalidLayoutException(
          what + ": " + label + " is a dangling symlink; refusing to write");
    }
    if (!real.startsWith(root)) {
      throw new InvalidLayoutException(
          what + ": " + label + " resolves outside the layout (symlink); refusing to write");
    }
    if (!Files.isDirectory(real))
      throw new InvalidLayoutException(what + ": " + label + " is not a directory");
  }

  /**
   * A new, empty, hidden temp file in the layout's root (same file system as its target), deleted
   * at exit if still there (SIGINT and SIGTERM included); stale ones of dead runs are swept first
   * ({@link TempFiles}).
   */
  Path tempFile() throws IOException {
    return TempFiles.create(root, "");
  }

  /** Deletes a temp file that was not renamed into place, and forgets it. */
  void discard(Path temp) throws IOException {
    TempFiles.discard(temp);
  }

  /**
   * Flushes a finished temp file to disk, makes it world-readable and renames it over {@code
   * target}.
   */
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
      throw new IOException(
          what + ": the file system cannot rename atomically: " + e.getMessage(), e);
    }
  }

  /** Writes bytes to {@code target} through a temp file and an atomic rename. */
  void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = tempFile();
    try {
      Files.write(temp, bytes);
      commit(temp, target);
    } finally {
      discard(temp);
    }
  }
}
