package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.scan.sbom.SbomFormat;
import dev.caulk.spec.Platform;
import dev.caulk.verbs.Sbom;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code caulk sbom LOC}: the image's packages as CycloneDX 1.6 or SPDX 2.3 JSON. */
@Command(
    name = "sbom",
    mixinStandardHelpOptions = true,
    description = {
      "List an image's packages as an SBOM (CycloneDX 1.6 or SPDX 2.3 JSON).",
      "Reads each layer once: dpkg (and distroless status.d), apk, Go binaries",
      "(build info) and Java archives (nested, pom.properties, MANIFEST.MF). OS packages",
      "carry their source package (purl upstream=, caulk:package:sourceName), so",
      "'caulk scan SBOM.json' can re-check the list later without the image."
    })
final class SbomCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(
      names = "--platform",
      converter = PlatformConverter.class,
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to read from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "cyclonedx or spdx (default: cyclonedx).")
  SbomFormat format = SbomFormat.CYCLONEDX;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the SBOM to FILE (atomically) instead of stdout.")
  Path output;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Sbom.Options options =
        Sbom.options()
            .location(location)
            .platform(platform)
            .format(format)
            .output(output)
            .toolVersion(VersionProvider.version())
            .build();
    Sbom.Result r = Sbom.run(options, registry.session(console));
    if (output == null) {
      console.out().write(r.document());
      console.out().flush();
    }
    if (!r.inventory().problems().isEmpty()) {
      console.status(
          r.inventory().problems().size() + " file(s) could not be fully read; --debug lists them");
    }
    console.status(
        r.inventory().packages().size()
            + " packages"
            + (output == null ? "" : " written to " + output));
    return ExitCodes.OK;
  }

  /** {@code cyclonedx}, {@code spdx} (and their -json spellings) as a usage error when wrong. */
  static final class FormatConverter implements ITypeConverter<SbomFormat> {
    @Override
    public SbomFormat convert(String value) {
      try {
        return SbomFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
