package dev.caulk.build;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code caulk build} is told: the keys of {@code caulk.yaml}, each also a flag. A null field
 * means "not set here", so a flag can override the file and defaults fill the rest ({@link #merge},
 * {@link BuildSettings#resolve}).
 *
 * @param prefix image name prefix, e.g. {@code registry.example/team/service-}
 * @param services service names; null means every folder under {@code cmd/}
 * @param binary binary path pattern with {@code {service}}, {@code {os}}, {@code {arch}}
 * @param tag image tag; null means {@code git describe --tags --always --dirty}, else {@code
 *     latest}
 * @param base base image location; null or {@code scratch} means none
 * @param user the runtime user
 * @param zoneinfo {@code used} (the zone and UTC) or {@code all}
 * @param caCertificates {@code host} (the build host's bundle), {@code none}, or a file path
 * @param java the settings of a Java service (key {@code java:}); null when not set
 * @param compressionLevel the gzip level of built layers, 0-9; null means the default
 * @param origins where some keys were set, for error messages: key → {@code caulk.yaml:LINE: key}
 *     or the flag's name (only {@code ca-certificates} so far; file entries carry their own)
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
    Java java,
    Integer compressionLevel,
    Map<String, String> origins) {

  public BuildConfig {
    origins = origins == null ? Map.of() : Map.copyOf(origins);
  }

  /** Nothing set. */
  public static final BuildConfig EMPTY = builder().build();

  /** A config with nothing set, to fill in by name. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.prefix = prefix;
    b.services = services;
    b.binary = binary;
    b.tag = tag;
    b.base = base;
    b.user = user;
    b.workdir = workdir;
    b.ports = ports;
    b.env = env;
    b.timezone = timezone;
    b.zoneinfo = zoneinfo;
    b.caCertificates = caCertificates;
    b.labels = labels;
    b.entrypoint = entrypoint;
    b.cmd = cmd;
    b.files = files;
    b.strip = strip;
    b.staticOnly = staticOnly;
    b.platforms = platforms;
    b.sysroot = sysroot;
    b.java = java;
    b.compressionLevel = compressionLevel;
    b.origins = origins;
    return b;
  }

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
        throw new IllegalArgumentException(
            "invalid user name '" + name + "': lowercase letters, digits, _ and -, at most 32");
      }
      if (uid < 0 || gid < 0)
        throw new IllegalArgumentException("invalid uid/gid " + uid + ":" + gid);
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
   * What makes a service a Java service (the {@code java:} block): its {@code binary} is a jar, run
   * by a minimal runtime that {@code jlink} makes from a JDK of the build host. Null fields mean
   * "not set here", as for the rest of the config.
   *
   * @param jdk the JDK that jlink and jdeps come from, for every architecture; null means {@code
   *     JAVA_HOME}
   * @param jdks a JDK per architecture ({@code amd64}, {@code arm64}...), for multi-platform
   *     builds; wins over {@code jdk} for the architectures it names
   * @param modules modules added to what {@code jdeps} finds (reflection, {@code jdk.crypto.ec},
   *     locales)
   * @param jvmFlags flags given to {@code java} before the main class
   * @param mainClass the class to run; null means the jar manifest's {@code Main-Class}
   * @param classpath the app's dependencies: jar files, folders of jars, or {@code *.jar} patterns,
   *     relative to the project root, with {@code {service}}; null means the manifest's {@code
   *     Class-Path}
   * @param cds the class-data-sharing archive: {@code default} (the runtime's own, made by jlink),
   *     {@code train} (one made for the app by a training run), or {@code none}
   */
  public record Java(
      String jdk,
      Map<String, String> jdks,
      List<String> modules,
      List<String> jvmFlags,
      String mainClass,
      List<String> classpath,
      String cds) {
    /** The values {@code cds} accepts. */
    public static final List<String> CDS_MODES = List.of("default", "train", "none");

    /** Nothing set: a Java service with every default. */
    public static final Java DEFAULTS = new Java(null, null, null, null, null, null, null);

    public Java {
      jdks = jdks == null ? null : Map.copyOf(jdks);
      modules = modules == null ? null : List.copyOf(modules);
      jvmFlags = jvmFlags == null ? null : List.copyOf(jvmFlags);
      classpath = classpath == null ? null : List.copyOf(classpath);
      if (cds != null && !CDS_MODES.contains(cds)) {
        throw new IllegalArgumentException(
            "invalid cds '" + cds + "': expected one of " + String.join(", ", CDS_MODES));
      }
    }

    /** This block with every field that {@code over} sets replaced by {@code over}'s value. */
    public Java merge(Java over) {
      if (over == null) {
        return this;
      }
      return new Java(
          pick(over.jdk, jdk),
          pick(over.jdks, jdks),
          pick(over.modules, modules),
          pick(over.jvmFlags, jvmFlags),
          pick(over.mainClass, mainClass),
          pick(over.classpath, classpath),
          pick(over.cds, cds));
    }
  }

  /**
   * An extra file to put in the image.
   *
   * @param source path on the build host, relative to the project root
   * @param destination absolute path in the image
   * @param mode permission bits, e.g. 0644
   * @param where where it was set, for error messages: {@code caulk.yaml:LINE: files.source} or
   *     {@code --file}
   */
  public record FileSpec(String source, String destination, int mode, String where) {
    /** An entry of unknown origin. */
    public FileSpec(String source, String destination, int mode) {
      this(source, destination, mode, null);
    }

    /**
     * Equal when source, destination and mode are: where an entry was written is not what it is.
     */
    @Override
    public boolean equals(Object o) {
      return o instanceof FileSpec f
          && source.equals(f.source)
          && destination.equals(f.destination)
          && mode == f.mode;
    }

    @Override
    public int hashCode() {
      return Objects.hash(source, destination, mode);
    }
  }

  /** This config with every field that {@code over} sets replaced by {@code over}'s value. */
  public BuildConfig merge(BuildConfig over) {
    Builder b = toBuilder();
    b.prefix = pick(over.prefix, prefix);
    b.services = pick(over.services, services);
    b.binary = pick(over.binary, binary);
    b.tag = pick(over.tag, tag);
    b.base = pick(over.base, base);
    b.user = pick(over.user, user);
    b.workdir = pick(over.workdir, workdir);
    b.ports = pick(over.ports, ports);
    b.env = pick(over.env, env);
    b.timezone = pick(over.timezone, timezone);
    b.zoneinfo = pick(over.zoneinfo, zoneinfo);
    b.caCertificates = pick(over.caCertificates, caCertificates);
    b.labels = pick(over.labels, labels);
    b.entrypoint = pick(over.entrypoint, entrypoint);
    b.cmd = pick(over.cmd, cmd);
    b.files = pick(over.files, files);
    b.strip = pick(over.strip, strip);
    b.staticOnly = pick(over.staticOnly, staticOnly);
    b.platforms = pick(over.platforms, platforms);
    b.sysroot = pick(over.sysroot, sysroot);
    b.java = java == null ? over.java : java.merge(over.java);
    b.compressionLevel = pick(over.compressionLevel, compressionLevel);
    b.origins = mergedOrigins(over);
    return b.build();
  }

  private Map<String, String> mergedOrigins(BuildConfig over) {
    Map<String, String> m = new HashMap<>(origins);
    if (over.caCertificates != null) m.remove("ca-certificates");
    m.putAll(over.origins);
    return m;
  }

  private static <T> T pick(T a, T b) {
    return a != null ? a : b;
  }

  /** Builds a {@link BuildConfig} by key; a key not set stays null ("not set here"). */
  public static final class Builder {
    private String prefix;
    private List<String> services;
    private String binary;
    private String tag;
    private String base;
    private User user;
    private String workdir;
    private List<String> ports;
    private Map<String, String> env;
    private String timezone;
    private String zoneinfo;
    private String caCertificates;
    private Map<String, String> labels;
    private List<String> entrypoint;
    private List<String> cmd;
    private List<FileSpec> files;
    private Boolean strip;
    private Boolean staticOnly;
    private List<String> platforms;
    private String sysroot;
    private Java java;
    private Integer compressionLevel;
    private Map<String, String> origins;

    private Builder() {}

    public Builder prefix(String value) {
      this.prefix = value;
      return this;
    }

    public Builder services(List<String> value) {
      this.services = value;
      return this;
    }

    public Builder binary(String value) {
      this.binary = value;
      return this;
    }

    public Builder tag(String value) {
      this.tag = value;
      return this;
    }

    public Builder base(String value) {
      this.base = value;
      return this;
    }

    public Builder user(User value) {
      this.user = value;
      return this;
    }

    public Builder workdir(String value) {
      this.workdir = value;
      return this;
    }

    public Builder ports(List<String> value) {
      this.ports = value;
      return this;
    }

    public Builder env(Map<String, String> value) {
      this.env = value;
      return this;
    }

    public Builder timezone(String value) {
      this.timezone = value;
      return this;
    }

    public Builder zoneinfo(String value) {
      this.zoneinfo = value;
      return this;
    }

    public Builder caCertificates(String value) {
      this.caCertificates = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      this.labels = value;
      return this;
    }

    public Builder entrypoint(List<String> value) {
      this.entrypoint = value;
      return this;
    }

    public Builder cmd(List<String> value) {
      this.cmd = value;
      return this;
    }

    public Builder files(List<FileSpec> value) {
      this.files = value;
      return this;
    }

    public Builder strip(Boolean value) {
      this.strip = value;
      return this;
    }

    public Builder staticOnly(Boolean value) {
      this.staticOnly = value;
      return this;
    }

    public Builder platforms(List<String> value) {
      this.platforms = value;
      return this;
    }

    public Builder sysroot(String value) {
      this.sysroot = value;
      return this;
    }

    public Builder java(Java value) {
      this.java = value;
      return this;
    }

    public Builder compressionLevel(Integer value) {
      this.compressionLevel = value;
      return this;
    }

    public Builder origins(Map<String, String> value) {
      this.origins = value;
      return this;
    }

    public BuildConfig build() {
      return new BuildConfig(
          prefix,
          services,
          binary,
          tag,
          base,
          user,
          workdir,
          ports,
          env,
          timezone,
          zoneinfo,
          caCertificates,
          labels,
          entrypoint,
          cmd,
          files,
          strip,
          staticOnly,
          platforms,
          sysroot,
          java,
          compressionLevel,
          origins);
    }
  }
}
