package dev.caulk.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Deletes unpacked trees: links are removed, never followed; read-only directories are opened up
 * first.
 */
final class Trees {
  private Trees() {}

  static void delete(Path p) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (a.isDirectory()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      if (!perms.contains(PosixFilePermission.OWNER_WRITE)
          || !perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
        perms.add(PosixFilePermission.OWNER_WRITE);
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        perms.add(PosixFilePermission.OWNER_READ);
        Files.setPosixFilePermissions(p, perms);
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        for (Path child : ds) delete(child);
      }
    }
    Files.deleteIfExists(p);
  }
}
