package dev.caulk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.spec.SpecJson;
import dev.caulk.verbs.Tree;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk tree LOC} (alias {@code referrers}): what is attached to an image. */
@Command(
    name = "tree",
    aliases = "referrers",
    mixinStandardHelpOptions = true,
    description = {
      "List the signatures, attestations, SBOMs and referrers attached to an image.",
      "",
      "List what is attached to an image, as cosign tree does: the signatures, "
          + "attestations and SBOMs of its sha256-<hex>.sig/.att/.sbom images, and, in a "
          + "registry, the OCI 1.1 referrers of its referrers tag schema index. Nothing is "
          + "verified here; use verify and verify-attestation."
    },
    footer = {
      "",
      "Table: the subject, then one line per attachment: KIND SCHEME DIGEST TYPE [predicate type].",
      "JSON (--format json): {\"subject\", \"attachments\": [{\"kind\", \"scheme\", \"where\","
          + " \"digest\", \"mediaType\",",
      "  \"predicateType\", \"annotations\"}]}"
    })
final class TreeCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION", converter = LocationConverter.class)
  ImageLocation location;

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
    Tree.Result r = Tree.run(Tree.options().location(location).build(), registry.session(console));
    if (format == SignOutput.Format.json) {
      ObjectNode root = SpecJson.mapper().createObjectNode();
      root.put("subject", r.subject().toString());
      ArrayNode list = root.putArray("attachments");
      for (Tree.Entry e : r.entries()) {
        ObjectNode n = list.addObject();
        n.put("kind", e.kind().label());
        n.put("scheme", e.scheme());
        n.put("where", e.where());
        n.put("digest", e.digest().toString());
        n.put("mediaType", e.mediaType());
        if (e.predicateType() != null) {
          n.put("predicateType", e.predicateType());
        }
        n.set("annotations", SpecJson.mapper().valueToTree(new TreeMap<>(e.annotations())));
      }
      console.out().println(SignOutput.pretty(root));
      return ExitCodes.OK;
    }
    console.out().println(Locations.describe(location) + "@" + r.subject());
    if (r.entries().isEmpty()) {
      console.out().println("  (nothing attached)");
    }
    for (Tree.Entry e : r.entries()) {
      console
          .out()
          .println(
              String.format(
                  "  %-12s %-10s %s %s%s",
                  e.kind().label(),
                  e.scheme(),
                  e.digest(),
                  e.mediaType(),
                  e.predicateType() != null && !e.predicateType().equals(e.mediaType())
                      ? " " + e.predicateType()
                      : ""));
    }
    return ExitCodes.OK;
  }
}
