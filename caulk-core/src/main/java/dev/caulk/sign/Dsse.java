package dev.caulk.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * DSSE v1 (secure-systems-lab/dsse protocol.md, envelope.md): the signature is over {@code
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, and the envelope is {@code
 * {"payloadType":…,"payload":BASE64,"signatures":[{"keyid":…,"sig":BASE64}]}}.
 */
public final class Dsse {
  /** The media type of a layer holding an envelope (cosign's {@code .att} layers). */
  public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One signature of an envelope; {@code keyid} may be null or empty (an unauthenticated hint). */
  public record Sig(String keyid, byte[] sig) {
    public Sig {
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }
  }

  /** An envelope; {@code payload} is the serialized body, decoded. */
  public record Envelope(String payloadType, byte[] payload, List<Sig> signatures) {
    public Envelope {
      payload = payload.clone();
      signatures = List.copyOf(signatures);
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** The envelope JSON, with standard base64, in the field order cosign writes. */
    public byte[] toJson() {
      ObjectNode root = JSON.createObjectNode();
      root.put("payloadType", payloadType);
      root.put("payload", Base64.getEncoder().encodeToString(payload));
      ArrayNode sigs = root.putArray("signatures");
      for (Sig s : signatures) {
        ObjectNode n = sigs.addObject();
        n.put("keyid", s.keyid() == null ? "" : s.keyid());
        n.put("sig", Base64.getEncoder().encodeToString(s.sig()));
      }
      try {
        return JSON.writeValueAsBytes(root);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * True when at least one signature verifies over the PAE with {@code key} (a (1, n) envelope).
     */
    public boolean verifiedBy(PublicKey key) {
      byte[] pae = pae(payloadType, payload);
      return signatures.stream().anyMatch(s -> Ecdsa.verify(key, pae, s.sig()));
    }
  }

  private Dsse() {}

  /** The pre-authentication encoding the signature covers. */
  public static byte[] pae(String payloadType, byte[] body) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + body.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** Signs {@code body} as {@code payloadType}. */
  public static Envelope sign(Signer signer, String payloadType, byte[] body) throws IOException {
    return new Envelope(
        payloadType, body, List.of(new Sig(signer.keyId(), signer.sign(pae(payloadType, body)))));
  }

  /**
   * Parses an envelope; payload and signatures may be standard or URL-safe base64, as the spec
   * requires verifiers to accept.
   */
  public static Envelope parse(byte[] json) throws SignException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new SignException("DSSE envelope is not JSON");
    }
    if (root == null || !root.isObject())
      throw new SignException("DSSE envelope is not a JSON object");
    if (!root.path("payloadType").isTextual())
      throw new SignException("DSSE envelope has no payloadType");
    if (!root.path("payload").isTextual()) throw new SignException("DSSE envelope has no payload");
    if (!root.path("signatures").isArray())
      throw new SignException("DSSE envelope has no signatures array");
    List<Sig> sigs = new ArrayList<>();
    for (JsonNode s : root.get("signatures")) {
      if (!s.path("sig").isTextual())
        throw new SignException("DSSE envelope: a signature has no sig");
      sigs.add(
          new Sig(
              s.path("keyid").isTextual() ? s.get("keyid").asText() : null,
              base64(s.get("sig").asText(), "sig")));
    }
    return new Envelope(
        root.get("payloadType").asText(), base64(root.get("payload").asText(), "payload"), sigs);
  }

  private static byte[] base64(String s, String what) throws SignException {
    try {
      return s.indexOf('-') >= 0 || s.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(s)
          : Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new SignException("DSSE envelope: " + what + " is not base64");
    }
  }
}
