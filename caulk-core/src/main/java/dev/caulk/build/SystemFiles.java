package dev.caulk.build;

import dev.caulk.accounts.Accounts;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The contents of the small {@code /etc} files a scratch image needs, distroless style: root and
 * nobody plus the service user, none with a login shell, so that {@code getpwuid} works, tools see
 * a name instead of a number, and nobody can log in. The account files are made and merged through
 * {@link Accounts}.
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
    Accounts a =
        Accounts.none()
            .withUser(new Accounts.User("root", "x", 0, 0, "root", "/root", NO_LOGIN))
            .withUser(
                new Accounts.User("nobody", "x", 65534, 65534, "nobody", "/nonexistent", NO_LOGIN));
    return a.withUser(account(user)).passwdBytes();
  }

  /** {@code /etc/group}: root, nogroup, and the user's group. */
  public static byte[] group(BuildConfig.User user) {
    Accounts a =
        Accounts.none()
            .withGroup(new Accounts.Group("root", "x", 0, List.of()))
            .withGroup(new Accounts.Group("nogroup", "x", 65534, List.of()));
    return a.withGroup(group(user.name(), user.gid())).groupBytes();
  }

  /**
   * Merges the service user into a base image's passwd: kept as is when an account with the same
   * name or uid exists, else appended.
   */
  public static byte[] mergePasswd(byte[] base, BuildConfig.User user) {
    return Accounts.parse(base, null, null).withUser(account(user)).passwdBytes();
  }

  /** Merges the service user's group into a base image's group file, the same way (name or gid). */
  public static byte[] mergeGroup(byte[] base, BuildConfig.User user) {
    return Accounts.parse(null, base, null).withGroup(group(user.name(), user.gid())).groupBytes();
  }

  private static Accounts.User account(BuildConfig.User user) {
    return new Accounts.User(
        user.name(), "x", user.uid(), user.gid(), user.name(), home(user), NO_LOGIN);
  }

  /** The user's own group (not added when a group of that name or gid exists, root's included). */
  private static Accounts.Group group(String name, long gid) {
    return new Accounts.Group(name, "x", gid, List.of());
  }

  /**
   * {@code /etc/nsswitch.conf}: files first, then DNS for hosts (what glibc and Go's resolver
   * read).
   */
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
        """
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code /etc/timezone}: the zone name and a newline, as Debian writes it. */
  public static byte[] timezone(String zone) {
    return (zone + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
