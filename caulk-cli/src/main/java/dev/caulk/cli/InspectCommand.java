package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.Platform;
import dev.caulk.verbs.Inspect;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk inspect LOC}: manifest, config and layers, without pulling layers. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show an image's digest, platform(s), run configuration and layers.",
      "Only the manifest and config are read; layers are not downloaded.",
      "Secret-looking environment values are masked."
    },
    footer = {
      "",
      "JSON shape (--format json):",
      "  {\"digest\", \"mediaType\", \"platform\", \"config\": <OCI config>,",
      "   \"layers\": [{\"digest\", \"size\", \"diffId\", \"mediaType\", \"createdBy\"}],",
      "   \"index\": {\"digest\", \"mediaType\", \"manifests\": [...]}   (only for a multi-platform image)}"
    })
final class InspectCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(
      names = "--platform",
      converter = PlatformConverter.class,
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to show from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(
      names = {"-f", "--format"},
      description = "table or json (default: table).")
  OutputFormat format = OutputFormat.table;

  @Option(
      names = "--secret-config",
      paramLabel = "FILE",
      description =
          "Secret rules that decide which env, label and history values are masked, as audit"
              + " --secret-config takes them (default: .caulk/secrets.yaml in the working"
              + " directory, when present).")
  Path secretConfig;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Inspect.Options options =
        Inspect.options()
            .location(location)
            .platform(platform)
            .secretConfig(secretConfig)
            .searchSecretConfigIn(Path.of(""))
            .build();
    Inspect.Result r = Inspect.run(options, registry.session(console));
    PrintStream out = console.out();
    if (format == OutputFormat.json) {
      out.println(r.toJson());
      return ExitCodes.OK;
    }
    if (!r.containerImage()) {
      artifact(out, r);
      return ExitCodes.OK;
    }
    ConfigFile config = r.config();
    ContainerConfig rc = config.runConfig();
    if (r.index() != null) {
      row(out, "Index", r.index().digest() + "  (" + r.index().mediaType() + ")");
      for (Descriptor d : r.index().manifests()) {
        out.printf(
            "  %-22s %s%n", d.platform() == null ? "unknown" : d.platform().toString(), d.digest());
      }
    }
    row(out, "Digest", r.digest().toString());
    row(out, "MediaType", r.mediaType());
    row(out, "Platform", config.platform().toString());
    row(out, "Created", config.created());
    row(out, "User", rc.user() == null || rc.user().isEmpty() ? "(root, not set)" : rc.user());
    row(out, "WorkingDir", rc.workingDir());
    row(out, "Entrypoint", rc.entrypoint() == null ? null : rc.entrypoint().toString());
    row(out, "Cmd", rc.cmd() == null ? null : rc.cmd().toString());
    if (rc.env() != null) {
      for (String e : rc.env()) {
        row(out, "Env", e);
      }
    }
    if (rc.exposedPorts() != null) {
      row(out, "ExposedPorts", String.join(" ", rc.exposedPorts().keySet()));
    }
    if (rc.labels() != null) {
      for (Map.Entry<String, String> e : rc.labels().entrySet()) {
        row(out, "Label", e.getKey() + "=" + e.getValue());
      }
    }
    if (rc.healthcheck() != null && rc.healthcheck().test() != null) {
      row(out, "Healthcheck", rc.healthcheck().test().toString());
    }
    row(
        out,
        "Layers",
        r.layers().size() + " (" + Console.human(r.compressedSize()) + " compressed)");
    for (int i = 0; i < r.layers().size(); i++) {
      Inspect.LayerInfo l = r.layers().get(i);
      String by = l.createdBy() == null ? "" : l.createdBy();
      if (by.length() > 70) {
        by = by.substring(0, 69) + "…";
      }
      out.printf("  %2d  %s  %9s  %s%n", i, l.digest().shortString(), Console.human(l.size()), by);
    }
    return ExitCodes.OK;
  }

  /**
   * An OCI artifact that is not a container image (a chart, a signature, an SBOM): its manifest.
   */
  private static void artifact(PrintStream out, Inspect.Result r) {
    Manifest m = r.manifest();
    row(out, "Digest", r.digest().toString());
    row(out, "MediaType", r.mediaType());
    row(out, "ArtifactType", r.artifactType());
    Descriptor c = m.config();
    row(
        out,
        "Config",
        c.mediaType() + "  " + c.digest().shortString() + "  " + Console.human(c.size()));
    if (m.subject() != null) {
      row(out, "Subject", m.subject().digest() + "  (" + m.subject().mediaType() + ")");
    }
    if (m.annotations() != null) {
      for (Map.Entry<String, String> e : m.annotations().entrySet()) {
        row(out, "Annotation", e.getKey() + "=" + e.getValue());
      }
    }
    row(out, "Blobs", Integer.toString(m.layers().size()));
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor l = m.layers().get(i);
      String title = l.annotation("org.opencontainers.image.title");
      out.printf(
          "  %2d  %s  %9s  %s%s%n",
          i,
          l.digest().shortString(),
          Console.human(l.size()),
          l.mediaType(),
          title == null ? "" : "  " + title);
    }
  }

  private static void row(PrintStream out, String key, String value) {
    if (value != null && !value.isEmpty()) {
      out.printf("%-13s %s%n", key, value);
    }
  }
}
