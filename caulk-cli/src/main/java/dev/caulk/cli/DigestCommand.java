package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.spec.Platform;
import dev.caulk.verbs.DigestOf;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk digest LOC}: the manifest digest, for pinning. */
@Command(
    name = "digest",
    mixinStandardHelpOptions = true,
    description = {
      "Print the digest of an image's manifest (of the index, for a multi-platform image,",
      "unless --platform is given)."
    })
final class DigestCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(
      names = "--platform",
      converter = PlatformConverter.class,
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "Print the digest of this platform's image instead of the index's.")
  Platform platform;

  @Option(names = "--full-ref", description = "Print LOCATION@DIGEST.")
  boolean fullRef;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    DigestOf.Options options = DigestOf.options().location(location).platform(platform).build();
    DigestOf.Result r = DigestOf.run(options, registry.session(console));
    console.out().println(fullRef ? r.pinned() : r.digest().toString());
    return ExitCodes.OK;
  }
}
