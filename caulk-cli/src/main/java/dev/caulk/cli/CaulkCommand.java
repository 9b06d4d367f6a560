package dev.caulk.cli;

import picocli.CommandLine.Command;

/** {@code caulk}: the root command; every verb is a subcommand. */
@Command(
    name = "caulk",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Builds, audits, hardens, slims, scans and pushes OCI container images without a Docker daemon.",
        "",
        "Image locations (skopeo syntax): oci:DIR[:TAG], docker-archive:FILE[:REF|@N], docker://REF, or a bare REF (a registry)."
    },
    subcommands = {BuildCommand.class, PushCommand.class, CopyCommand.class, InspectCommand.class, AuditCommand.class, DigestCommand.class,
        TagsCommand.class, HardenCommand.class, SlimCommand.class, SbomCommand.class, ScanCommand.class, DbCommand.class},
    footer = {"", "Exit codes: 0 success, 1 error, 2 usage error; a failed gate exits with the --exit-code you set.",
        "Run 'caulk VERB --help' for a verb's options."})
public final class CaulkCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing verb");
  }
}
