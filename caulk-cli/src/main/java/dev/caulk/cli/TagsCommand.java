package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.verbs.Tags;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code caulk tags REPO}: the tags of a repository (or of an OCI layout / archive). */
@Command(
    name = "tags",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "List the tags of a registry repository, one per line.",
      "For oci:DIR it lists the layout's tags; for docker-archive:FILE the archive's references."
    })
final class TagsCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "REPOSITORY", converter = LocationConverter.class)
  ImageLocation location;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    for (String t :
        Tags.run(Tags.options().location(location).build(), registry.session(console)).tags()) {
      console.out().println(t);
    }
    return ExitCodes.OK;
  }
}
