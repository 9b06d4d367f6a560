package dev.caulk.cli;

import dev.caulk.verbs.KeyGenerate;
import dev.caulk.verbs.Session;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code caulk key}: key management; {@code caulk key generate} makes a cosign-format key pair. */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    subcommands = KeyCommand.Generate.class,
    description = "Manage signing keys (cosign's format). See 'caulk key generate --help'.")
final class KeyCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: generate");
  }

  /** {@code caulk key generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write an ECDSA P-256 key pair as cosign generate-key-pair does: PREFIX.key "
            + "(encrypted with a password, mode 0600) and PREFIX.pub. cosign, skopeo and "
            + "podman read both. Existing files are never replaced. The password comes from "
            + "CAULK_PASSWORD or COSIGN_PASSWORD, else it is asked on the terminal (twice)."
      })
  static final class Generate implements Callable<Integer>, ConsoleAware {
    @Mixin CommonOptions common;
    private Console console;

    @Option(
        names = "--output-key-prefix",
        paramLabel = "PREFIX",
        defaultValue = KeyGenerate.DEFAULT_PREFIX,
        description = "Write PREFIX.key and PREFIX.pub (default: cosign).")
    String prefix;

    @Option(
        names = {"--password", "--key-password"},
        hidden = true,
        paramLabel = "PASSWORD")
    String passwordOnCommandLine;

    @Override
    public void console(Console c) {
      this.console = c;
    }

    @Override
    public Integer call() throws Exception {
      if (passwordOnCommandLine != null) {
        throw new UsageException(Passwords.ON_COMMAND_LINE);
      }
      KeyGenerate.Builder b = KeyGenerate.options().outputKeyPrefix(prefix);
      b.password(new char[0]).build(); // the prefix is checked before the password is asked for
      char[] password = Passwords.read("the new private key", true);
      try {
        KeyGenerate.Result r =
            KeyGenerate.run(b.password(password).build(), Session.defaults(console));
        console.out().println("Private key written to " + r.privateKey());
        console.out().println("Public key written to " + r.publicKey());
      } finally {
        Arrays.fill(password, '\0');
      }
      return ExitCodes.OK;
    }
  }
}
