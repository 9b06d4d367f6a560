package dev.caulk.cli;

import dev.caulk.verbs.Push;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk push}: pushes what the last build wrote, without building again. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Push the images the last 'caulk build' of this project wrote (recorded in .caulk/last-build.json)",
      "to PREFIXSERVICE:TAG. Blobs the registry has are skipped; the shared system layer goes up once.",
      "Prints IMAGE:TAG@DIGEST per service on stdout."
    },
    footer = {
      "",
      "Examples:",
      "  caulk push --all",
      "  caulk push stats --prefix 127.0.0.1:5000/advent/"
    })
final class PushCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(
      paramLabel = "SERVICE",
      arity = "0..*",
      description = "Services to push (default: all built).")
  List<String> services = new ArrayList<>();

  @Option(names = "--all", description = "Push every service of the last build.")
  boolean all;

  @Option(
      names = {"-C", "--project"},
      paramLabel = "DIR",
      description = "Project root (default: the current folder).")
  Path project = Path.of(".");

  @Option(names = "--prefix", description = "Override the recorded image name prefix.")
  String prefix;

  @Option(names = "--tag", description = "Override the recorded tag.")
  String tag;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Push.Options options =
        Push.options()
            .projectDir(project)
            .services(services)
            .all(all)
            .prefix(prefix)
            .tag(tag)
            .build();
    for (Push.Pushed p : Push.run(options, registry.session(console)).pushed()) {
      console.out().println(p.pinned());
    }
    return ExitCodes.OK;
  }
}
