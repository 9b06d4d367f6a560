package dev.caulk.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads files of an unpacked rootfs as the container will see them: symlinks are followed with
 * their targets interpreted inside the rootfs (an absolute target restarts at the rootfs, {@code
 * ..} stops at it), the way chroot does, so a hostile {@code /etc/passwd -> /host/file} link never
 * reaches the host. Nothing else runs in the rootfs yet, so the check is not racy.
 */
final class RootfsPaths {
  /** The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS). */
  private static final int MAX_LINKS = 40;

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private RootfsPaths() {}

  /**
   * The host path that {@code containerPath} names inside {@code root}, every link resolved; null
   * when some component does not exist.
   */
  static Path resolve(Path root, String containerPath) throws IOException {
    Deque<String> todo = new ArrayDeque<>(components(containerPath));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) {
        if (!done.isEmpty()) done.remove(done.size() - 1);
        continue;
      }
      Path p = join(root, done).resolve(c);
      BasicFileAttributes a = lstat(p);
      if (a == null) return null;
      if (a.isSymbolicLink()) {
        if (++links > MAX_LINKS)
          throw new RunException(
              containerPath + ": too many levels of symbolic links in the image");
        String target = Files.readSymbolicLink(p).toString();
        if (target.startsWith("/")) done.clear();
        List<String> t = components(target);
        for (int i = t.size() - 1; i >= 0; i--) todo.addFirst(t.get(i));
        continue;
      }
      if (!todo.isEmpty() && !a.isDirectory()) return null;
      done.add(c);
    }
    return join(root, done);
  }

  /**
   * The content of a regular file in the rootfs, or null when it does not exist.
   *
   * @param max the largest size accepted; a larger file is an error
   */
  static byte[] read(Path root, String containerPath, int max) throws IOException {
    Path p = resolve(root, containerPath);
    if (p == null) return null;
    BasicFileAttributes a = lstat(p);
    if (a == null || !a.isRegularFile()) return null;
    try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max)
        throw new RunException(containerPath + " in the image is larger than " + max + " bytes");
      return b;
    }
  }

  private static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) out.add(s);
    }
    return out;
  }

  private static Path join(Path root, List<String> parts) {
    Path p = root;
    for (String s : parts) p = p.resolve(s);
    return p;
  }

  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
