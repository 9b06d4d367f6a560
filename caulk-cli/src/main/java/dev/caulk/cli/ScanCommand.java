package dev.caulk.cli;

import dev.caulk.spec.Platform;
import dev.caulk.verbs.Scan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk scan LOC|SBOM.json}: known vulnerabilities from the local OSV database, offline. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Report known vulnerabilities of an image or a stored SBOM, offline.",
      "Reads the local OSV database; advisories are never downloaded here ('caulk db",
      "update' or 'caulk db import' fills the database). SBOMs: CycloneDX or SPDX JSON.",
      "Debian, Ubuntu and Alpine packages are matched by source package and source",
      "version with the distribution's own version order; Go modules by semver;",
      "Maven artifacts by Maven's order. A stored SBOM is re-checked against today's",
      "database without the image: continuous rescanning."
    },
    footer = {
      "",
      "Ignores (--ignore, .caulkignore), one per line:",
      "  ID [PATH-GLOB] [pkg:NAME] [exp:YYYY-MM-DD] [# reason]",
      "  CVE-2023-4911                      # not reachable: no setuid binaries",
      "  CVE-2024-2961 pkg:glibc exp:2026-06-30",
      "",
      "Exit codes: 0 done, 1 error (also: no database), 2 usage error, and N when",
      "--exit-code N is set and vulnerabilities remain after --severity,",
      "--ignore-unfixed and ignores."
    })
final class ScanCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  @Mixin DbOption db;
  private Console console;

  @Parameters(
      index = "0",
      paramLabel = "LOCATION|SBOM",
      description = "An image location, or a CycloneDX/SPDX JSON file.")
  String target;

  @Option(
      names = "--platform",
      converter = PlatformConverter.class,
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to read from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = {
        "table, json, sarif, junit, cyclonedx (an SBOM with a vulnerabilities section)",
        "or openvex (a VEX draft of the findings). Default: table."
      })
  String format = "table";

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the result to FILE (atomically) instead of stdout.")
  Path output;

  @Option(
      names = "--severity",
      paramLabel = "LEVEL",
      split = ",",
      description =
          "Report only these severities: unknown, low, medium, high, critical (comma-separated; default all).")
  List<String> severities = new ArrayList<>();

  @Option(
      names = "--ignore-unfixed",
      description = "Leave out vulnerabilities that have no fixed version yet.")
  boolean ignoreUnfixed;

  @Option(
      names = "--include-kernel",
      description =
          "Also match packages built from the Linux kernel source (off: they concern the host).")
  boolean includeKernel;

  @Option(
      names = "--exit-code",
      paramLabel = "N",
      description = "Exit with N when vulnerabilities remain (default 0).")
  int exitCode;

  @Option(
      names = "--ignore",
      paramLabel = "ID[ PKG/GLOB/EXP]",
      description = "Ignore a vulnerability (same syntax as a .caulkignore line). Repeatable.")
  List<String> ignores = new ArrayList<>();

  @Option(
      names = "--ignorefile",
      paramLabel = "FILE",
      description = "Ignore file (default: ./.caulkignore when present).")
  Path ignoreFile;

  @Option(
      names = "--vex",
      paramLabel = "FILE",
      description = {
        "An OpenVEX or CycloneDX VEX document (repeatable):",
        "findings stated not_affected or fixed for the image or package are dropped, under_investigation said on stderr."
      })
  List<Path> vex = new ArrayList<>();

  @Option(
      names = "--vex-from-registry",
      description = {
        "Also apply the OpenVEX and CycloneDX VEX attestations attached to the image (sha256-<hex>.att",
        "and OCI 1.1 referrers), as --vex applies a file. Needs --key: only attestations that verify",
        "with it count; the others are ignored with a warning."
      })
  boolean vexFromRegistry;

  @Option(
      names = "--key",
      paramLabel = "PUB",
      description = "The public key VEX attestations must verify with (cosign.pub).")
  Path key;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Scan.Options options =
        Scan.options()
            .target(target)
            .platform(platform)
            .format(format)
            .output(output)
            .colour(console.stdoutColor())
            .toolVersion(VersionProvider.version())
            .severities(severities)
            .ignoreUnfixed(ignoreUnfixed)
            .includeKernel(includeKernel)
            .gate(exitCode != 0)
            .ignores(ignores)
            .ignoreFile(ignoreFile)
            .vex(vex)
            .vexFromRegistry(vexFromRegistry)
            .vexKey(key)
            .searchIgnoreFileIn(Path.of(""))
            .database(db.directory())
            .build();
    Scan.Result r = Scan.run(options, registry.session(console));
    if (output == null) {
      console.out().write(r.document());
      console.out().flush();
    }
    int left = r.verdict().report().findings().size();
    int ignored = r.verdict().suppressed().size();
    console.status(
        left
            + " vulnerabilit"
            + (left == 1 ? "y" : "ies")
            + " in "
            + r.packages()
            + " packages"
            + (ignored == 0 ? "" : ", " + ignored + " ignored"));
    return r.gateFailed() ? exitCode : ExitCodes.OK;
  }
}
