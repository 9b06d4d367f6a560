package dev.caulk.cli;

import dev.caulk.build.BuildRecord;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk push}: pushes what the last build wrote, without building again. */
@Command(name = "push", mixinStandardHelpOptions = true,
    description = {"Push the images the last 'caulk build' of this project wrote (recorded in .caulk/last-build.json)",
        "to PREFIXSERVICE:TAG. Blobs the registry has are skipped; the shared system layer goes up once.",
        "Prints IMAGE:TAG@DIGEST per service on stdout."},
    footer = {"", "Examples:", "  caulk push --all", "  caulk push stats --prefix 127.0.0.1:5000/advent/"})
final class PushCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Services to push (default: all built).")
  List<String> services = new ArrayList<>();

  @Option(names = "--all", description = "Push every service of the last build.") boolean all;
  @Option(names = {"-C", "--project"}, paramLabel = "DIR", description = "Project root (default: the current folder).") Path project = Path.of(".");
  @Option(names = "--prefix", description = "Override the recorded image name prefix.") String prefix;
  @Option(names = "--tag", description = "Override the recorded tag.") String tag;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    if (all && !services.isEmpty()) throw new UsageException("give SERVICE names or --all, not both");
    BuildRecord rec = BuildRecord.read(project.toAbsolutePath().normalize());
    List<String> chosen = services.isEmpty() ? new ArrayList<>(rec.services().keySet()) : services;
    String pfx = prefix != null ? prefix : rec.prefix();
    String t = tag != null ? tag : rec.tag();
    List<ImageLocation> targets = new ArrayList<>();
    for (String s : chosen) {
      if (!rec.services().containsKey(s)) {
        throw new UsageException("service '" + s + "' was not built (built: " + String.join(", ", rec.services().keySet()) + ")");
      }
      targets.add(new ImageLocation.Registry(Reference.parse(pfx + s + ":" + t)));
    }
    // One set of options for every push, so one registry client serves them all and a blob
    // pushed for one service (the shared system layer) is mounted into the next repository.
    var dst = registry.destinationOptions(console, targets.toArray(ImageLocation[]::new));
    for (int i = 0; i < chosen.size(); i++) {
      String s = chosen.get(i);
      Digest built = rec.services().get(s);
      Artifact a = Locations.open(new ImageLocation.OciLayout(Path.of(rec.layout()), s), registry.sourceOptions(console));
      if (!a.digest().equals(built)) {
        throw new java.io.IOException(rec.layout() + ": image '" + s + "' is " + a.digest().shortString() + ", not the " + built.shortString()
            + " the last build recorded; build again");
      }
      ImageLocation.Registry target = (ImageLocation.Registry) targets.get(i);
      Digest d = Locations.write(a, target, dst);
      console.out().println(target.reference().name() + ":" + target.reference().tag() + "@" + d);
    }
    return ExitCodes.OK;
  }
}
