package dev.caulk.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a verb's data to {@code -o FILE} atomically: into a temporary file beside the target, synced, then
 * renamed over it. A reader (a CI step, a dashboard polling the SBOM) sees the old file or the new one, never a
 * half-written document, and a failed run leaves the old file untouched. A target that exists but is not a
 * regular file ({@code /dev/stdout}, a named pipe) is written straight through.
 */
final class OutputFile {
  private OutputFile() {}

  /** Writes {@code data} to stdout when {@code target} is null, otherwise to the file atomically. */
  static void write(Console console, Path target, byte[] data) throws IOException {
    if (target == null) {
      console.out().write(data);
      console.out().flush();
      return;
    }
    write(target, data);
  }

  static void write(Path target, byte[] data) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) Files.createDirectories(dir);
    if (Files.isDirectory(abs)) throw new IOException("-o " + target + ": is a directory");
    if (Files.exists(abs) && !Files.isRegularFile(abs)) {
      // /dev/stdout, a named pipe, a device: nothing to replace atomically, write straight through.
      try (OutputStream out = Files.newOutputStream(abs)) {
        out.write(data);
      }
      return;
    }
    Path tmp = dev.caulk.io.TempFiles.create(dir == null ? abs.getParent() : dir, abs.getFileName() + ".");
    try {
      // Temporary files are created 0600; the result should look like any file the user writes.
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, Files.exists(abs) ? Files.getPosixFilePermissions(abs)
            : PosixFilePermissions.fromString("rw-r--r--"));
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
           OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        out.write(data);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      dev.caulk.io.TempFiles.discard(tmp);
    }
  }
}
