package dev.caulk.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link BuildConfig} with every default filled in, for one project: what the build actually
 * does. Resolution is the one place where defaults live, so {@code caulk.yaml}, flags and the
 * documentation agree.
 */
public record BuildSettings(
    Path projectDir,
    String prefix,
    List<String> services,
    String binaryPattern,
    String tag,
    String base,
    BuildConfig.User user,
    String workdir,
    List<String> ports,
    Map<String, String> env,
    String timezone,
    boolean allZoneinfo,
    String caCertificates,
    Map<String, String> labels,
    List<String> entrypoint,
    List<String> cmd,
    List<BuildConfig.FileSpec> files,
    boolean strip,
    boolean staticOnly,
    List<String> platforms,
    Path sysroot,
    Instant epoch,
    Map<String, String> origins,
    JavaSettings java) {

  /** The mtime of every file and the config's {@code created} when SOURCE_DATE_EPOCH is unset. */
  public static final Instant DEFAULT_EPOCH = Instant.ofEpochSecond(1);

  /**
   * Fills in defaults.
   *
   * @param services the services found under {@code cmd/}, used when the config names none
   * @param git what git says about the project, or null outside a work tree
   * @param sourceDateEpoch the value of SOURCE_DATE_EPOCH, or null
   */
  public static BuildSettings resolve(
      BuildConfig c, Path projectDir, List<String> services, GitInfo git, String sourceDateEpoch)
      throws BuildConfigException {
    Map<String, String> env = new LinkedHashMap<>();
    if (sourceDateEpoch != null) {
      env.put("SOURCE_DATE_EPOCH", sourceDateEpoch);
    }
    return resolveIn(c, projectDir, services, git, env);
  }

  /**
   * Fills in defaults, reading {@code SOURCE_DATE_EPOCH} and {@code JAVA_HOME} from {@code
   * environment} (the verb's, not necessarily this process's).
   */
  public static BuildSettings resolveIn(
      BuildConfig c,
      Path projectDir,
      List<String> services,
      GitInfo git,
      Map<String, String> environment)
      throws BuildConfigException {
    String sourceDateEpoch = environment.get("SOURCE_DATE_EPOCH");
    Instant epoch = DEFAULT_EPOCH;
    if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
      try {
        epoch = Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch.trim()));
      } catch (NumberFormatException e) {
        throw new BuildConfigException(
            "SOURCE_DATE_EPOCH: expected seconds since 1970, got '" + sourceDateEpoch + "'");
      }
    }
    String tag = c.tag() != null ? c.tag() : git != null ? git.describe() : "latest";
    if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"))
      throw new BuildConfigException("tag: invalid tag '" + tag + "'");
    List<String> svc = c.services() != null ? c.services() : services;
    Map<String, String> labels = new LinkedHashMap<>();
    if (git != null) {
      if (git.remoteUrl() != null) labels.put("org.opencontainers.image.source", git.remoteUrl());
      labels.put("org.opencontainers.image.revision", git.revision());
    }
    labels.put("org.opencontainers.image.created", epoch.toString());
    if (c.labels() != null) labels.putAll(c.labels());
    String base = c.base() == null || c.base().equals("scratch") ? null : c.base();
    return builder()
        .projectDir(projectDir)
        .prefix(c.prefix() == null ? "" : c.prefix())
        .services(List.copyOf(svc))
        .binaryPattern(c.binary() == null ? "build/{service}-linux-{arch}" : c.binary())
        .tag(tag)
        .base(base)
        .user(c.user() == null ? BuildConfig.User.NONROOT : c.user())
        .workdir(c.workdir() == null ? "/app" : c.workdir())
        .ports(c.ports() == null ? List.of("3000") : c.ports())
        .env(c.env() == null ? Map.of() : c.env())
        .timezone(c.timezone() == null ? "UTC" : c.timezone())
        .allZoneinfo("all".equals(c.zoneinfo()))
        .caCertificates(c.caCertificates() == null ? "host" : c.caCertificates())
        .labels(labels)
        .entrypoint(c.entrypoint() == null ? List.of("/app/service") : c.entrypoint())
        .cmd(c.cmd())
        .files(c.files() == null ? List.of() : c.files())
        .strip(Boolean.TRUE.equals(c.strip()))
        .staticOnly(Boolean.TRUE.equals(c.staticOnly()))
        .platforms(c.platforms() == null ? List.of("linux/amd64") : c.platforms())
        .sysroot(c.sysroot() == null ? Path.of("/") : Path.of(c.sysroot()))
        .epoch(epoch)
        .origins(c.origins())
        .java(JavaSettings.resolve(c.java(), projectDir, environment.get("JAVA_HOME")))
        .build();
  }

  /**
   * Settings to fill in by name (tests, callers that resolve on their own); unset ones are null or
   * false.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.projectDir = projectDir;
    b.prefix = prefix;
    b.services = services;
    b.binaryPattern = binaryPattern;
    b.tag = tag;
    b.base = base;
    b.user = user;
    b.workdir = workdir;
    b.ports = ports;
    b.env = env;
    b.timezone = timezone;
    b.allZoneinfo = allZoneinfo;
    b.caCertificates = caCertificates;
    b.labels = labels;
    b.entrypoint = entrypoint;
    b.cmd = cmd;
    b.files = files;
    b.strip = strip;
    b.staticOnly = staticOnly;
    b.platforms = platforms;
    b.sysroot = sysroot;
    b.epoch = epoch;
    b.origins = origins;
    b.java = java;
    return b;
  }

  /** The image name of a service: prefix + service. */
  public String imageName(String service) {
    return prefix + service;
  }

  /** The binary of a service for an architecture, relative to the project. */
  public Path binary(String service, String os, String arch) {
    return projectDir.resolve(
        binaryPattern.replace("{service}", service).replace("{os}", os).replace("{arch}", arch));
  }

  /**
   * The labels of one service's image: the title is the service name, not the image name, so that
   * the image (and its digest) is the same wherever it goes ({@code --prefix}, {@code --push},
   * {@code --to}); a configured title wins.
   */
  public Map<String, String> labelsFor(String service) {
    Map<String, String> m = new LinkedHashMap<>(labels);
    m.putIfAbsent("org.opencontainers.image.title", service);
    return m;
  }

  /**
   * The env of one service's image: service_name, TZ, SSL_CERT_FILE, then the configured values.
   */
  public List<String> envFor(String service, boolean hasCaBundle) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("service_name", service);
    m.put("TZ", timezone);
    if (hasCaBundle) m.put("SSL_CERT_FILE", HostFiles.CA_BUNDLE_PATH);
    m.putAll(env);
    List<String> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /**
   * The {@code java:} block resolved: what a service whose binary is a jar is built with. The JDK
   * is only looked for (and checked, by {@code jvm.Jdk}) when a service is one.
   *
   * @param jdks a JDK per architecture ({@code java.jdks}), absolute
   * @param jdk the JDK for the other architectures: {@code java.jdk}, else {@code JAVA_HOME}, else
   *     the JDK caulk runs on when it has jlink; null when none
   * @param jdkWhere what named {@code jdk}, for messages
   * @param modules modules added to what jdeps finds
   * @param jvmFlags flags before the main class
   * @param mainClass the class to run, or null for the manifest's
   * @param classpath dependency patterns ({@code java.classpath}), or null for the manifest's
   *     {@code Class-Path}
   * @param cds {@code default}, {@code train} or {@code none}
   */
  public record JavaSettings(
      Map<String, Path> jdks,
      Path jdk,
      String jdkWhere,
      List<String> modules,
      List<String> jvmFlags,
      String mainClass,
      List<String> classpath,
      String cds) {
    /** Every default, and no JDK. */
    public static final JavaSettings DEFAULTS =
        new JavaSettings(Map.of(), null, null, List.of(), List.of(), null, null, "default");

    public JavaSettings {
      jdks = Map.copyOf(jdks);
      modules = List.copyOf(modules);
      jvmFlags = List.copyOf(jvmFlags);
      classpath = classpath == null ? null : List.copyOf(classpath);
    }

    static JavaSettings resolve(BuildConfig.Java j, Path projectDir, String javaHome) {
      BuildConfig.Java c = j == null ? BuildConfig.Java.DEFAULTS : j;
      Map<String, Path> jdks = new LinkedHashMap<>();
      if (c.jdks() != null) {
        c.jdks().forEach((arch, dir) -> jdks.put(arch, projectDir.resolve(dir).normalize()));
      }
      Path jdk = null;
      String where = null;
      if (c.jdk() != null) {
        jdk = projectDir.resolve(c.jdk()).normalize();
        where = "java.jdk";
      } else if (javaHome != null && !javaHome.isBlank()) {
        jdk = Path.of(javaHome);
        where = "JAVA_HOME";
      } else {
        Path own = Path.of(System.getProperty("java.home"));
        if (Files.isExecutable(own.resolve("bin").resolve("jlink"))) {
          jdk = own;
          where = "the JDK caulk runs on";
        }
      }
      return new JavaSettings(
          jdks,
          jdk,
          where,
          c.modules() == null ? List.of() : c.modules(),
          c.jvmFlags() == null ? List.of() : c.jvmFlags(),
          c.mainClass(),
          c.classpath(),
          c.cds() == null ? "default" : c.cds());
    }

    /** The JDK for an architecture. */
    public Path jdkFor(String arch) throws BuildConfigException {
      Path p = jdks.get(arch);
      if (p != null) {
        return p;
      }
      if (jdk == null) {
        throw new BuildConfigException(
            "no JDK for linux/"
                + arch
                + ": set java.jdks."
                + arch
                + " or java.jdk in caulk.yaml, or JAVA_HOME");
      }
      return jdk;
    }

    /** What named the JDK of an architecture, for messages. */
    public String jdkWhere(String arch) {
      return jdks.containsKey(arch) ? "java.jdks." + arch : jdkWhere;
    }
  }

  /** Builds {@link BuildSettings} by name. */
  public static final class Builder {
    private Path projectDir;
    private String prefix;
    private List<String> services;
    private String binaryPattern;
    private String tag;
    private String base;
    private BuildConfig.User user;
    private String workdir;
    private List<String> ports;
    private Map<String, String> env;
    private String timezone;
    private boolean allZoneinfo;
    private String caCertificates;
    private Map<String, String> labels;
    private List<String> entrypoint;
    private List<String> cmd;
    private List<BuildConfig.FileSpec> files;
    private boolean strip;
    private boolean staticOnly;
    private List<String> platforms;
    private Path sysroot;
    private Instant epoch;
    private Map<String, String> origins;
    private JavaSettings java;

    private Builder() {}

    public Builder projectDir(Path value) {
      this.projectDir = value;
      return this;
    }

    public Builder prefix(String value) {
      this.prefix = value;
      return this;
    }

    public Builder services(List<String> value) {
      this.services = value;
      return this;
    }

    public Builder binaryPattern(String value) {
      this.binaryPattern = value;
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

    public Builder user(BuildConfig.User value) {
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

    public Builder allZoneinfo(boolean value) {
      this.allZoneinfo = value;
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

    public Builder files(List<BuildConfig.FileSpec> value) {
      this.files = value;
      return this;
    }

    public Builder strip(boolean value) {
      this.strip = value;
      return this;
    }

    public Builder staticOnly(boolean value) {
      this.staticOnly = value;
      return this;
    }

    public Builder platforms(List<String> value) {
      this.platforms = value;
      return this;
    }

    public Builder sysroot(Path value) {
      this.sysroot = value;
      return this;
    }

    public Builder epoch(Instant value) {
      this.epoch = value;
      return this;
    }

    public Builder origins(Map<String, String> value) {
      this.origins = value;
      return this;
    }

    public Builder java(JavaSettings value) {
      this.java = value;
      return this;
    }

    public BuildSettings build() {
      return new BuildSettings(
          projectDir,
          prefix,
          services,
          binaryPattern,
          tag,
          base,
          user,
          workdir,
          ports,
          env,
          timezone,
          allZoneinfo,
          caCertificates,
          labels,
          entrypoint,
          cmd,
          files,
          strip,
          staticOnly,
          platforms,
          sysroot,
          epoch,
          origins,
          java == null ? JavaSettings.DEFAULTS : java);
    }
  }
}
