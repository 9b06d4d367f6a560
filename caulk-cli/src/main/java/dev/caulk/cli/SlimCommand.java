package dev.caulk.cli;

import dev.caulk.verbs.Rewrite;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caulk slim SRC --to DST}: keep only what the entrypoint needs. */
@Command(
    name = "slim",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Rewrite an image into one layer holding only what its entrypoint needs: the program (Entrypoint + Cmd, "
          + "found through PATH, #! interpreters), its ELF closure from the image's own files (loader, DT_NEEDED through "
          + "RPATH/RUNPATH/$ORIGIN/ld.so.conf, symlinks kept as symlinks, NSS modules and libgcc_s), the essential /etc "
          + "(passwd, group, nsswitch.conf, hosts, resolv.conf, os-release, CA bundle, the zone of TZ and /etc/localtime), "
          + "the workdir and the user's home, plus --include and --include-exe.",
      "Package metadata is rewritten distroless style (/var/lib/dpkg/status.d/<package> with its md5sums; apk's "
          + "installed reduced) for exactly the packages whose files remain. setuid/setgid bits and file "
          + "capabilities are cleared; the user and the run configuration are kept.",
      "Prints the audit inventory before and after (stdout), then DST@DIGEST."
    },
    footer = {
      "",
      "Examples:",
      "  caulk slim oci:out:app --to oci:out:app-slim",
      "  caulk slim registry.example/app:1 --to oci:slim --probe --probe-http /healthz",
      "  caulk slim oci:out:py --to oci:out:py-slim --include '/usr/lib/python3*/**' --include-exe python3 --probe --trace"
    })
final class SlimCommand extends RewriteCommand {
  @Option(
      names = "--include",
      paramLabel = "PATH|GLOB",
      description =
          "Also keep this path (a folder with everything below it) "
              + "or every path the glob matches (* within a folder, ** across folders). Repeatable.")
  List<String> include = new ArrayList<>();

  @Option(
      names = "--include-exe",
      paramLabel = "NAME",
      description =
          "Also keep this program (found through the image's PATH) "
              + "with its ELF closure. Repeatable.")
  List<String> includeExe = new ArrayList<>();

  @Override
  Rewrite.Builder verb(Rewrite.Builder options) {
    return options.mode(Rewrite.Mode.SLIM).keep(include).includeExe(includeExe);
  }
}
