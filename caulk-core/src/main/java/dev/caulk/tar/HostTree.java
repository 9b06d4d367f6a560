package dev.caulk.tar;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Adds a host directory tree to a builder (see {@link ReproducibleLayerBuilder#tree}). */
final class HostTree {
  private HostTree() {}

  static void add(ReproducibleLayerBuilder b, String containerDir, Path hostDir, long uid, long gid)
      throws IOException {
    if (!Files.isDirectory(hostDir, LinkOption.NOFOLLOW_LINKS))
      throw new IOException(hostDir + " is not a directory");
    Set<String> existing = b.paths();
    Files.walkFileTree(
        hostDir,
        EnumSet.noneOf(java.nio.file.FileVisitOption.class),
        Integer.MAX_VALUE,
        new FileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String p = containerPath(containerDir, hostDir, dir);
            if (!p.isEmpty() && !(dir.equals(hostDir) && existing.contains(p)))
              b.directory(p, 0755, uid, gid);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String p = containerPath(containerDir, hostDir, file);
            if (attrs.isSymbolicLink()) {
              b.symlink(p, Files.readSymbolicLink(file).toString(), uid, gid);
            } else if (attrs.isRegularFile()) {
              Set<PosixFilePermission> perms =
                  Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
              int mode = perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
              b.file(
                  p,
                  attrs.size(),
                  () -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                  mode,
                  uid,
                  gid);
            } else {
              throw new IOException(file + ": not a regular file, directory or symlink");
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            throw exc;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) throw exc;
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String containerPath(String containerDir, Path hostDir, Path p) {
    String rel = hostDir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    if (rel.isEmpty()) return containerDir;
    return containerDir.isEmpty() ? rel : containerDir + "/" + rel;
  }
}
