package dev.caulk.cli;

import java.util.List;
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
    footer = {
      "",
      "Exit codes: 0 success, 1 error, 2 usage error; a failed gate exits with the --exit-code you set.",
      "Run 'caulk VERB --help' for a verb's options."
    })
public final class CaulkCommand implements Runnable {
  /**
   * The verbs, in the order help lists them. They are registered by {@link Main}: only the one
   * invoked when the command line starts with it (picocli builds a model of every option of every
   * registered command at start-up, a noticeable part of a short command's run time), else all.
   */
  static final List<Class<?>> VERBS =
      List.of(
          BuildCommand.class,
          PushCommand.class,
          CopyCommand.class,
          InspectCommand.class,
          AuditCommand.class,
          DigestCommand.class,
          TagsCommand.class,
          HardenCommand.class,
          SlimCommand.class,
          SbomCommand.class,
          ScanCommand.class,
          DbCommand.class,
          KeyCommand.class,
          SignCommand.class,
          VerifyCommand.class,
          AttestCommand.class,
          VerifyAttestationCommand.class,
          TreeCommand.class,
          InitCommand.class);

  /** The verb class a name or alias denotes, read from its annotation, or null. */
  static Class<?> verb(String name) {
    for (Class<?> c : VERBS) {
      picocli.CommandLine.Command a = c.getAnnotation(picocli.CommandLine.Command.class);
      if (a.name().equals(name) || java.util.Arrays.asList(a.aliases()).contains(name)) return c;
    }
    return null;
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing verb");
  }
}
