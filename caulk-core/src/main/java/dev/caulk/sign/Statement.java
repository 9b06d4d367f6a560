package dev.caulk.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.digest.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-toto Statement (in-toto/attestation spec/v1/statement.md): {@code _type}, the subjects by
 * digest, the predicate type and the predicate. It is the payload of an attestation's DSSE
 * envelope, of payload type {@link #PAYLOAD_TYPE}.
 */
public record Statement(
    String type, List<Subject> subjects, String predicateType, JsonNode predicate) {
  public static final String TYPE_V1 = "https://in-toto.io/Statement/v1";

  /** What cosign 1.x and 2.x still write; read, never written. */
  public static final String TYPE_V01 = "https://in-toto.io/Statement/v0.1";

  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  /** The layer annotation cosign puts the predicate type in. */
  public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A ResourceDescriptor of the subject list: a name and digests by algorithm. */
  public record Subject(String name, Map<String, String> digest) {
    public Subject {
      digest = Map.copyOf(digest);
    }
  }

  public Statement {
    subjects = List.copyOf(subjects);
  }

  /** A v1 statement about one image. */
  public static Statement about(
      String name, Digest digest, String predicateType, JsonNode predicate) {
    return new Statement(
        TYPE_V1,
        List.of(new Subject(name, Map.of(digest.algorithm(), digest.hex()))),
        predicateType,
        predicate);
  }

  /**
   * The statement's JSON: {@code _type}, {@code subject}, {@code predicateType}, {@code predicate}.
   */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", type);
    var subs = root.putArray("subject");
    for (Subject s : subjects) {
      ObjectNode n = subs.addObject();
      if (s.name() != null) n.put("name", s.name());
      ObjectNode d = n.putObject("digest");
      new java.util.TreeMap<>(s.digest()).forEach(d::put);
    }
    root.put("predicateType", predicateType);
    if (predicate != null) root.set("predicate", predicate);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when a subject names {@code digest}. */
  public boolean hasSubject(Digest digest) {
    return subjects.stream()
        .anyMatch(
            s -> digest.hex().equalsIgnoreCase(s.digest().getOrDefault(digest.algorithm(), "")));
  }

  /**
   * Parses a statement (v1 or v0.1), requiring {@code _type}, a non-empty {@code subject} with
   * digests and {@code predicateType}.
   */
  public static Statement parse(byte[] json) throws SignException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new SignException("statement is not JSON");
    }
    if (root == null || !root.isObject()) throw new SignException("statement is not a JSON object");
    String type = root.path("_type").asText("");
    if (!type.equals(TYPE_V1) && !type.equals(TYPE_V01))
      throw new SignException(
          "statement _type '" + SimpleSigning.clip(type) + "' is not " + TYPE_V1);
    JsonNode subj = root.path("subject");
    if (!subj.isArray() || subj.isEmpty()) throw new SignException("statement has no subject");
    List<Subject> subjects = new ArrayList<>();
    for (JsonNode s : subj) {
      JsonNode d = s.path("digest");
      if (!d.isObject() || d.isEmpty()) throw new SignException("statement subject without digest");
      Map<String, String> digests = new LinkedHashMap<>();
      d.fields().forEachRemaining(e -> digests.put(e.getKey(), e.getValue().asText()));
      subjects.add(
          new Subject(s.path("name").isTextual() ? s.get("name").asText() : null, digests));
    }
    if (!root.path("predicateType").isTextual())
      throw new SignException("statement has no predicateType");
    return new Statement(type, subjects, root.get("predicateType").asText(), root.get("predicate"));
  }

  /**
   * The predicate type URI of cosign's {@code --type} names (slsaprovenance, slsaprovenance1, spdx,
   * spdxjson, cyclonedx, openvex, vuln, link, custom); anything else is taken as a URI.
   */
  public static String predicateTypeOf(String name) {
    return switch (name) {
      case "slsaprovenance", "slsaprovenance02" -> "https://slsa.dev/provenance/v0.2";
      case "slsaprovenance1" -> "https://slsa.dev/provenance/v1";
      case "spdx", "spdxjson" -> "https://spdx.dev/Document";
      case "cyclonedx" -> "https://cyclonedx.org/bom";
      case "openvex" -> "https://openvex.dev/ns";
      case "vuln" -> "https://cosign.sigstore.dev/attestation/vuln/v1";
      case "link" -> "https://in-toto.io/Link/v1";
      case "custom" -> "https://cosign.sigstore.dev/attestation/v1";
      default -> name;
    };
  }
}
