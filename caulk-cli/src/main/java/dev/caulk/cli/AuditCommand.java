package dev.caulk.cli;

import dev.caulk.audit.Auditor;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import dev.caulk.report.Gate;
import dev.caulk.report.Ignore;
import dev.caulk.report.IgnoreFile;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import dev.caulk.report.format.ReportWriter;
import dev.caulk.report.format.ReportWriters;
import dev.caulk.spec.Platform;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk audit LOC}: inventory and checks of an image, from one streaming read of its layers. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Audit an image: what is inside (sizes per folder, programs on PATH, setuid/setgid files, file "
        + "capabilities, world-writable paths, shells, package managers, accounts) and what is wrong with it (every "
        + "Dockle checkpoint, CIS Docker Benchmark 4.x, secrets in every layer, deleted ones included).",
        "Each layer is read once, streaming, and verified against its digest; nothing is unpacked or written but the "
            + "report. Secret values are masked in every format."},
    footer = {"", "JSON shape (--format json):",
        "  {\"schema\", \"image\": {\"name\", \"digest\", \"platform\", …}, \"summary\": {…},",
        "   \"inventory\": {\"topLevel\": {\"/usr\": {\"files\", \"bytes\"}, …}, \"pathExecutables\", \"setuid\", \"setgid\",",
        "                 \"capabilities\", \"worldWritable\", \"shells\", \"packageManagers\", \"hiddenBytes\", \"imageBytes\",",
        "                 \"treeBytes\", \"files\", \"layerBytes\", \"pathFolders\", \"accounts\", \"layers\"},",
        "   \"findings\": [{\"id\", \"severity\", \"title\", \"path\", \"layer\", \"detail\", \"remediation\", \"references\", \"fingerprint\"}],",
        "   \"rules\": [...]}",
        "",
        "Ignores (--ignore and .caulkignore): ID [PATH-GLOB] [exp:YYYY-MM-DD] [# reason], e.g. 'CIS-DI-0008 /usr/bin/passwd'.",
        "Gate: with --exit-code N, exit N when a finding at or above --severity (default: any) is not ignored."})
final class AuditCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(names = "--platform", converter = PlatformConverter.class, paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to audit from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "table, json, sarif or junit (default: table).")
  String format = "table";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(names = "--exit-code", paramLabel = "N",
      description = "Exit with N when a finding at or above --severity remains after ignores (default 0: never fail).")
  int exitCode;

  @Option(names = "--severity", paramLabel = "LEVEL",
      description = "Lowest severity that fails the --exit-code gate: info, low, medium, high or critical (Dockle's "
          + "warn and fatal are accepted); default: any finding. Findings below it are still reported.")
  String severity;

  @Option(names = "--ignore", paramLabel = "'ID [GLOB] [exp:DATE]'",
      description = "Accept findings of rule ID (on paths matching GLOB, until DATE). Repeatable.")
  List<String> ignores = new ArrayList<>();

  @Option(names = "--ignorefile", paramLabel = "FILE",
      description = "Read ignores from FILE (default: " + IgnoreFile.NAME + " in the working directory, when present).")
  Path ignoreFile;

  @Option(names = "--no-secrets", description = "Do not scan file contents for secrets (the config is still checked).")
  boolean noSecrets;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    if (exitCode < 0 || exitCode > 255) throw new UsageException("--exit-code must be between 0 and 255");
    ReportWriter writer;
    Severity threshold;
    try {
      writer = ReportWriters.forFormat(format, VersionProvider.version(), output == null && console.stdoutColor());
      threshold = severity == null ? Severity.UNKNOWN : Severity.parse(severity);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    List<Ignore> accepted = readIgnores();

    Artifact a = Locations.open(location, registry.sourceOptions(console, location));
    Image image = a.image(platform);
    Auditor.Options options = Auditor.Options.defaults().withName(name(location), tag(location))
        .withSecrets(!noSecrets).withListener(console);
    Report report = Auditor.audit(image, options);
    Gate.Verdict verdict = new Gate(threshold, accepted).evaluate(report, LocalDate.now());
    for (Ignore i : verdict.expired()) warn("ignore '" + i + "' (" + i.origin() + ") expired on " + i.expires() + "; its findings are back");
    for (Ignore i : verdict.unused()) console.onEvent(new Event.Log(Event.Level.INFO, "ignore '" + i + "' (" + i.origin() + ") matched nothing"));
    write(writer, verdict.report());
    int shown = verdict.report().findings().size();
    console.status(shown + (shown == 1 ? " finding" : " findings") + (verdict.suppressed().isEmpty() ? ""
        : " (" + verdict.suppressed().size() + " ignored)") + (exitCode == 0 ? ""
        : verdict.passed() ? "; gate passed" : "; gate failed: " + verdict.failing().size() + " at or above " + threshold));
    return exitCode != 0 && !verdict.passed() ? exitCode : ExitCodes.OK;
  }

  private List<Ignore> readIgnores() throws IOException {
    List<Ignore> out = new ArrayList<>();
    for (String text : ignores) {
      try {
        out.add(Ignore.parse(text, "--ignore"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--ignore '" + text + "': " + e.getMessage());
      }
    }
    Path file = ignoreFile;
    if (file == null && Files.isRegularFile(Path.of(IgnoreFile.NAME))) file = Path.of(IgnoreFile.NAME);
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        out.addAll(IgnoreFile.parse(r, file.toString()));
      }
    }
    return out;
  }

  private void write(ReportWriter writer, Report report) throws IOException {
    if (output == null) {
      Writer w = new BufferedWriter(new OutputStreamWriter(console.out(), StandardCharsets.UTF_8));
      writer.write(report, w);
      w.flush();
      return;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (Writer w = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
      writer.write(report, w);
    }
    OutputFile.write(output, bytes.toByteArray());
  }

  private void warn(String message) {
    console.onEvent(new Event.Log(Event.Level.WARN, message));
  }

  /** The image as the user named it. */
  static String name(ImageLocation l) {
    return l instanceof ImageLocation.Registry ? Locations.describe(l) : l.toString();
  }

  /**
   * The tag the user asked for, as Docker resolves it: an untagged registry reference means {@code latest}; a
   * digest pins the image (no tag); an archive or layout named without a tag has none.
   */
  static String tag(ImageLocation l) {
    Reference ref = null;
    if (l instanceof ImageLocation.Registry r) ref = r.reference();
    if (l instanceof ImageLocation.DockerArchive d && d.reference() != null && !d.reference().startsWith("@")) {
      ref = Reference.parse(d.reference());
    }
    if (l instanceof ImageLocation.OciLayout o) return o.tag() == null || o.tag().startsWith("@") ? null : o.tag();
    return ref == null || ref.digest() != null ? null : ref.tag();
  }
}
