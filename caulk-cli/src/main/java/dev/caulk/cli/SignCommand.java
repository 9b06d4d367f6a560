package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.verbs.Sign;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk sign LOC --key KEY}: a cosign-compatible signature stored beside the image. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign an image with a key file, as cosign does (offline).",
      "",
      "Sign an image's manifest digest (the index's, for a multi-platform image) with "
          + "a key file, as cosign does: the simple-signing payload, stored as "
          + "sha256-<hex>.sig in the same repository or oci: layout (cosign, skopeo and "
          + "podman read it) and, with --registry-referrers, as an OCI 1.1 referrer too. "
          + "The image is never rewritten. The key's password comes from CAULK_PASSWORD or "
          + "COSIGN_PASSWORD, else it is asked on the terminal. There is no transparency "
          + "log: caulk signs offline (--tlog-upload=false is accepted for cosign scripts)."
    },
    footer = {"", "Prints one line per signature: DIGEST SIGNATURE-IMAGE [referrer DIGEST]."})
final class SignCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  @Mixin SigningKeyFlags signing;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(
      names = {"-a", "--annotations"},
      paramLabel = "KEY=VALUE",
      description =
          "An annotation added to the signed payload (repeatable); verify --annotations can require"
              + " it.")
  List<String> annotations = new ArrayList<>();

  @Option(
      names = "--identity",
      paramLabel = "REPOSITORY",
      description = {
        "The repository the signature claims (docker-reference). Default: the image's repository.",
        "Required for an oci: layout, which has none: name the repository it will be pushed to."
      })
  String identity;

  @Option(
      names = {"-r", "--recursive"},
      description = "For an index, sign each platform image too.")
  boolean recursive;

  @Option(
      names = "--registry-referrers",
      description =
          "Also store the signature as an OCI 1.1 referrer (subject + artifactType): in a registry"
              + " with the referrers tag schema index, in an oci: layout as an untagged index.json"
              + " entry.")
  boolean referrers;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    signing.refusePasswordFlag();
    Sign.Builder b =
        Sign.options()
            .location(location)
            .key(signing.key)
            .annotations(annotations)
            .identity(identity)
            .recursive(recursive)
            .referrers(referrers)
            .tlogUpload(signing.tlogUpload);
    b.build(); // usage mistakes are reported before the password is asked for
    Sign.Result r =
        signing.withPassword(
            password -> Sign.run(b.password(password).build(), registry.session(console)));
    for (Sign.Signed s : r.signed()) {
      console
          .out()
          .println(
              s.digest()
                  + " "
                  + s.attachment()
                  + (s.referrer() != null ? " referrer " + s.referrer() : ""));
    }
    return ExitCodes.OK;
  }
}
