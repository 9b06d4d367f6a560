package dev.caulk.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file atomically: into a temporary {@code .caulk-*.tmp} file beside the target ({@link
 * TempFiles}), synced, then renamed over it. A reader (a CI step, a dashboard polling an SBOM) sees
 * the old file or the new one, never a half-written document; a failed write removes the temporary
 * file and leaves the old target untouched. A target that exists but is not a regular file ({@code
 * /dev/stdout}, a named pipe, a device) has nothing to replace and is written straight through. The
 * new file gets the old file's permissions, or {@code rw-r--r--}.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** What goes into the file; it may fail, and then nothing is renamed into place. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code data} to {@code target} atomically. */
  public static void write(Path target, byte[] data) throws IOException {
    write(target, out -> out.write(data));
  }

  /** Writes what {@code body} produces to {@code target} atomically; see the class comment. */
  public static void write(Path target, Body body) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) {
      throw new IOException(target + ": is the root directory, not a file");
    }
    Files.createDirectories(dir);
    if (Files.isDirectory(abs)) {
      throw new IOException(target + ": is a directory");
    }
    if (Files.exists(abs) && !Files.isRegularFile(abs)) {
      try (OutputStream out = Files.newOutputStream(abs)) {
        body.writeTo(out);
      }
      return;
    }
    Path tmp = TempFiles.create(dir, abs.getFileName() + ".");
    try {
      // temp files are created 0600; the result should look like any file the user writes
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(
            tmp,
            Files.exists(abs)
                ? Files.getPosixFilePermissions(abs)
                : PosixFilePermissions.fromString("rw-r--r--"));
      }
      try (FileChannel ch =
              FileChannel.open(
                  tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = Channels.newOutputStream(ch)) {
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      TempFiles.discard(tmp);
    }
  }
}
