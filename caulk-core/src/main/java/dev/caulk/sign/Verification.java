package dev.caulk.sign;

import dev.caulk.digest.Digest;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What verifying the signatures (or attestations) attached to one image found: one {@link Check}
 * per layer of the attachment image, in order.
 *
 * @param subject the digest of the image whose signatures were checked
 */
public record Verification(Digest subject, List<Check> checks) {
  public Verification {
    checks = List.copyOf(checks);
  }

  /**
   * One signature.
   *
   * @param layer the digest of the layer that holds it
   * @param verified true when every check passed
   * @param reason why it failed (one line), or null
   * @param payload the parsed simple-signing payload, when it could be parsed and its signature
   *     verified
   * @param statement the parsed in-toto statement of an attestation, when verified
   */
  public record Check(
      Digest layer,
      boolean verified,
      String reason,
      SimpleSigning.Payload payload,
      Statement statement) {
    static Check failed(Digest layer, String reason) {
      return new Check(layer, false, reason, null, null);
    }
  }

  /**
   * What a signature must also satisfy besides key and digest.
   *
   * @param annotations each key must be in the payload's {@code optional} with this value (cosign's
   *     {@code -a k=v})
   * @param repository when not null, the payload's {@code docker-reference}, without tag or digest,
   *     must equal it (skopeo's {@code matchRepository})
   * @param predicateType for attestations: the statement's predicate type, or null for any
   */
  public record Requirements(
      Map<String, String> annotations, String repository, String predicateType) {
    public static final Requirements NONE = new Requirements(Map.of(), null, null);

    public Requirements {
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Requirements annotations(Map<String, String> a) {
      return new Requirements(a, null, null);
    }

    public static Requirements predicateType(String t) {
      return new Requirements(Map.of(), null, t);
    }
  }

  /** True when there is at least one signature and each one verified. */
  public boolean allVerified() {
    return !checks.isEmpty() && checks.stream().allMatch(Check::verified);
  }

  /** True when at least one signature verified (what cosign and skopeo require). */
  public boolean anyVerified() {
    return checks.stream().anyMatch(Check::verified);
  }

  public List<Check> verified() {
    return checks.stream().filter(Check::verified).toList();
  }

  public List<Check> failed() {
    return checks.stream().filter(c -> !c.verified()).toList();
  }

  /**
   * Checks each simple-signing layer: the payload's digest, the ECDSA signature with {@code key},
   * the payload's form and type, that it names {@code subject}, and the requirements.
   */
  public static Verification ofSignatures(
      Digest subject, List<SignatureLayer> layers, PublicKey key, Requirements req) {
    return new Verification(
        subject, layers.stream().map(l -> checkSignature(subject, l, key, req)).toList());
  }

  static Check checkSignature(Digest subject, SignatureLayer l, PublicKey key, Requirements req) {
    Digest d = l.digest();
    if (!SimpleSigning.MEDIA_TYPE.equals(l.mediaType()))
      return Check.failed(
          d, "not a simple-signing layer (media type " + SimpleSigning.clip(l.mediaType()) + ")");
    String b64 = l.annotation(SimpleSigning.SIGNATURE_ANNOTATION);
    if (b64 == null || b64.isEmpty())
      return Check.failed(d, "no " + SimpleSigning.SIGNATURE_ANNOTATION + " annotation");
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return Check.failed(d, "the signature annotation is not base64");
    }
    byte[] payload = l.payload();
    if (!Ecdsa.verify(key, payload, sig))
      return Check.failed(
          d, "signature does not verify with the key (wrong key or altered payload)");
    SimpleSigning.Payload p;
    try {
      p = SimpleSigning.parse(payload);
    } catch (SignException e) {
      return Check.failed(d, e.getMessage());
    }
    if (!SimpleSigning.TYPE.equals(p.type()))
      return Check.failed(
          d,
          "payload type '" + SimpleSigning.clip(p.type()) + "', not '" + SimpleSigning.TYPE + "'");
    if (!subject.toString().equals(p.manifestDigest())) {
      return Check.failed(
          d, "signature is for " + SimpleSigning.clip(p.manifestDigest()) + ", not " + subject);
    }
    if (req.repository() != null && !req.repository().equals(repositoryOf(p.dockerReference()))) {
      return Check.failed(
          d,
          "signature is for repository "
              + SimpleSigning.clip(p.dockerReference())
              + ", not "
              + req.repository());
    }
    for (var e : req.annotations().entrySet()) {
      String got = p.optionalString(e.getKey());
      if (got == null)
        return Check.failed(
            d,
            "annotation "
                + e.getKey()
                + " is missing (required "
                + e.getKey()
                + "="
                + e.getValue()
                + ")");
      if (!got.equals(e.getValue()))
        return Check.failed(
            d,
            "annotation "
                + e.getKey()
                + "="
                + SimpleSigning.clip(got)
                + ", required "
                + e.getValue());
    }
    return new Check(d, true, null, p, null);
  }

  /** {@code registry/path} of a reference string, without {@code :tag} or {@code @digest}. */
  static String repositoryOf(String ref) {
    int at = ref.indexOf('@');
    String s = at >= 0 ? ref.substring(0, at) : ref;
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    return colon > slash ? s.substring(0, colon) : s;
  }
}
