package dev.caulk.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A SLSA v1.0 provenance predicate (slsa.dev/spec/v1.0/provenance): the build definition (build
 * type, external and internal parameters, resolved dependencies) and the run details (builder id
 * and version, start and finish times, byproducts). It is the predicate of an in-toto {@link
 * Statement} of type {@link #PREDICATE_TYPE}; the subject (what was built) is the statement's.
 *
 * <p>The JSON is written in one fixed order with sorted digest and annotation maps, so the same
 * values give the same bytes: a reproducible build gives reproducible provenance.
 *
 * @param buildType a URI naming the template of the build (what {@code externalParameters} mean)
 * @param externalParameters what the caller controlled: settings and flags
 * @param internalParameters what the builder chose, or null
 * @param resolvedDependencies the inputs, each by digest
 * @param builderId a URI naming the builder (the trusted build platform)
 * @param builderVersion versions of the builder's parts ({@code "caulk": "1.2.3"})
 * @param startedOn when the build started, or null
 * @param finishedOn when it finished, or null
 * @param byproducts other things the build made, or empty
 */
public record Provenance(
    String buildType,
    JsonNode externalParameters,
    JsonNode internalParameters,
    List<ResourceDescriptor> resolvedDependencies,
    String builderId,
    Map<String, String> builderVersion,
    Instant startedOn,
    Instant finishedOn,
    List<ResourceDescriptor> byproducts) {

  /** SLSA v1's predicate type (cosign's {@code --type slsaprovenance1}). */
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  public Provenance {
    Objects.requireNonNull(buildType, "buildType");
    Objects.requireNonNull(externalParameters, "externalParameters");
    Objects.requireNonNull(builderId, "builderId");
    resolvedDependencies = List.copyOf(resolvedDependencies);
    builderVersion = builderVersion == null ? Map.of() : Map.copyOf(builderVersion);
    byproducts = byproducts == null ? List.of() : List.copyOf(byproducts);
    if (startedOn != null && finishedOn != null && finishedOn.isBefore(startedOn)) {
      throw new IllegalArgumentException("finishedOn is before startedOn");
    }
  }

  /**
   * An in-toto ResourceDescriptor (in-toto/attestation spec/v1/resource_descriptor.md): at least
   * one of uri and digest; name, uri and annotations optional.
   *
   * @param name a name for the artifact (a path relative to the project, {@code source})
   * @param uri where it is ({@code git+https://…}, {@code docker://…}, {@code file:…}), or null
   * @param digest digests by algorithm ({@code sha256}, {@code gitCommit})
   * @param annotations more about it (a platform), or empty
   */
  public record ResourceDescriptor(
      String name, String uri, Map<String, String> digest, Map<String, String> annotations) {
    public ResourceDescriptor {
      digest = digest == null ? Map.of() : Map.copyOf(digest);
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
      if (uri == null && digest.isEmpty()) {
        throw new IllegalArgumentException("a resource descriptor needs a uri or a digest");
      }
    }

    ObjectNode toJson() {
      ObjectNode n = JSON.createObjectNode();
      if (name != null) {
        n.put("name", name);
      }
      if (uri != null) {
        n.put("uri", uri);
      }
      if (!digest.isEmpty()) {
        ObjectNode d = n.putObject("digest");
        new TreeMap<>(digest).forEach(d::put);
      }
      if (!annotations.isEmpty()) {
        ObjectNode a = n.putObject("annotations");
        new TreeMap<>(annotations).forEach(a::put);
      }
      return n;
    }
  }

  /** The predicate's JSON: {@code buildDefinition} then {@code runDetails}, as the spec lists. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode def = root.putObject("buildDefinition");
    def.put("buildType", buildType);
    def.set("externalParameters", externalParameters.deepCopy());
    if (internalParameters != null) {
      def.set("internalParameters", internalParameters.deepCopy());
    }
    ArrayNode deps = def.putArray("resolvedDependencies");
    for (ResourceDescriptor r : resolvedDependencies) {
      deps.add(r.toJson());
    }
    ObjectNode run = root.putObject("runDetails");
    ObjectNode builder = run.putObject("builder");
    builder.put("id", builderId);
    if (!builderVersion.isEmpty()) {
      ObjectNode v = builder.putObject("version");
      new TreeMap<>(builderVersion).forEach(v::put);
    }
    ObjectNode meta = run.putObject("metadata");
    if (startedOn != null) {
      meta.put("startedOn", startedOn.toString());
    }
    if (finishedOn != null) {
      meta.put("finishedOn", finishedOn.toString());
    }
    if (!byproducts.isEmpty()) {
      ArrayNode b = run.putArray("byproducts");
      for (ResourceDescriptor r : byproducts) {
        b.add(r.toJson());
      }
    }
    return root;
  }
}
