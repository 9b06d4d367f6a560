package dev.caulk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.SpecJson;
import dev.caulk.verbs.Verify;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caulk verify LOC --key PUB}: checks every signature of an image; exit 1 unless they
 * verify.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify an image's signatures with a public key; exit 1 unless they verify.",
      "",
      "Verify an image's signatures with a public key: every signature stored as "
          + "sha256-<hex>.sig and, in a registry, every signature referrer. Each is checked "
          + "for the key, the signed digest, the payload's form and the --annotations "
          + "required. Exits 1 when none verifies or any fails, with the reason on one "
          + "line."
    },
    footer = {
      "",
      "Table: one line per signature: OK|FAILED SCHEME LAYER-DIGEST WHERE[: reason].",
      "JSON (--format json): {\"verified\": bool, \"subjects\": [{\"digest\", \"verified\","
          + " \"signatures\": [{\"scheme\", \"where\",",
      "  \"layer\", \"verified\", \"reason\", \"identity\", \"digest\", \"annotations\"}]}]}"
    })
final class VerifyCommand implements Callable<Integer>, ConsoleAware {
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
      names = {"-a", "--annotations"},
      paramLabel = "KEY=VALUE",
      description = "An annotation each signature must carry with this value (repeatable).")
  List<String> annotations = new ArrayList<>();

  @Option(
      names = {"-r", "--recursive"},
      description = "For an index, each platform image must verify too.")
  boolean recursive;

  @Option(
      names = {"-f", "--format", "--output"},
      paramLabel = "FORMAT",
      description = "table or json (default: table).")
  SignOutput.Format format = SignOutput.Format.table;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Verify.Options o =
        Verify.options()
            .location(location)
            .key(key)
            .annotations(annotations)
            .recursive(recursive)
            .build();
    Verify.Result r = Verify.run(o, registry.session(console));
    if (format == SignOutput.Format.json) {
      ObjectNode root = SpecJson.mapper().createObjectNode();
      root.put("verified", r.ok());
      ArrayNode subjects = root.putArray("subjects");
      for (Verify.Subject s : r.subjects()) {
        ObjectNode n = subjects.addObject();
        n.put("digest", s.digest().toString());
        n.put("verified", s.ok());
        ArrayNode sigs = n.putArray("signatures");
        s.found().forEach(f -> sigs.add(SignOutput.json(f)));
      }
      console.out().println(SignOutput.pretty(root));
    } else {
      for (Verify.Subject s : r.subjects()) {
        if (r.subjects().size() > 1) {
          console.out().println(s.digest() + (s.ok() ? " verified" : " NOT verified"));
        }
        s.found().forEach(f -> console.out().println(SignOutput.line(f)));
      }
    }
    if (!r.ok()) {
      console.error(SignOutput.failure("verification of " + location, r.problems()), null);
      return ExitCodes.ERROR;
    }
    return ExitCodes.OK;
  }
}
