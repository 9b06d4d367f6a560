package dev.caulk.build;

import java.util.List;
import java.util.Map;

/**
 * What {@code caulk build} is told: the keys of {@code caulk.yaml}, each also a flag. A null field
 * means "not set here", so a flag can override the file and defaults fill the rest
 * ({@link #merge}, {@link BuildSettings#resolve}).
 *
 * @param prefix image name prefix, e.g. {@code registry.example/team/service-}
 * @param services service names; null means every folder under {@code cmd/}
 * @param binary binary path pattern with {@code {service}}, {@code {os}}, {@code {arch}}
 * @param tag image tag; null means {@code git describe --tags --always --dirty}, else {@code latest}
 * @param base base image location; null or {@code scratch} means none
 * @param user the runtime user
 * @param zoneinfo {@code used} (the zone and UTC) or {@code all}
 * @param caCertificates {@code host} (the build host's bundle), {@code none}, or a file path
 * @param origins where some keys were set, for error messages: key → {@code caulk.yaml:LINE: key} or
 *     the flag's name (only {@code ca-certificates} so far; file entries carry their own)
 */
public record BuildConfig(
    String prefix,
    List<String> services,
    String binary,
    String tag,
    String base,
    User user,
    String workdir,
    List<String> ports,
    Map<String, String> env,
    String timezone,
    String zoneinfo,
    String caCertificates,
    Map<String, String> labels,
    List<String> entrypoint,
    List<String> cmd,
    List<FileSpec> files,
    Boolean strip,
    Boolean staticOnly,
    List<String> platforms,
    String sysroot,
    Map<String, String> origins) {

  public BuildConfig {
    origins = origins == null ? Map.of() : Map.copyOf(origins);
  }

  /** A config without origins (flags, tests). */
  public BuildConfig(String prefix, List<String> services, String binary, String tag, String base, User user, String workdir,
      List<String> ports, Map<String, String> env, String timezone, String zoneinfo, String caCertificates, Map<String, String> labels,
      List<String> entrypoint, List<String> cmd, List<FileSpec> files, Boolean strip, Boolean staticOnly, List<String> platforms,
      String sysroot) {
    this(prefix, services, binary, tag, base, user, workdir, ports, env, timezone, zoneinfo, caCertificates, labels, entrypoint, cmd,
        files, strip, staticOnly, platforms, sysroot, Map.of());
  }

  /** Nothing set. */
  public static final BuildConfig EMPTY =
      new BuildConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          Map.of());

  /**
   * The runtime user.
   *
   * @param name account name written to /etc/passwd
   * @param uid numeric user id
   * @param gid numeric group id
   */
  public record User(String name, int uid, int gid) {
    public static final User NONROOT = new User("nonroot", 65532, 65532);

    public User {
      if (name == null || !name.matches("[a-z_][a-z0-9_-]{0,31}\\$?")) {
        throw new IllegalArgumentException("invalid user name '" + name + "': lowercase letters, digits, _ and -, at most 32");
      }
      if (uid < 0 || gid < 0) throw new IllegalArgumentException("invalid uid/gid " + uid + ":" + gid);
    }

    /** Parses {@code name:uid[:gid]}. */
    public static User parse(String s) {
      String[] p = s.split(":");
      try {
        if (p.length == 2) return new User(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[1]));
        if (p.length == 3) return new User(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]));
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
      throw new IllegalArgumentException("invalid user '" + s + "': expected NAME:UID[:GID]");
    }
  }

  /**
   * An extra file to put in the image.
   *
   * @param source path on the build host, relative to the project root
   * @param destination absolute path in the image
   * @param mode permission bits, e.g. 0644
   * @param where where it was set, for error messages: {@code caulk.yaml:LINE: files.source} or {@code --file}
   */
  public record FileSpec(String source, String destination, int mode, String where) {
    /** An entry of unknown origin. */
    public FileSpec(String source, String destination, int mode) {
      this(source, destination, mode, null);
    }

    /** Equal when source, destination and mode are: where an entry was written is not what it is. */
    @Override
    public boolean equals(Object o) {
      return o instanceof FileSpec f && source.equals(f.source) && destination.equals(f.destination) && mode == f.mode;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(source, destination, mode);
    }
  }

  /** This config with every field that {@code over} sets replaced by {@code over}'s value. */
  public BuildConfig merge(BuildConfig over) {
    return new BuildConfig(
        pick(over.prefix, prefix), pick(over.services, services), pick(over.binary, binary), pick(over.tag, tag),
        pick(over.base, base), pick(over.user, user), pick(over.workdir, workdir), pick(over.ports, ports),
        pick(over.env, env), pick(over.timezone, timezone), pick(over.zoneinfo, zoneinfo),
        pick(over.caCertificates, caCertificates), pick(over.labels, labels), pick(over.entrypoint, entrypoint),
        pick(over.cmd, cmd), pick(over.files, files), pick(over.strip, strip), pick(over.staticOnly, staticOnly),
        pick(over.platforms, platforms), pick(over.sysroot, sysroot), mergedOrigins(over));
  }

  private Map<String, String> mergedOrigins(BuildConfig over) {
    Map<String, String> m = new java.util.HashMap<>(origins);
    if (over.caCertificates != null) m.remove("ca-certificates");
    m.putAll(over.origins);
    return m;
  }

  private static <T> T pick(T a, T b) {
    return a != null ? a : b;
  }
}
