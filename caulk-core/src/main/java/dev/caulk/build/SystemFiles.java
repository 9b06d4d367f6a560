package dev.caulk.build;

import java.nio.charset.StandardCharsets;

/**
 * The contents of the small {@code /etc} files a scratch image needs, distroless style: root and
 * nobody plus the service user, none with a login shell, so that {@code getpwuid} works, tools see
 * a name instead of a number, and nobody can log in.
 */
public final class SystemFiles {
  /** The shell every account gets: none. */
  public static final String NO_LOGIN = "/sbin/nologin";

  private SystemFiles() {}

  /** The service user's home directory. */
  public static String home(BuildConfig.User user) {
    return user.uid() == 0 ? "/root" : "/home/" + user.name();
  }

  /** {@code /etc/passwd}: root, nobody, and the user (unless it is one of them). */
  public static byte[] passwd(BuildConfig.User user) {
    StringBuilder b = new StringBuilder();
    b.append("root:x:0:0:root:/root:").append(NO_LOGIN).append('\n');
    b.append("nobody:x:65534:65534:nobody:/nonexistent:").append(NO_LOGIN).append('\n');
    if (user.uid() != 0 && user.uid() != 65534 && !user.name().equals("root") && !user.name().equals("nobody")) {
      b.append(user.name()).append(":x:").append(user.uid()).append(':').append(user.gid()).append(':')
          .append(user.name()).append(':').append(home(user)).append(':').append(NO_LOGIN).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code /etc/group}: root, nogroup, and the user's group. */
  public static byte[] group(BuildConfig.User user) {
    StringBuilder b = new StringBuilder();
    b.append("root:x:0:\n");
    b.append("nogroup:x:65534:\n");
    if (user.gid() != 0 && user.gid() != 65534 && !user.name().equals("root")) {
      b.append(user.name()).append(":x:").append(user.gid()).append(":\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Merges the service user into a base image's passwd: kept as is when an account with the same
   * name or uid exists, else appended.
   */
  public static byte[] mergePasswd(byte[] base, BuildConfig.User user) {
    String text = new String(base, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && (f[0].equals(user.name()) || f[2].equals(Integer.toString(user.uid())))) return base;
    }
    String add = user.name() + ":x:" + user.uid() + ":" + user.gid() + ":" + user.name() + ":" + home(user) + ":" + NO_LOGIN + "\n";
    return ((text.isEmpty() || text.endsWith("\n") ? text : text + "\n") + add).getBytes(StandardCharsets.UTF_8);
  }

  /** Merges the service user's group into a base image's group file. */
  public static byte[] mergeGroup(byte[] base, BuildConfig.User user) {
    String text = new String(base, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && (f[0].equals(user.name()) || f[2].equals(Integer.toString(user.gid())))) return base;
    }
    String add = user.name() + ":x:" + user.gid() + ":\n";
    return ((text.isEmpty() || text.endsWith("\n") ? text : text + "\n") + add).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code /etc/nsswitch.conf}: files first, then DNS for hosts (what glibc and Go's resolver read). */
  public static byte[] nsswitch() {
    return """
        passwd:         files
        group:          files
        shadow:         files
        hosts:          files dns
        networks:       files
        protocols:      files
        services:       files
        ethers:         files
        rpc:            files
        """.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code /etc/timezone}: the zone name and a newline, as Debian writes it. */
  public static byte[] timezone(String zone) {
    return (zone + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
