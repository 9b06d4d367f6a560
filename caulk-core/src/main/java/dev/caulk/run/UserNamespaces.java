package dev.caulk.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whether a probe container can get a user namespace. The kernel says so in two sysctls: {@code
 * /proc/sys/user/max_user_namespaces} (0 turns them off) and, on kernels with Debian's or Ubuntu's
 * patch, {@code /proc/sys/kernel/unprivileged_userns_clone} (0 keeps them for privileged processes,
 * which runc as root is, so it only counts when caulk is not root). The container's root (a high
 * host uid) must also be able to walk to the rootfs: every folder above the private directory must
 * be searchable by others, which a {@code 0700} temporary folder is not.
 */
final class UserNamespaces {
  static final Path MAX_USER_NAMESPACES = Path.of("/proc/sys/user/max_user_namespaces");
  static final Path UNPRIVILEGED_CLONE = Path.of("/proc/sys/kernel/unprivileged_userns_clone");

  private UserNamespaces() {}

  /**
   * Null when the kernel allows user namespaces, else why not (one clause, for a note).
   *
   * @param maxFile {@code max_user_namespaces}, read when it exists
   * @param unprivilegedFile {@code unprivileged_userns_clone}, read when it exists
   * @param root whether this process is root
   */
  static String kernelRefusal(Path maxFile, Path unprivilegedFile, boolean root) {
    Long max = number(maxFile);
    if (max != null && max == 0) return maxFile + " is 0";
    if (max == null && !Files.exists(maxFile))
      return maxFile + " does not exist (a kernel without user namespaces)";
    Long unprivileged = number(unprivilegedFile);
    if (!root && unprivileged != null && unprivileged == 0) return unprivilegedFile + " is 0";
    return null;
  }

  /**
   * Null when every folder above {@code dir} is searchable by others, else the first one that is
   * not.
   */
  static Path unsearchableAncestor(Path dir) throws IOException {
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) return p;
    }
    return null;
  }

  private static Long number(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
      String s = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
      return s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)
          ? null
          : Long.parseLong(s);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
