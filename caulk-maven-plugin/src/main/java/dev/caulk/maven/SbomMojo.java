package dev.caulk.maven;

import dev.caulk.scan.sbom.SbomFormat;
import dev.caulk.verbs.Sbom;
import dev.caulk.verbs.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * {@code caulk:sbom}: caulk's {@link Sbom} of the image the last {@code caulk:build} wrote (or of
 * {@code location}), written to {@code target/caulk/sbom-IMAGE.FORMAT.json}; its creation time is
 * the project's {@code project.build.outputTimestamp} when set, so the document is reproducible.
 */
@Mojo(name = "sbom", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
@SuppressWarnings("NullAway.Init") // fields Maven injects
public final class SbomMojo extends CaulkMojo {
  /** The image to describe (default: what the last caulk:build of this project wrote). */
  @Parameter(property = "caulk.location")
  @Nullable String location;

  /** The image to pick from an index, e.g. {@code linux/arm64}. */
  @Parameter(defaultValue = "linux/amd64", property = "caulk.platform")
  String platform;

  /** {@code cyclonedx} or {@code spdx}. */
  @Parameter(defaultValue = "cyclonedx", property = "caulk.sbom.format")
  String format;

  /** The document's creation time: an ISO-8601 instant or seconds since 1970 (Maven's own). */
  @Parameter(defaultValue = "${project.build.outputTimestamp}")
  @Nullable String outputTimestamp;

  @Override
  String goal() {
    return "sbom";
  }

  @Override
  void execute(Session session) throws IOException {
    SbomFormat f;
    try {
      f = SbomFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new PomException("format", String.valueOf(e.getMessage()));
    }
    Clock clock = clock();
    for (Named image : images(location)) {
      Path out =
          workDir().resolve("sbom-" + AuditMojo.fileName(image.name()) + "." + f.id() + ".json");
      Files.createDirectories(out.getParent());
      Sbom.Result r =
          Sbom.run(
              Sbom.options()
                  .location(image.location())
                  .platform(AuditMojo.platform(platform))
                  .format(f)
                  .output(out)
                  .clock(clock)
                  .build(),
              session);
      getLog().info("caulk:sbom " + image.name() + ": " + r.output());
    }
  }

  private Clock clock() {
    String t = outputTimestamp == null ? "" : outputTimestamp.strip();
    if (t.isEmpty() || t.length() == 1) {
      // Maven's convention: unset, or a single character, means "not reproducible"
      return Clock.systemUTC();
    }
    try {
      if (t.chars().allMatch(Character::isDigit)) {
        return Clock.fixed(Instant.ofEpochSecond(Long.parseLong(t)), ZoneOffset.UTC);
      }
      return Clock.fixed(Instant.parse(t), ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new PomException(
          "outputTimestamp",
          "'" + PomSettings.printable(t) + "' is not an instant or epoch seconds");
    }
  }
}
