package dev.caulk.maven;

import dev.caulk.build.BuildConfig;
import dev.caulk.location.ImageLocation;
import dev.caulk.verbs.Build;
import dev.caulk.verbs.Session;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.jspecify.annotations.Nullable;

/**
 * {@code caulk:build}: the project's jar and its runtime dependencies (as Maven resolved them; no
 * fat jar) built into a scratch image with a jlink'd runtime, by caulk's {@link Build} verb as a
 * Java service. The image goes to the OCI layout {@code target/caulk/oci} (tagged with the image
 * name), to every {@code to} location, and to {@code PREFIXIMAGE:TAG} with {@code push}. The
 * parameters are the keys of {@code caulk.yaml}.
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
@SuppressWarnings("NullAway.Init") // fields Maven injects
public final class BuildMojo extends CaulkMojo {
  /** The image name after {@code prefix} (caulk.yaml's service name). */
  @Parameter(defaultValue = "${project.artifactId}", property = "caulk.image")
  String image;

  /** Image name prefix, e.g. {@code registry.example/team/}. */
  @Parameter(property = "caulk.prefix")
  @Nullable String prefix;

  /** The image tag. */
  @Parameter(defaultValue = "${project.version}", property = "caulk.tag")
  String tag;

  /** The jar to build (default: the project's artifact, else {@code target/FINALNAME.jar}). */
  @Parameter(property = "caulk.jar")
  @Nullable File jar;

  /** More places to write the image: {@code oci:DIR} layouts and {@code docker-archive:FILE}s. */
  @Parameter @Nullable List<String> to;

  /** Pushes the image to {@code PREFIXIMAGE:TAG}. */
  @Parameter(defaultValue = "false", property = "caulk.push")
  boolean push;

  /** The base image; none (scratch) by default. */
  @Parameter @Nullable String base;

  /** The runtime user, {@code NAME:UID[:GID]} (default {@code nonroot:65532:65532}). */
  @Parameter @Nullable String user;

  @Parameter @Nullable String workdir;

  /** Exposed ports, {@code PORT} or {@code PORT/tcp|udp|sctp}. */
  @Parameter @Nullable List<String> ports;

  @Parameter @Nullable Map<String, String> env;

  @Parameter @Nullable Map<String, String> labels;

  /** The time zone ({@code TZ}), e.g. {@code Europe/Ljubljana}. */
  @Parameter @Nullable String timezone;

  /** {@code used} (the zone and UTC) or {@code all}. */
  @Parameter @Nullable String zoneinfo;

  /** {@code host} (the build host's bundle), {@code none}, or a PEM file of the project. */
  @Parameter @Nullable String caCertificates;

  /** Platforms, e.g. {@code linux/amd64} (one JDK each: {@code jdks}). */
  @Parameter @Nullable List<String> platforms;

  /** The JDK that jlink and jdeps come from (default: {@code JAVA_HOME}, else Maven's JDK). */
  @Parameter @Nullable File jdk;

  /** A JDK per architecture ({@code <amd64>/usr/lib/jvm/...</amd64>}). */
  @Parameter @Nullable Map<String, String> jdks;

  /** Modules added to what jdeps finds (reflection, {@code jdk.crypto.ec}, locales). */
  @Parameter @Nullable List<String> modules;

  /** Flags given to {@code java} before the main class. */
  @Parameter @Nullable List<String> jvmFlags;

  /** The class to run (default: the jar manifest's {@code Main-Class}). */
  @Parameter @Nullable String mainClass;

  /** Class-data sharing: {@code default}, {@code train} or {@code none}. */
  @Parameter @Nullable String cds;

  /** gzip level of the layers, 0-9. */
  @Parameter @Nullable Integer compressionLevel;

  /** Fails when the image runs as root or holds a shell, setuid file or package manager. */
  @Parameter(defaultValue = "true")
  boolean verify;

  /** The layer cache (default: {@code $CAULK_CACHE}, else {@code ~/.cache/caulk}). */
  @Parameter(property = "caulk.cache")
  @Nullable File cache;

  @Override
  String goal() {
    return "build";
  }

  @Override
  void execute(Session session) throws IOException {
    PomSettings.imageName("image", image);
    BuildConfig.Builder settings = settings();
    List<ImageLocation> more = new ArrayList<>();
    if (to != null) {
      for (String t : to) {
        ImageLocation l = location("to", t);
        if (!l.holdsSeveral()) {
          throw new PomException(
              "to",
              "'"
                  + PomSettings.printable(t)
                  + "' is a registry: give <prefix> and <push>true</push> to push");
        }
        more.add(l);
      }
    }
    Path app = appJar();
    List<String> classpath = dependencies();
    BuildConfig config = settings.binary(app.toString()).java(java(classpath)).build();
    Path work = workDir();
    Files.createDirectories(work);
    Map<String, String> environment = new HashMap<>(System.getenv());
    if (jdk != null) {
      environment.put("JAVA_HOME", jdk.getAbsolutePath());
    } else if (environment.get("JAVA_HOME") == null) {
      // the JDK Maven runs on: what a Maven build has when JAVA_HOME is not exported
      environment.put("JAVA_HOME", System.getProperty("java.home"));
    }
    Build.OptionsBuilder o =
        Build.options()
            .projectDir(work)
            .overrides(config)
            .services(List.of(image))
            .to(new ImageLocation.OciLayout(work.resolve("oci"), null))
            .push(push)
            .verify(verify)
            .allowHostFiles(true)
            .environment(environment);
    o.to(more);
    if (cache != null) {
      o.cache(cache.toPath());
    }
    Build.Result r = Build.run(o.build(), session);
    for (Build.Built b : r.images()) {
      for (String n : b.notes()) {
        getLog().info(b.service() + ": " + n);
      }
      getLog().info("caulk:build " + b.pinned() + " (oci:" + r.layout() + ":" + b.service() + ")");
    }
  }

  /** Every setting but the jar and its class path, checked (before looking for the jar). */
  private BuildConfig.Builder settings() {
    BuildConfig.Builder b =
        BuildConfig.builder()
            .services(List.of(image))
            .prefix(prefix == null ? "" : prefix)
            .tag(PomSettings.tag("tag", tag))
            .base(base)
            .user(PomSettings.user("user", user))
            .workdir(PomSettings.absolute("workdir", workdir))
            .ports(PomSettings.ports("ports", ports))
            .env(PomSettings.env("env", env))
            .labels(labels == null ? null : new LinkedHashMap<>(labels))
            .timezone(timezone)
            .zoneinfo(PomSettings.oneOf("zoneinfo", zoneinfo, List.of("used", "all")))
            .caCertificates(caCertificates())
            .platforms(platforms)
            .compressionLevel(PomSettings.level("compressionLevel", compressionLevel));
    PomSettings.modules("modules", modules);
    PomSettings.oneOf("cds", cds, BuildConfig.Java.CDS_MODES);
    if (caCertificates != null) {
      b.origins(Map.of("ca-certificates", "<caulk><caCertificates>"));
    }
    return b;
  }

  private BuildConfig.Java java(List<String> classpath) {
    return new BuildConfig.Java(
        jdk == null ? null : jdk.getAbsolutePath(),
        jdks,
        modules,
        jvmFlags,
        mainClass,
        classpath,
        cds);
  }

  private @Nullable String caCertificates() {
    if (caCertificates == null || caCertificates.equals("host") || caCertificates.equals("none")) {
      return caCertificates;
    }
    Path f = resolve(caCertificates);
    if (!Files.isRegularFile(f)) {
      throw new PomException(
          "caCertificates", f + " is not a file (expected host, none or a file)");
    }
    return f.toString();
  }

  /** The jar: the one configured, the project's artifact, or {@code target/FINALNAME.jar}. */
  private Path appJar() {
    File f = jar;
    if (f == null) {
      f = project.getArtifact() == null ? null : project.getArtifact().getFile();
    }
    if (f == null || !f.isFile()) {
      f = new File(project.getBuild().getDirectory(), project.getBuild().getFinalName() + ".jar");
    }
    if (!f.isFile()) {
      throw new PomException(
          "jar", "no jar at " + f + " (run the goal in or after package, or set <jar>)");
    }
    return f.toPath().toAbsolutePath().normalize();
  }

  /** The runtime class path Maven resolved (compile and runtime scopes), as jar files. */
  private List<String> dependencies() {
    List<String> out = new ArrayList<>();
    for (Artifact a : project.getArtifacts()) {
      if (!a.getArtifactHandler().isAddedToClasspath()) {
        continue;
      }
      File f = a.getFile();
      if (f == null || !f.isFile()) {
        throw new PomException(
            "jar",
            "dependency "
                + a.getId()
                + " is "
                + (f == null ? "not resolved" : "the folder " + f)
                + ": run the build up to package so it is a jar");
      }
      out.add(f.getAbsolutePath());
    }
    return out;
  }
}
