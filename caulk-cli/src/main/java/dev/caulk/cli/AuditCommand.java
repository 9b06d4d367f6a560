package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.report.Gate;
import dev.caulk.report.IgnoreFile;
import dev.caulk.spec.Platform;
import dev.caulk.verbs.Audit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caulk audit LOC}: inventory and checks of an image, from one streaming read of its layers.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Audit an image: what is inside (sizes per folder, programs on PATH, setuid/setgid files, file "
          + "capabilities, world-writable paths, shells, package managers, accounts) and what is wrong with it (every "
          + "Dockle checkpoint, CIS Docker Benchmark 4.x, secrets in every layer, deleted ones included).",
      "Each layer is read once, streaming, and verified against its digest; nothing is unpacked or written but the "
          + "report. Secret values are masked in every format."
    },
    footer = {
      "",
      "JSON shape (--format json):",
      "  {\"schema\", \"image\": {\"name\", \"digest\", \"platform\", …}, \"summary\": {…},",
      "   \"inventory\": {\"topLevel\": {\"/usr\": {\"files\", \"bytes\"}, …}, \"pathExecutables\", \"setuid\", \"setgid\",",
      "                 \"capabilities\", \"worldWritable\", \"shells\", \"packageManagers\", \"hiddenBytes\", \"imageBytes\",",
      "                 \"treeBytes\", \"files\", \"layerBytes\", \"pathFolders\", \"accounts\", \"layers\"},",
      "   \"findings\": [{\"id\", \"severity\", \"title\", \"path\", \"layer\", \"detail\", \"remediation\", \"references\", \"fingerprint\"}],",
      "   \"rules\": [...]}",
      "",
      "Ignores (--ignore and .caulkignore): ID [PATH-GLOB] [exp:YYYY-MM-DD] [# reason], e.g. 'CIS-DI-0008 /usr/bin/passwd'.",
      "Gate: with --exit-code N, exit N when a finding at or above --severity (default: any) is not ignored."
    })
final class AuditCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "LOCATION",
      converter = LocationConverter.class,
      description = "The image (required unless --list-secret-rules).")
  ImageLocation location;

  @Option(
      names = "--platform",
      converter = PlatformConverter.class,
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to audit from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "table, json, sarif or junit (default: table).")
  String format = "table";

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(
      names = "--exit-code",
      paramLabel = "N",
      description =
          "Exit with N when a finding at or above --severity remains after ignores (default 0: never fail).")
  int exitCode;

  @Option(
      names = "--severity",
      paramLabel = "LEVEL",
      description =
          "Lowest severity that fails the --exit-code gate: info, low, medium, high or critical (Dockle's "
              + "warn and fatal are accepted); default: any finding. Findings below it are still reported.")
  String severity;

  @Option(
      names = "--ignore",
      paramLabel = "'ID [GLOB] [exp:DATE]'",
      description = "Accept findings of rule ID (on paths matching GLOB, until DATE). Repeatable.")
  List<String> ignores = new ArrayList<>();

  @Option(
      names = "--ignorefile",
      paramLabel = "FILE",
      description =
          "Read ignores from FILE (default: "
              + IgnoreFile.NAME
              + " in the working directory, when present).")
  Path ignoreFile;

  @Option(
      names = "--no-secrets",
      description = "Do not scan file contents for secrets (the config is still checked).")
  boolean noSecrets;

  @Option(
      names = "--secret-config",
      paramLabel = "FILE",
      description =
          "Secret rules to add, built-in ids to disable and allow lists (paths, patterns, stop words), in "
              + "YAML (see docs/secrets.md); default: .caulk/secrets.yaml in the working directory, when present.")
  Path secretConfig;

  @Option(
      names = "--list-secret-rules",
      description =
          "Print every secret rule (id, severity, title: built-in and --secret-config rules, then the "
              + "credential-file name categories) and exit; -f json for JSON. No image is read.")
  boolean listSecretRules;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    if (exitCode < 0 || exitCode > 255)
      throw new UsageException("--exit-code must be between 0 and 255");
    if (listSecretRules) {
      if (location != null) {
        throw new UsageException("--list-secret-rules takes no image");
      }
      Audit.SecretRuleListing list = Audit.secretRules(secretConfig, Path.of(""));
      byte[] document = list.render(format);
      if (list.config() != null) {
        console.info("audit: secret rules from " + list.config());
      }
      console.out().write(document);
      console.out().flush();
      return ExitCodes.OK;
    }
    if (location == null) {
      throw new UsageException("an image LOCATION is required (or --list-secret-rules)");
    }
    Audit.Options options =
        Audit.options()
            .location(location)
            .platform(platform)
            .format(format)
            .output(output)
            .colour(console.stdoutColor())
            .toolVersion(VersionProvider.version())
            .secrets(!noSecrets)
            .failOn(severity)
            .gate(exitCode != 0)
            .ignores(ignores)
            .ignoreFile(ignoreFile)
            .searchIgnoreFileIn(Path.of(""))
            .secretConfig(secretConfig)
            .searchSecretConfigIn(Path.of(""))
            .build();
    Audit.Result r = Audit.run(options, registry.session(console));
    if (output == null) {
      console.out().write(r.document());
      console.out().flush();
    }
    Gate.Verdict v = r.verdict();
    int shown = r.report().findings().size();
    console.status(
        shown
            + (shown == 1 ? " finding" : " findings")
            + (v.suppressed().isEmpty() ? "" : " (" + v.suppressed().size() + " ignored)")
            + (exitCode == 0
                ? ""
                : v.passed()
                    ? "; gate passed"
                    : "; gate failed: " + v.failing().size() + " at or above " + v.threshold()));
    return r.gateFailed() ? exitCode : ExitCodes.OK;
  }
}
