package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.spec.Platform;
import dev.caulk.verbs.Copy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk copy SRC DST}: moves an image between registries, OCI layouts and archives. */
@Command(
    name = "copy",
    aliases = "cp",
    mixinStandardHelpOptions = true,
    description = {
      "Copy an image (or, with --all, a whole index) from one location to another.",
      "Digests are preserved: manifests and blobs are copied byte for byte and verified as they stream,",
      "except that a Docker-format image written to oci:DIR is converted to OCI media types (a new digest, said on stderr).",
      "Prints DESTINATION@DIGEST on stdout."
    },
    footer = {
      "",
      "Examples:",
      "  caulk copy docker://127.0.0.1:5000/app:v1 oci:out:app",
      "  caulk copy --all oci:out:app docker-archive:app.tar:app:v1",
      "  caulk copy --referrers docker://127.0.0.1:5000/app:v1 docker://mirror.example/app:v1",
      "  caulk copy --src-creds user:pass registry.example/app:v1 oci:app"
    })
final class CopyCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(
      index = "0",
      paramLabel = "SRC",
      converter = LocationConverter.class,
      description = "Where the image is.")
  ImageLocation source;

  @Parameters(
      index = "1",
      paramLabel = "DST",
      converter = LocationConverter.class,
      description = "Where to write it.")
  ImageLocation destination;

  @Option(
      names = {"-a", "--all"},
      description = "Copy the whole index (every platform), not one image.")
  boolean all;

  @Option(
      names = "--platform",
      converter = PlatformConverter.class,
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to pick from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(
      names = "--preserve-digests",
      description = {
        "Fail instead of converting when the digest would change:",
        "an OCI layout holds OCI images, so a Docker-format image written to oci: is converted to OCI media types",
        "(as skopeo does), which gives it a new digest."
      })
  boolean preserveDigests;

  @Option(
      names = "--referrers",
      description = {
        "Copy what is attached to the image too: cosign's sha256-<hex>.sig/.att/.sbom",
        "images and its OCI 1.1 referrers (a registry's referrers API or fallback index sha256-<hex>;",
        "in oci: layouts untagged index.json entries whose subject is the image, as they are written there).",
        "Implies --preserve-digests; each attachment copied is said on stderr."
      })
  boolean referrers;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Copy.Options options =
        Copy.options()
            .source(source)
            .destination(destination)
            .all(all)
            .platform(platform)
            .preserveDigests(preserveDigests)
            .referrers(referrers)
            .build();
    console.out().println(Copy.run(options, registry.session(console)).pinned());
    return ExitCodes.OK;
  }
}
