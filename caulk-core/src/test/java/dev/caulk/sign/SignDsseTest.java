package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignDsseTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final KeyPair KEY = SigningKeys.generate();
  static final Signer SIGNER = Signer.ecdsa(KEY.getPrivate());
  static final Digest IMAGE = Digest.sha256("an image manifest");

  /** The public key of the test vector in DSSE's protocol.md. */
  static PublicKey specKey() throws Exception {
    AlgorithmParameters a = AlgorithmParameters.getInstance("EC");
    a.init(new ECGenParameterSpec("secp256r1"));
    ECPoint w =
        new ECPoint(
            new BigInteger(
                "46950820868899156662930047687818585632848591499744589407958293238635476079160"),
            new BigInteger(
                "5640078356564379163099075877009565129882514886557779369047442380624545832820"));
    return KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(w, a.getParameterSpec(ECParameterSpec.class)));
  }

  @Test
  void paeAndSignatureMatchTheSpecsTestVector() throws Exception {
    byte[] pae =
        Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
        new String(pae, StandardCharsets.UTF_8));
    Dsse.Envelope env =
        Dsse.parse(
            ("{\"payload\": \"aGVsbG8gd29ybGQ=\", \"payloadType\": \"http://example.com/HelloWorld\", \"signatures\": "
                    + "[{\"sig\": \"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals("hello world", new String(env.payload(), StandardCharsets.UTF_8));
    assertTrue(env.verifiedBy(specKey()), "the spec's signature verifies over caulk's PAE");
    Dsse.Envelope other =
        new Dsse.Envelope("http://example.com/HelloWorlD", env.payload(), env.signatures());
    assertFalse(other.verifiedBy(specKey()), "the payload type is authenticated");
    assertFalse(env.verifiedBy(KEY.getPublic()));
  }

  @Test
  void envelopeRoundTrips() throws Exception {
    Dsse.Envelope env =
        Dsse.sign(SIGNER, Statement.PAYLOAD_TYPE, "{}".getBytes(StandardCharsets.UTF_8));
    JsonNode j = JSON.readTree(env.toJson());
    assertEquals(Statement.PAYLOAD_TYPE, j.get("payloadType").asText());
    assertEquals(
        "{}",
        new String(Base64.getDecoder().decode(j.get("payload").asText()), StandardCharsets.UTF_8));
    assertEquals(1, j.get("signatures").size());
    assertTrue(Dsse.parse(env.toJson()).verifiedBy(KEY.getPublic()));
    byte[] der = Base64.getDecoder().decode(j.at("/signatures/0/sig").asText());
    assertEquals(0x30, der[0] & 0xff, "ECDSA signatures are ASN.1 DER, as cosign writes");
  }

  @Test
  void statementHasTheV1Shape() throws Exception {
    JsonNode predicate = JSON.readTree("{\"builder\":{\"id\":\"caulk\"}}");
    Statement st =
        Statement.about(
            "registry.example/app", IMAGE, Statement.predicateTypeOf("slsaprovenance1"), predicate);
    JsonNode j = JSON.readTree(st.toJson());
    assertEquals(
        List.of("_type", "subject", "predicateType", "predicate"), iterate(j.fieldNames()));
    assertEquals("https://in-toto.io/Statement/v1", j.get("_type").asText());
    assertEquals("registry.example/app", j.at("/subject/0/name").asText());
    assertEquals(IMAGE.hex(), j.at("/subject/0/digest/sha256").asText());
    assertEquals(1, j.at("/subject/0/digest").size());
    assertEquals("https://slsa.dev/provenance/v1", j.get("predicateType").asText());
    assertEquals(predicate, j.get("predicate"));
    Statement back = Statement.parse(st.toJson());
    assertTrue(back.hasSubject(IMAGE));
    assertFalse(back.hasSubject(Digest.sha256("x")));
  }

  @Test
  void attestationsVerifyAndFailForTheRightReasons() throws Exception {
    JsonNode predicate = JSON.readTree("{\"bomFormat\":\"CycloneDX\"}");
    String cdx = Statement.predicateTypeOf("cyclonedx");
    SignatureLayer good = Attestations.sign(SIGNER, Statement.about("app", IMAGE, cdx, predicate));
    assertEquals(Dsse.ENVELOPE_MEDIA_TYPE, good.mediaType());
    assertEquals(cdx, good.annotation("predicateType"));
    assertEquals("", good.annotation(SimpleSigning.SIGNATURE_ANNOTATION));
    Image att = SignatureImages.build(null, List.of(good), "att");
    assertEquals(Dsse.ENVELOPE_MEDIA_TYPE, att.artifactType());

    SignatureLayer provenance =
        Attestations.sign(
            SIGNER,
            Statement.about("app", IMAGE, Statement.predicateTypeOf("slsaprovenance1"), predicate));
    SignatureLayer otherImage =
        Attestations.sign(SIGNER, Statement.about("app", Digest.sha256("other"), cdx, predicate));
    SignatureLayer wrongKey =
        Attestations.sign(
            Signer.ecdsa(SigningKeys.generate().getPrivate()),
            Statement.about("app", IMAGE, cdx, predicate));
    Dsse.Envelope env = Dsse.parse(good.payload());
    byte[] alteredStatement =
        new String(env.payload(), StandardCharsets.UTF_8)
            .replace("CycloneDX", "SPDX")
            .getBytes(StandardCharsets.UTF_8);
    SignatureLayer tampered =
        new SignatureLayer(
            Dsse.ENVELOPE_MEDIA_TYPE,
            new Dsse.Envelope(env.payloadType(), alteredStatement, env.signatures()).toJson(),
            good.annotations());
    SignatureLayer notInToto =
        new SignatureLayer(
            Dsse.ENVELOPE_MEDIA_TYPE,
            Dsse.sign(SIGNER, "text/plain", Statement.about("app", IMAGE, cdx, predicate).toJson())
                .toJson(),
            good.annotations());

    Verification v =
        Attestations.verify(
            IMAGE,
            SignatureImages.read(
                SignatureImages.build(
                    att, List.of(provenance, otherImage, wrongKey, tampered, notInToto), "att"),
                "att"),
            KEY.getPublic(),
            Verification.Requirements.predicateType(cdx));
    List<String> reasons = v.checks().stream().map(c -> c.verified() ? "ok" : c.reason()).toList();
    assertEquals(
        List.of(
            "ok",
            "statement is not about " + IMAGE,
            "envelope signature does not verify with the key (wrong key or altered statement)",
            "envelope signature does not verify with the key (wrong key or altered statement)",
            "envelope payload type 'text/plain', not application/vnd.in-toto+json"),
        reasons,
        "the provenance attestation is left out by predicate type");
    assertEquals(predicate, v.checks().get(0).statement().predicate());
    assertEquals(
        2,
        Attestations.verify(
                IMAGE, List.of(good, provenance), KEY.getPublic(), Verification.Requirements.NONE)
            .verified()
            .size());
  }

  static List<String> iterate(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
