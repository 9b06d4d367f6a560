package dev.caulk.maven;

import dev.caulk.build.BuildConfigException;
import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import dev.caulk.jvm.JvmException;
import dev.caulk.location.ImageLocation;
import dev.caulk.verbs.InvalidOptionsException;
import dev.caulk.verbs.LastBuild;
import dev.caulk.verbs.Session;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.jspecify.annotations.Nullable;

/**
 * What every caulk goal shares: the project, the folder the goals keep their images and records in
 * ({@code target/caulk}), the registry settings of a {@link Session}, caulk's events as Maven log
 * lines, and caulk's one-line errors as Maven failures.
 */
@SuppressWarnings("NullAway.Init") // fields Maven injects
abstract class CaulkMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /**
   * Where the goals keep their work: {@code last-build} record, the OCI layout {@code oci/},
   * reports. The folder is the caulk project directory the goals share ({@code caulk:push}, {@code
   * caulk:audit} and {@code caulk:sbom} read what {@code caulk:build} recorded there).
   */
  @Parameter(defaultValue = "${project.build.directory}/caulk", property = "caulk.workDirectory")
  File workDirectory;

  /** Skips the goal. */
  @Parameter(defaultValue = "false", property = "caulk.skip")
  boolean skip;

  /** Registries reached over plain HTTP or with unverified TLS ({@code host:port}). */
  @Parameter @Nullable List<String> insecureRegistries;

  /** A Docker config file with registry credentials (default: the Docker and Podman ones). */
  @Parameter(property = "caulk.authFile")
  @Nullable File authFile;

  /** Extra CA certificates (PEM) trusted for registries. */
  @Parameter @Nullable File registryCaCertificates;

  abstract void execute(Session session) throws IOException, MojoFailureException;

  /** The goal's name in messages ({@code build}, {@code audit}...). */
  abstract String goal();

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("caulk:" + goal() + " skipped");
      return;
    }
    try {
      execute(session());
    } catch (PomException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (InvalidOptionsException | BuildConfigException | JvmException e) {
      throw new MojoFailureException("caulk:" + goal() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("caulk:" + goal() + ": " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      throw new MojoExecutionException("caulk:" + goal() + ": " + e.getMessage(), e);
    }
  }

  private Session session() {
    Session.Builder b = Session.builder().events(events(getLog()));
    if (insecureRegistries != null) {
      for (String r : insecureRegistries) {
        b.insecureRegistry(r);
      }
    }
    if (authFile != null) {
      b.authFile(authFile.toPath());
    }
    if (registryCaCertificates != null) {
      b.caCertificates(registryCaCertificates.toPath());
    }
    return b.build();
  }

  /**
   * caulk's log events as Maven log lines; transfer progress is left out (Maven logs are files).
   */
  static EventListener events(Log log) {
    return e -> {
      if (e instanceof Event.Log l) {
        switch (l.level()) {
          case DEBUG -> log.debug(l.message());
          case INFO -> log.info(l.message());
          case WARN -> log.warn(l.message());
        }
      }
    };
  }

  Path workDir() {
    return workDirectory.toPath().toAbsolutePath().normalize();
  }

  Path basedir() {
    return project.getBasedir().toPath().toAbsolutePath().normalize();
  }

  /** A relative path of the POM, resolved against the project's folder (not the working one). */
  Path resolve(String path) {
    return basedir().resolve(path).normalize();
  }

  /**
   * An image location as a POM gives it ({@code oci:DIR[:TAG]}, {@code docker-archive:FILE}, a
   * registry reference), with a relative layout or archive path resolved against the project.
   */
  ImageLocation location(String element, String text) {
    ImageLocation l;
    try {
      l = ImageLocation.parse(text);
    } catch (IllegalArgumentException e) {
      throw new PomException(element, String.valueOf(e.getMessage()));
    }
    if (l instanceof ImageLocation.OciLayout o) {
      return new ImageLocation.OciLayout(basedir().resolve(o.dir()).normalize(), o.tag());
    }
    if (l instanceof ImageLocation.DockerArchive a) {
      return new ImageLocation.DockerArchive(
          basedir().resolve(a.file()).normalize(), a.reference());
    }
    return l;
  }

  /**
   * The images a goal reads: the one {@code location} names, else each image the last {@code
   * caulk:build} of this project recorded (its OCI layout, tagged by image name).
   */
  List<Named> images(@Nullable String location) throws IOException {
    List<Named> out = new ArrayList<>();
    if (location != null && !location.isBlank()) {
      ImageLocation l = location("location", location);
      out.add(new Named(l.displayName(), l));
      return out;
    }
    LastBuild.Result built =
        LastBuild.read(workDir())
            .orElseThrow(
                () ->
                    new PomException(
                        "location",
                        "no image given and nothing built in "
                            + workDir()
                            + " (run caulk:build first)"));
    for (LastBuild.Image image : built.images()) {
      out.add(new Named(image.service(), image.location()));
    }
    return out;
  }

  /** An image a goal reads, by the name its files and messages use. */
  record Named(String name, ImageLocation location) {}
}
