package dev.caulk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.audit.secrets.SecretScanner;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.History;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk inspect LOC}: manifest, config and layers, without pulling layers. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Show an image's digest, platform(s), run configuration and layers.",
        "Only the manifest and config are read; layers are not downloaded.",
        "Secret-looking environment values are masked."},
    footer = {"", "JSON shape (--format json):",
        "  {\"digest\", \"mediaType\", \"platform\", \"config\": <OCI config>,",
        "   \"layers\": [{\"digest\", \"size\", \"diffId\", \"mediaType\", \"createdBy\"}],",
        "   \"index\": {\"digest\", \"mediaType\", \"manifests\": [...]}   (only for a multi-platform image)}"})
final class InspectCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(names = "--platform", converter = PlatformConverter.class, paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to show from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(names = {"-f", "--format"}, description = "table or json (default: table).")
  OutputFormat format = OutputFormat.table;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Artifact a = Locations.open(location, registry.sourceOptions(console, location));
    Image image = a.image(platform);
    if (!image.isContainerImage()) return artifact(a, image);
    ConfigFile config = maskEnv(image.config());
    List<Layer> layers = image.layers();
    List<History> made = config.layerHistory();
    if (format == OutputFormat.json) {
      ObjectNode root = SpecJson.mapper().createObjectNode();
      root.put("digest", image.digest().toString());
      root.put("mediaType", image.mediaType());
      root.put("platform", config.platform().toString());
      root.set("config", SpecJson.mapper().readTree(SpecJson.write(config)));
      ArrayNode ls = root.putArray("layers");
      for (int i = 0; i < layers.size(); i++) {
        Layer l = layers.get(i);
        ObjectNode n = ls.addObject();
        n.put("digest", l.digest().toString());
        n.put("size", l.size());
        n.put("diffId", l.diffId().toString());
        n.put("mediaType", l.mediaType());
        n.put("createdBy", made.get(i) == null ? null : made.get(i).createdBy());
      }
      return printJson(a, root);
    }
    PrintStream out = console.out();
    ContainerConfig rc = config.runConfig();
    if (a.isIndex()) {
      row(out, "Index", a.digest() + "  (" + a.mediaType() + ")");
      for (Descriptor d : a.index().index().manifests()) {
        out.printf("  %-22s %s%n", d.platform() == null ? "unknown" : d.platform().toString(), d.digest());
      }
    }
    row(out, "Digest", image.digest().toString());
    row(out, "MediaType", image.mediaType());
    row(out, "Platform", config.platform().toString());
    row(out, "Created", config.created());
    row(out, "User", rc.user() == null || rc.user().isEmpty() ? "(root, not set)" : rc.user());
    row(out, "WorkingDir", rc.workingDir());
    row(out, "Entrypoint", rc.entrypoint() == null ? null : rc.entrypoint().toString());
    row(out, "Cmd", rc.cmd() == null ? null : rc.cmd().toString());
    if (rc.env() != null) for (String e : rc.env()) row(out, "Env", e);
    if (rc.exposedPorts() != null) row(out, "ExposedPorts", String.join(" ", rc.exposedPorts().keySet()));
    if (rc.labels() != null) for (Map.Entry<String, String> e : rc.labels().entrySet()) row(out, "Label", e.getKey() + "=" + e.getValue());
    if (rc.healthcheck() != null && rc.healthcheck().test() != null) row(out, "Healthcheck", rc.healthcheck().test().toString());
    long total = 0;
    for (Layer l : layers) total += l.size();
    row(out, "Layers", layers.size() + " (" + Console.human(total) + " compressed)");
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      String by = made.get(i) == null || made.get(i).createdBy() == null ? "" : made.get(i).createdBy();
      if (by.length() > 70) by = by.substring(0, 69) + "…";
      out.printf("  %2d  %s  %9s  %s%n", i, l.digest().shortString(), Console.human(l.size()), by);
    }
    return ExitCodes.OK;
  }

  /** An OCI artifact that is not a container image (a chart, a signature, an SBOM): its manifest, without a config to decode. */
  private int artifact(Artifact a, Image image) throws Exception {
    var m = image.manifest();
    if (format == OutputFormat.json) {
      ObjectNode root = SpecJson.mapper().createObjectNode();
      root.put("digest", image.digest().toString());
      root.put("mediaType", image.mediaType());
      root.put("artifactType", image.artifactType());
      root.set("config", SpecJson.mapper().valueToTree(m.config()));
      if (m.subject() != null) root.set("subject", SpecJson.mapper().valueToTree(m.subject()));
      if (m.annotations() != null) root.set("annotations", SpecJson.mapper().valueToTree(m.annotations()));
      root.set("layers", SpecJson.mapper().valueToTree(m.layers()));
      return printJson(a, root);
    }
    PrintStream out = console.out();
    row(out, "Digest", image.digest().toString());
    row(out, "MediaType", image.mediaType());
    row(out, "ArtifactType", image.artifactType());
    row(out, "Config", m.config().mediaType() + "  " + m.config().digest().shortString() + "  " + Console.human(m.config().size()));
    if (m.subject() != null) row(out, "Subject", m.subject().digest() + "  (" + m.subject().mediaType() + ")");
    if (m.annotations() != null) for (Map.Entry<String, String> e : m.annotations().entrySet()) row(out, "Annotation", e.getKey() + "=" + e.getValue());
    row(out, "Blobs", Integer.toString(m.layers().size()));
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor l = m.layers().get(i);
      String title = l.annotation("org.opencontainers.image.title");
      out.printf("  %2d  %s  %9s  %s%s%n", i, l.digest().shortString(), Console.human(l.size()), l.mediaType(), title == null ? "" : "  " + title);
    }
    return ExitCodes.OK;
  }

  /** Prints the JSON document, with the index it was picked from when there is one. */
  private int printJson(Artifact a, ObjectNode root) throws Exception {
    if (a.isIndex()) {
      ObjectNode idx = root.putObject("index");
      idx.put("digest", a.digest().toString());
      idx.put("mediaType", a.mediaType());
      idx.set("manifests", SpecJson.mapper().valueToTree(a.index().index().manifests()));
    }
    console.out().println(SpecJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
    return ExitCodes.OK;
  }

  private static void row(PrintStream out, String key, String value) {
    if (value != null && !value.isEmpty()) out.printf("%-13s %s%n", key, value);
  }

  /** The config with secret-looking env values, labels and history lines masked. */
  static ConfigFile maskEnv(ConfigFile c) {
    ContainerConfig rc = c.runConfig();
    if (rc.env() == null) return c;
    List<String> masked = new ArrayList<>();
    for (String e : rc.env()) {
      int eq = e.indexOf('=');
      masked.add(eq < 0 ? e : e.substring(0, eq + 1) + SecretScanner.maskValue(e.substring(0, eq), e.substring(eq + 1)));
    }
    return c.withConfig(new ContainerConfig(rc.user(), rc.exposedPorts(), masked, rc.entrypoint(), rc.cmd(), rc.volumes(),
        rc.workingDir(), rc.labels(), rc.stopSignal(), rc.argsEscaped(), rc.healthcheck(), rc.onBuild(), rc.shell()));
  }

}
