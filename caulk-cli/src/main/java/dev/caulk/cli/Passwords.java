package dev.caulk.cli;

import java.io.Console;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a key's password comes from: {@code CAULK_PASSWORD}, else {@code COSIGN_PASSWORD} (as
 * cosign users have it set), else a prompt on the terminal, never echoed. Never from a flag (it
 * would be in the shell's history and in {@code ps}), never logged.
 */
final class Passwords {
  static final List<String> VARIABLES = List.of("CAULK_PASSWORD", "COSIGN_PASSWORD");
  static final String ON_COMMAND_LINE =
      "caulk takes no password on the command line (it would show in the shell history and in ps);"
          + " set CAULK_PASSWORD or COSIGN_PASSWORD, or run on a terminal to be asked";

  private Passwords() {}

  /**
   * The password, from the environment or asked on {@code terminal} (null when there is none).
   *
   * @param confirm ask twice and require the same answer (for a new key)
   */
  static char[] read(Map<String, String> env, Console terminal, String what, boolean confirm) {
    for (String v : VARIABLES) {
      String p = env.get(v);
      if (p != null) {
        return p.toCharArray();
      }
    }
    if (terminal == null) {
      throw new UsageException(
          "no password for "
              + what
              + ": set CAULK_PASSWORD (or COSIGN_PASSWORD), or run on a terminal to be asked");
    }
    char[] first = terminal.readPassword("Enter password for %s: ", what);
    if (first == null) {
      throw new UsageException("no password for " + what + " (end of input)");
    }
    if (confirm) {
      char[] again = terminal.readPassword("Enter password for %s again: ", what);
      boolean same = again != null && Arrays.equals(first, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new UsageException("the passwords do not match");
      }
    }
    return first;
  }

  /** The password of the process: its environment and terminal. */
  static char[] read(String what, boolean confirm) {
    return read(System.getenv(), System.console(), what, confirm);
  }
}
