package dev.caulk.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a build remembers of a host file instead of reading it, the one fingerprint every memo of
 * the build uses (layer cache keys, the jdeps memo, stripped binaries, the checked CA bundle): the
 * absolute path, size, modification time, file key (device and inode) and status-change time. As
 * make and ninja do, a file with the same stamp is taken to hold the same bytes; the change time is
 * what no tool sets back, so an edit that restores size and modification time (a {@code touch -r}
 * after writing, a copy with {@code cp -p}) still changes the stamp. Symbolic links are followed:
 * the stamp is the file whose bytes go into the image, so re-pointing a link changes it.
 */
final class FileStamp {
  private FileStamp() {}

  /** The attributes read in one {@code stat}: {@code unix:*} where the platform has that view. */
  private static final String UNIX = "unix:size,lastModifiedTime,fileKey,ctime";

  /**
   * {@code PATH SIZE MTIME FILEKEY CTIME} on one line (the change time is left out on a file system
   * without it).
   *
   * @throws IOException when the file cannot be read (it does not exist, say)
   */
  static String of(Path file) throws IOException {
    StringBuilder b = new StringBuilder().append(file.toAbsolutePath()).append(' ');
    Map<String, Object> unix = unixAttributes(file);
    if (unix != null) {
      return b.append(unix.get("size"))
          .append(' ')
          .append(((FileTime) unix.get("lastModifiedTime")).toInstant())
          .append(' ')
          .append(unix.get("fileKey"))
          .append(' ')
          .append(((FileTime) unix.get("ctime")).toInstant())
          .toString();
    }
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return b.append(a.size())
        .append(' ')
        .append(a.lastModifiedTime().toInstant())
        .append(' ')
        .append(a.fileKey())
        .toString();
  }

  private static @Nullable Map<String, Object> unixAttributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, UNIX);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null; // no unix view on this file system: the basic attributes
    }
  }
}
