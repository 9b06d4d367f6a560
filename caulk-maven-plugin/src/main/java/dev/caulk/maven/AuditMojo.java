package dev.caulk.maven;

import dev.caulk.report.Finding;
import dev.caulk.spec.Platform;
import dev.caulk.verbs.Audit;
import dev.caulk.verbs.Session;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * {@code caulk:audit}: caulk's {@link Audit} of the image the last {@code caulk:build} wrote (or of
 * {@code location}), its report written to {@code target/caulk/audit-IMAGE.EXT}; with {@code
 * failOn}, a finding at or above that severity (after ignores) fails the build.
 */
@Mojo(name = "audit", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
@SuppressWarnings("NullAway.Init") // fields Maven injects
public final class AuditMojo extends CaulkMojo {
  private static final Map<String, String> EXTENSIONS =
      Map.of("table", "txt", "json", "json", "sarif", "sarif", "junit", "xml");

  /** The image to audit (default: what the last caulk:build of this project wrote). */
  @Parameter(property = "caulk.location")
  @Nullable String location;

  /** The image to pick from an index, e.g. {@code linux/arm64}. */
  @Parameter(defaultValue = "linux/amd64", property = "caulk.platform")
  String platform;

  /** {@code table}, {@code json}, {@code sarif} or {@code junit}. */
  @Parameter(defaultValue = "table", property = "caulk.audit.format")
  String format;

  /**
   * The lowest severity that fails the build ({@code info}, {@code low}, {@code medium}, {@code
   * high}, {@code critical}); not set: the audit reports and never fails.
   */
  @Parameter(property = "caulk.audit.failOn")
  @Nullable String failOn;

  /** Accepted findings, {@code ID [GLOB] [exp:DATE]} each. */
  @Parameter @Nullable List<String> ignores;

  /** An ignore file (default: {@code .caulkignore} of the project when present). */
  @Parameter @Nullable File ignoreFile;

  /** Scans file contents for secrets. */
  @Parameter(defaultValue = "true")
  boolean secrets;

  /** A {@code secrets.yaml} (default: the project's {@code .caulk/secrets.yaml} when present). */
  @Parameter @Nullable File secretConfig;

  @Override
  String goal() {
    return "audit";
  }

  @Override
  void execute(Session session) throws IOException, MojoFailureException {
    String ext = EXTENSIONS.get(format);
    if (ext == null) {
      throw new PomException(
          "format", "'" + PomSettings.printable(format) + "' is not table, json, sarif or junit");
    }
    Platform p = platform(platform);
    int failed = 0;
    StringBuilder failures = new StringBuilder();
    for (Named image : images(location)) {
      Path report = workDir().resolve("audit-" + fileName(image.name()) + "." + ext);
      Files.createDirectories(report.getParent());
      Audit.Builder b =
          Audit.options()
              .location(image.location())
              .platform(p)
              .format(format)
              .output(report)
              .toolVersion(version())
              .secrets(secrets)
              .gate(failOn != null)
              .searchIgnoreFileIn(basedir())
              .searchSecretConfigIn(basedir());
      if (failOn != null) {
        b.failOn(failOn);
      }
      if (ignores != null) {
        b.ignores(ignores);
      }
      if (ignoreFile != null) {
        b.ignoreFile(ignoreFile.toPath());
      }
      if (secretConfig != null) {
        b.secretConfig(secretConfig.toPath());
      }
      Audit.Result r = Audit.run(b.build(), session);
      if ("table".equals(format)) {
        for (String line : new String(r.document(), StandardCharsets.UTF_8).split("\n", -1)) {
          if (!line.isEmpty()) {
            getLog().info(line);
          }
        }
      }
      getLog().info("caulk:audit " + image.name() + ": report " + report);
      if (r.gateFailed()) {
        List<Finding> f = r.verdict().failing();
        failed += f.size();
        failures
            .append(failures.length() == 0 ? "" : "; ")
            .append(image.name())
            .append(": ")
            .append(f.get(0).id());
        if (f.size() > 1) {
          failures.append(" and ").append(f.size() - 1).append(" more");
        }
      }
    }
    if (failed > 0) {
      throw new MojoFailureException(
          "caulk:audit: "
              + failed
              + " finding"
              + (failed == 1 ? "" : "s")
              + " at or above "
              + failOn
              + " ("
              + failures
              + "); see the report in "
              + workDir());
    }
  }

  static Platform platform(String text) {
    try {
      return Platform.parse(text);
    } catch (IllegalArgumentException e) {
      throw new PomException("platform", String.valueOf(e.getMessage()));
    }
  }

  /** An image name as a file name: what is not a letter, digit, dot or dash becomes {@code _}. */
  static String fileName(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toCharArray()) {
      b.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' ? c : '_');
    }
    return b.toString();
  }

  String version() {
    String v = getClass().getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
