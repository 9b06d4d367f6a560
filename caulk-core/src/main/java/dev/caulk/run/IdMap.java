package dev.caulk.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;

/**
 * A user namespace's id mapping: container ids {@code 0..size-1} are host ids {@code
 * hostBase..hostBase+size-1} (runtime-spec config-linux.md "User namespace mappings"), the same for
 * uids and gids. Each container gets its own random range of high host ids, far above those of real
 * accounts, so that its root is nobody on the host and two probes never share ids.
 *
 * @param hostBase the host id of container id 0
 * @param size how many ids are mapped
 */
record IdMap(long hostBase, long size) {
  /** Ids a container gets at least: 0..65535, as /etc/subuid ranges do. */
  static final long MIN_SIZE = 65536;

  /**
   * The lowest host base: 2^24, above the ids of real accounts and of /etc/subuid ranges in common
   * use.
   */
  static final long LOWEST_BASE = 1L << 24;

  /** The highest host id plus one: uid_t is 32 bits and (uid_t) -1 is reserved. */
  static final long ID_LIMIT = 0xffffffffL;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A random mapping covering container ids up to {@code maxId}; null when no room is left for one
   * that large.
   */
  static IdMap random(long maxId) {
    long size = Math.max(MIN_SIZE, (maxId / MIN_SIZE + 1) * MIN_SIZE);
    long slots = (ID_LIMIT - size - LOWEST_BASE) / MIN_SIZE;
    if (slots <= 0) return null;
    return new IdMap(LOWEST_BASE + (long) (RANDOM.nextDouble() * slots) * MIN_SIZE, size);
  }

  /**
   * The host id of a container id; ids outside the mapping stay as they are (they show as the
   * overflow id inside).
   */
  long toHost(long containerId) {
    return containerId >= 0 && containerId < size ? hostBase + containerId : containerId;
  }

  /**
   * Gives every file of an unpacked rootfs to the mapped ids ({@code lchown}, links never
   * followed), so the container's users own inside what the image says they own. Changing the owner
   * clears setuid and setgid bits and file capabilities, which no-new-privileges would ignore
   * anyway.
   */
  void shiftOwnership(Path rootfs) throws IOException {
    Files.walkFileTree(
        rootfs,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            shift(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            shift(file);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void shift(Path p) throws IOException {
    int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(
        p, "unix:uid", (int) toHost(Integer.toUnsignedLong(uid)), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(
        p, "unix:gid", (int) toHost(Integer.toUnsignedLong(gid)), LinkOption.NOFOLLOW_LINKS);
  }
}
