package dev.caulk.sign;

import dev.caulk.digest.Digest;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Attestations as cosign stores them: an in-toto {@link Statement} signed in a DSSE envelope
 * ({@link Dsse}), one envelope per layer of the {@code sha256-<hex>.att} image, layer media type
 * {@link Dsse#ENVELOPE_MEDIA_TYPE}, annotations {@code predicateType} and an empty {@code
 * dev.cosignproject.cosign/signature} (the signature is inside the envelope).
 */
public final class Attestations {
  private Attestations() {}

  /** Signs the statement and returns the layer that stores its envelope. */
  public static SignatureLayer sign(Signer signer, Statement statement) throws IOException {
    Dsse.Envelope env = Dsse.sign(signer, Statement.PAYLOAD_TYPE, statement.toJson());
    return new SignatureLayer(
        Dsse.ENVELOPE_MEDIA_TYPE,
        env.toJson(),
        Map.of(
            Statement.PREDICATE_TYPE_ANNOTATION,
            statement.predicateType(),
            SimpleSigning.SIGNATURE_ANNOTATION,
            ""));
  }

  /**
   * Checks each envelope layer: the envelope's form and payload type, its signature over the PAE
   * with {@code key}, the statement's form, that a subject is {@code subject}. Attestations whose
   * verified statement has another predicate type than {@code req.predicateType()} are left out (as
   * {@code cosign verify-attestation --type} leaves them out); any other failure is listed.
   */
  public static Verification verify(
      Digest subject, List<SignatureLayer> layers, PublicKey key, Verification.Requirements req) {
    List<Verification.Check> checks = new ArrayList<>();
    for (SignatureLayer l : layers) {
      Verification.Check c = check(subject, l, key);
      if (c.verified()
          && req.predicateType() != null
          && !req.predicateType().equals(c.statement().predicateType())) continue;
      checks.add(c);
    }
    return new Verification(subject, checks);
  }

  static Verification.Check check(Digest subject, SignatureLayer l, PublicKey key) {
    Digest d = l.digest();
    if (!Dsse.ENVELOPE_MEDIA_TYPE.equals(l.mediaType()))
      return Verification.Check.failed(
          d, "not a DSSE envelope layer (media type " + SimpleSigning.clip(l.mediaType()) + ")");
    Dsse.Envelope env;
    try {
      env = Dsse.parse(l.payload());
    } catch (SignException e) {
      return Verification.Check.failed(d, e.getMessage());
    }
    if (!env.verifiedBy(key))
      return Verification.Check.failed(
          d, "envelope signature does not verify with the key (wrong key or altered statement)");
    if (!Statement.PAYLOAD_TYPE.equals(env.payloadType())) {
      return Verification.Check.failed(
          d,
          "envelope payload type '"
              + SimpleSigning.clip(env.payloadType())
              + "', not "
              + Statement.PAYLOAD_TYPE);
    }
    Statement st;
    try {
      st = Statement.parse(env.payload());
    } catch (SignException e) {
      return Verification.Check.failed(d, e.getMessage());
    }
    if (!st.hasSubject(subject))
      return Verification.Check.failed(d, "statement is not about " + subject);
    return new Verification.Check(d, true, null, null, st);
  }
}
