package dev.caulk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.SpecJson;
import dev.caulk.verbs.Verify;
import dev.caulk.verbs.VerifyAttestation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caulk verify-attestation LOC --key PUB [--type T]}: checks an image's attestations and
 * prints their predicates.
 */
@Command(
    name = "verify-attestation",
    mixinStandardHelpOptions = true,
    description = {
      "Verify an image's attestations and print their predicates.",
      "",
      "Verify an image's attestations with a public key (sha256-<hex>.att and, in a "
          + "registry, attestation referrers): the DSSE envelope's signature, the "
          + "statement's form, that its subject is the image's digest, and its predicate "
          + "type (--type; attestations of other types are left out, as cosign does). Exits "
          + "1 when none verifies or any fails."
    },
    footer = {
      "",
      "--format predicate (default): the predicate of each verified attestation, one JSON document"
          + " per line.",
      "--format table: one line per attestation: OK|FAILED SCHEME LAYER-DIGEST WHERE[: reason].",
      "--format json: {\"verified\", \"subject\", \"attestations\": [{\"scheme\", \"where\","
          + " \"layer\", \"verified\", \"reason\",",
      "  \"predicateType\", \"statement\"}]}"
    })
final class VerifyAttestationCommand implements Callable<Integer>, ConsoleAware {
  /** What to print. */
  enum Format {
    predicate,
    table,
    json
  }

  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

  @Option(
      names = "--key",
      paramLabel = "PUB",
      required = true,
      description = "The public key file (cosign.pub).")
  Path key;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description =
          "The predicate type required: a cosign --type name (slsaprovenance, cyclonedx, spdxjson…)"
              + " or a URI (default: any).")
  String type;

  @Option(
      names = {"-f", "--format", "--output"},
      paramLabel = "FORMAT",
      description = "predicate, table or json (default: predicate).")
  Format format = Format.predicate;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    VerifyAttestation.Options o =
        VerifyAttestation.options().location(location).key(key).type(type).build();
    VerifyAttestation.Result r = VerifyAttestation.run(o, registry.session(console));
    switch (format) {
      case json -> {
        ObjectNode root = SpecJson.mapper().createObjectNode();
        root.put("verified", r.ok());
        root.put("subject", r.subject().toString());
        ArrayNode atts = root.putArray("attestations");
        r.found().forEach(f -> atts.add(SignOutput.json(f)));
        console.out().println(SignOutput.pretty(root));
      }
      case table -> r.found().forEach(f -> console.out().println(SignOutput.line(f)));
      default -> {
        for (Verify.Found f : r.verified()) {
          console
              .out()
              .println(SpecJson.mapper().writeValueAsString(f.check().statement().predicate()));
        }
      }
    }
    if (!r.ok()) {
      console.error(
          SignOutput.failure("verification of the attestations of " + location, r.problems()),
          null);
      return ExitCodes.ERROR;
    }
    return ExitCodes.OK;
  }
}
