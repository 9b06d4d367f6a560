package dev.caulk.cli;

import dev.caulk.verbs.Rewrite;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code caulk harden SRC --to DST}: take away what an attacker would use, keep what the entrypoint
 * needs.
 */
@Command(
    name = "harden",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Rewrite an image into one layer (nothing a later layer hid stays) without shells, without programs or links in "
          + "the PATH folders but what the entrypoint needs (the program, its ELF closure, --keep), without package "
          + "managers and their caches and data; setuid/setgid bits and file capabilities cleared; running as --user, "
          + "or as a new nonroot 65532:65532 when the image ran as root; accounts without a password locked; "
          + "the runtime user loses write permission "
          + "everywhere but its home and /tmp; file times reset.",
      "Package metadata is kept, distroless style, for the packages whose files remain; the run configuration "
          + "is kept and a history entry says what was done.",
      "Prints the audit inventory before and after (stdout), then DST@DIGEST."
    },
    footer = {
      "",
      "Examples:",
      "  caulk harden oci:out:app --to oci:out:app-hard",
      "  caulk harden registry.example/nginx:1 --to oci:hard --keep /usr/sbin/nginx --user 101 --probe"
    })
final class HardenCommand extends RewriteCommand {
  @Option(
      names = "--keep",
      paramLabel = "PATH|GLOB",
      description =
          "Keep this path or every path the glob matches, "
              + "whatever the rules say (* within a folder, ** across folders). Repeatable.")
  List<String> keep = new ArrayList<>();

  @Option(
      names = "--user",
      paramLabel = "USER",
      description =
          "Run as this user (name, uid or uid:gid) instead of the "
              + "image's; default: keep a non-root user, replace root with nonroot (65532:65532).")
  String user;

  @Option(
      names = "--fix-accounts",
      description =
          "Remove accounts other than root that have uid 0 (default: report them). "
              + "Accounts without a password are always locked.")
  boolean fixAccounts;

  @Override
  Rewrite.Builder verb(Rewrite.Builder options) {
    return options.mode(Rewrite.Mode.HARDEN).keep(keep).user(user).fixAccounts(fixAccounts);
  }
}
