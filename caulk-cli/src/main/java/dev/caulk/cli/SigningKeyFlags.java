package dev.caulk.cli;

import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * The flags every signing command shares ({@code sign}, {@code attest}): the private key, cosign's
 * {@code --tlog-upload} (only false: caulk signs offline), and the refusal of a password on the
 * command line. {@link #withPassword} asks for the key's password once the caller's options are
 * known to be valid, and clears it afterwards.
 */
final class SigningKeyFlags {
  /** Work that needs the key's password; the array is cleared when it returns. */
  interface WithPassword<R> {
    R run(char[] password) throws Exception;
  }

  @Option(
      names = "--key",
      paramLabel = "KEY",
      required = true,
      description = "The private key file (cosign.key).")
  Path key;

  @Option(
      names = "--tlog-upload",
      arity = "1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description =
          "cosign's flag; caulk has no transparency log, so only false is accepted (the default).")
  boolean tlogUpload;

  @Option(
      names = {"--password", "--key-password"},
      hidden = true,
      paramLabel = "PASSWORD")
  String passwordOnCommandLine;

  /** Refuses a password given as a flag; call first, before anything is read or asked. */
  void refusePasswordFlag() {
    if (passwordOnCommandLine != null) {
      throw new UsageException(Passwords.ON_COMMAND_LINE);
    }
  }

  /**
   * Reads the key's password (environment or terminal), runs {@code work} with it and clears it.
   */
  <R> R withPassword(WithPassword<R> work) throws Exception {
    char[] password = Passwords.read(key.toString(), false);
    try {
      return work.run(password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
