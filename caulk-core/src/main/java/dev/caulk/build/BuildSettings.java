package dev.caulk.build;

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
    Map<String, String> origins) {

  /** The mtime of every file and the config's {@code created} when SOURCE_DATE_EPOCH is unset. */
  public static final Instant DEFAULT_EPOCH = Instant.ofEpochSecond(1);

  /**
   * Fills in defaults.
   *
   * @param services the services found under {@code cmd/}, used when the config names none
   * @param git what git says about the project, or null outside a work tree
   * @param sourceDateEpoch the value of SOURCE_DATE_EPOCH, or null
   */
  public static BuildSettings resolve(BuildConfig c, Path projectDir, List<String> services, GitInfo git, String sourceDateEpoch)
      throws BuildConfigException {
    Instant epoch = DEFAULT_EPOCH;
    if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
      try {
        epoch = Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch.trim()));
      } catch (NumberFormatException e) {
        throw new BuildConfigException("SOURCE_DATE_EPOCH: expected seconds since 1970, got '" + sourceDateEpoch + "'");
      }
    }
    String tag = c.tag() != null ? c.tag() : git != null ? git.describe() : "latest";
    if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) throw new BuildConfigException("tag: invalid tag '" + tag + "'");
    List<String> svc = c.services() != null ? c.services() : services;
    Map<String, String> labels = new LinkedHashMap<>();
    if (git != null) {
      if (git.remoteUrl() != null) labels.put("org.opencontainers.image.source", git.remoteUrl());
      labels.put("org.opencontainers.image.revision", git.revision());
    }
    labels.put("org.opencontainers.image.created", epoch.toString());
    if (c.labels() != null) labels.putAll(c.labels());
    String base = c.base() == null || c.base().equals("scratch") ? null : c.base();
    return new BuildSettings(projectDir, c.prefix() == null ? "" : c.prefix(), List.copyOf(svc),
        c.binary() == null ? "build/{service}-linux-{arch}" : c.binary(), tag, base,
        c.user() == null ? BuildConfig.User.NONROOT : c.user(), c.workdir() == null ? "/app" : c.workdir(),
        c.ports() == null ? List.of("3000") : c.ports(), c.env() == null ? Map.of() : c.env(),
        c.timezone() == null ? "UTC" : c.timezone(), "all".equals(c.zoneinfo()),
        c.caCertificates() == null ? "host" : c.caCertificates(), labels,
        c.entrypoint() == null ? List.of("/app/service") : c.entrypoint(), c.cmd(),
        c.files() == null ? List.of() : c.files(), Boolean.TRUE.equals(c.strip()), Boolean.TRUE.equals(c.staticOnly()),
        c.platforms() == null ? List.of("linux/amd64") : c.platforms(),
        c.sysroot() == null ? Path.of("/") : Path.of(c.sysroot()), epoch, c.origins());
  }

  /** The image name of a service: prefix + service. */
  public String imageName(String service) {
    return prefix + service;
  }

  /** The binary of a service for an architecture, relative to the project. */
  public Path binary(String service, String os, String arch) {
    return projectDir.resolve(binaryPattern.replace("{service}", service).replace("{os}", os).replace("{arch}", arch));
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

  /** The env of one service's image: service_name, TZ, SSL_CERT_FILE, then the configured values. */
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
}
