package dev.caulk.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.digest.Digest;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simple-signing payload cosign signs (containers-signature(5)'s JSON with cosign's type):
 * {@code
 * {"critical":{"identity":{"docker-reference":REPO},"image":{"docker-manifest-digest":DIGEST},
 * "type":"cosign container image signature"},"optional":ANNOTATIONS-or-null}}, and the signature
 * layer that carries it.
 */
public final class SimpleSigning {
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String TYPE = "cosign container image signature";

  /** The largest payload read: cosign's are a few hundred bytes. */
  static final int MAX_PAYLOAD = 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A parsed payload. {@code optional} holds the annotations cosign users set with {@code -a k=v}
   * and what skopeo adds ({@code creator}, {@code timestamp}); values are strings or numbers.
   */
  public record Payload(
      String dockerReference, String manifestDigest, String type, Map<String, Object> optional) {
    /** An optional value as a string, or null. */
    public String optionalString(String key) {
      Object v = optional.get(key);
      return v == null ? null : String.valueOf(v);
    }
  }

  private SimpleSigning() {}

  /**
   * The payload bytes, in cosign's field order; {@code optional} is {@code null} without
   * annotations, as cosign writes it.
   *
   * @param dockerReference the identity the signature claims: the repository, {@code registry/path}
   */
  public static byte[] payload(
      String dockerReference, Digest digest, Map<String, String> annotations) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", digest.toString());
    critical.put("type", TYPE);
    if (annotations == null || annotations.isEmpty()) {
      root.putNull("optional");
    } else {
      ObjectNode opt = root.putObject("optional");
      new TreeMap<>(annotations).forEach(opt::put);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a new payload and returns the layer that stores it. */
  public static SignatureLayer sign(
      Signer signer, String dockerReference, Digest digest, Map<String, String> annotations)
      throws IOException {
    byte[] payload = payload(dockerReference, digest, annotations);
    String sig = Base64.getEncoder().encodeToString(signer.sign(payload));
    return new SignatureLayer(MEDIA_TYPE, payload, Map.of(SIGNATURE_ANNOTATION, sig));
  }

  /**
   * Parses a payload as strictly as containers/image does: {@code critical} has exactly {@code
   * identity}, {@code image} and {@code type}; {@code image} exactly {@code
   * docker-manifest-digest}; {@code identity} exactly {@code docker-reference}.
   */
  public static Payload parse(byte[] payload) throws SignException {
    if (payload.length > MAX_PAYLOAD)
      throw new SignException(
          "payload of " + payload.length + " bytes is larger than the " + MAX_PAYLOAD + " allowed");
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (IOException e) {
      throw new SignException("payload is not JSON");
    }
    exactly(root, Set.of("critical", "optional"), Set.of("critical"), "payload");
    JsonNode critical = root.get("critical");
    exactly(
        critical,
        Set.of("identity", "image", "type"),
        Set.of("identity", "image", "type"),
        "critical");
    exactly(
        critical.get("identity"),
        Set.of("docker-reference"),
        Set.of("docker-reference"),
        "critical.identity");
    exactly(
        critical.get("image"),
        Set.of("docker-manifest-digest"),
        Set.of("docker-manifest-digest"),
        "critical.image");
    String ref =
        text(
            critical.get("identity").get("docker-reference"), "critical.identity.docker-reference");
    String digest =
        text(
            critical.get("image").get("docker-manifest-digest"),
            "critical.image.docker-manifest-digest");
    String type = text(critical.get("type"), "critical.type");
    Map<String, Object> optional = new LinkedHashMap<>();
    JsonNode opt = root.get("optional");
    if (opt != null && !opt.isNull()) {
      if (!opt.isObject()) throw new SignException("payload: optional is not an object");
      opt.fields()
          .forEachRemaining(
              e ->
                  optional.put(
                      e.getKey(),
                      e.getValue().isTextual()
                          ? e.getValue().asText()
                          : e.getValue().isNumber()
                              ? e.getValue().numberValue()
                              : e.getValue().toString()));
    }
    return new Payload(ref, digest, type, java.util.Collections.unmodifiableMap(optional));
  }

  private static void exactly(JsonNode n, Set<String> allowed, Set<String> required, String what)
      throws SignException {
    if (n == null || !n.isObject())
      throw new SignException("payload: " + what + " is not an object");
    for (var it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f))
        throw new SignException("payload: unexpected field " + what + "." + clip(f));
    }
    for (String f : required)
      if (!n.has(f)) throw new SignException("payload: " + what + "." + f + " is missing");
  }

  private static String text(JsonNode n, String what) throws SignException {
    if (n == null || !n.isTextual())
      throw new SignException("payload: " + what + " is not a string");
    return n.asText();
  }

  static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
