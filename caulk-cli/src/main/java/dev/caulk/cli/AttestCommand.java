package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.verbs.Attest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caulk attest LOC --key KEY --predicate FILE --type T}: a signed in-toto statement stored
 * beside the image.
 */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description = {
      "Attach a signed in-toto attestation (SBOM, SLSA provenance, VEX…) to an image.",
      "",
      "Attest an image as cosign attest does: an in-toto Statement v1 about the "
          + "image's digest with the predicate file (an SBOM from 'caulk sbom', SLSA "
          + "provenance, a VEX document…), signed in a DSSE envelope and stored as "
          + "sha256-<hex>.att beside the image (and, with --registry-referrers, as an OCI "
          + "1.1 referrer too). The key's password comes from CAULK_PASSWORD or "
          + "COSIGN_PASSWORD, else it is asked on the terminal."
    },
    footer = {
      "",
      "--type names (cosign's): slsaprovenance (v0.2), slsaprovenance1, spdx, spdxjson, cyclonedx,"
          + " openvex, vuln,",
      "link, custom; or any predicate type URI. cyclonedx and spdx predicates must be documents of"
          + " that format.",
      "Prints: DIGEST PREDICATE-TYPE ATTESTATION-IMAGE [referrer DIGEST]."
    })
final class AttestCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  @Mixin SigningKeyFlags signing;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(
      names = "--predicate",
      paramLabel = "FILE",
      required = true,
      description = "The predicate: a JSON file.")
  Path predicate;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "custom",
      description = "The predicate type (default: custom).")
  String type;

  @Option(
      names = "--subject-name",
      paramLabel = "NAME",
      description =
          "The statement subject's name (default: the image's repository; none for an oci:"
              + " layout).")
  String subjectName;

  @Option(
      names = "--registry-referrers",
      description =
          "Also store the attestation as an OCI 1.1 referrer (a registry, or an oci: layout as an"
              + " untagged index.json entry).")
  boolean referrers;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    signing.refusePasswordFlag();
    Attest.Builder b =
        Attest.options()
            .location(location)
            .key(signing.key)
            .predicate(predicate)
            .type(type)
            .subjectName(subjectName)
            .referrers(referrers)
            .tlogUpload(signing.tlogUpload);
    b.build(); // usage mistakes are reported before the password is asked for
    Attest.Result r =
        signing.withPassword(
            password -> Attest.run(b.password(password).build(), registry.session(console)));
    console
        .out()
        .println(
            r.subject()
                + " "
                + r.predicateType()
                + " "
                + r.attachment()
                + (r.referrer() != null ? " referrer " + r.referrer() : ""));
    return ExitCodes.OK;
  }
}
