package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignSignaturesTest {
  static final KeyPair KEY = SigningKeys.generate();
  static final Signer SIGNER = Signer.ecdsa(KEY.getPrivate());
  static final Digest IMAGE = Digest.sha256("an image manifest");
  static final String REPO = "registry.example/team/app";

  static Verification verify(List<SignatureLayer> layers, Verification.Requirements req) {
    return Verification.ofSignatures(IMAGE, layers, KEY.getPublic(), req);
  }

  @Test
  void payloadIsCosignsSimpleSigningJson() {
    String p = new String(SimpleSigning.payload(REPO, IMAGE, null), StandardCharsets.UTF_8);
    assertEquals(
        "{\"critical\":{\"identity\":{\"docker-reference\":\""
            + REPO
            + "\"},\"image\":{\"docker-manifest-digest\":\""
            + IMAGE
            + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}",
        p);
    String a =
        new String(
            SimpleSigning.payload(REPO, IMAGE, Map.of("z", "1", "env", "prod")),
            StandardCharsets.UTF_8);
    assertTrue(a.endsWith(",\"optional\":{\"env\":\"prod\",\"z\":\"1\"}}"), a);
  }

  @Test
  void signatureRoundTripsThroughTheSignatureImage() throws Exception {
    SignatureLayer l = SimpleSigning.sign(SIGNER, REPO, IMAGE, Map.of("env", "prod"));
    assertEquals(SimpleSigning.MEDIA_TYPE, l.mediaType());
    Image sig = SignatureImages.build(null, List.of(l), "sig");
    assertFalse(sig.isContainerImage(), "a signature image is an OCI artifact");
    assertEquals(SimpleSigning.MEDIA_TYPE, sig.artifactType());
    assertEquals(MediaType.OCI_MANIFEST, sig.mediaType());
    assertEquals(MediaType.OCI_CONFIG, sig.manifest().config().mediaType());
    Descriptor d = sig.manifest().layers().get(0);
    assertEquals(l.digest(), d.digest());
    assertEquals(
        l.annotation(SimpleSigning.SIGNATURE_ANNOTATION),
        d.annotation(SimpleSigning.SIGNATURE_ANNOTATION));
    JsonNode cfg = new ObjectMapper().readTree(sig.rawConfig());
    assertEquals(
        l.digest().toString(),
        cfg.at("/rootfs/diff_ids/0").asText(),
        "diff_ids are the payload digests");
    assertEquals("layers", cfg.at("/rootfs/type").asText());

    List<SignatureLayer> read = SignatureImages.read(sig, "sig");
    assertEquals(List.of(l), read);
    Verification v = verify(read, Verification.Requirements.annotations(Map.of("env", "prod")));
    assertTrue(v.allVerified(), v.toString());
    assertEquals(REPO, v.checks().get(0).payload().dockerReference());
    assertEquals(IMAGE.toString(), v.checks().get(0).payload().manifestDigest());
  }

  @Test
  void addingSignaturesAppendsAndDedupes() throws Exception {
    SignatureLayer a = SimpleSigning.sign(SIGNER, REPO, IMAGE, null);
    SignatureLayer b = SimpleSigning.sign(SIGNER, REPO, IMAGE, Map.of("n", "2"));
    Image one = SignatureImages.build(null, List.of(a), "sig");
    Image again = SignatureImages.build(one, List.of(a), "sig");
    assertEquals(one.digest(), again.digest(), "the same signature is stored once");
    Image two = SignatureImages.build(one, List.of(b), "sig");
    assertEquals(List.of(a, b), SignatureImages.read(two, "sig"));
    assertEquals(2, new ObjectMapper().readTree(two.rawConfig()).at("/rootfs/diff_ids").size());
    assertEquals(
        "sha256-" + IMAGE.hex() + ".sig",
        SignatureImages.tag(IMAGE, SignatureImages.SIGNATURE_SUFFIX));
  }

  @Test
  void tamperedPayloadWrongKeyAndOtherDigestFail() throws Exception {
    SignatureLayer good = SimpleSigning.sign(SIGNER, REPO, IMAGE, null);
    byte[] altered =
        new String(good.payload(), StandardCharsets.UTF_8)
            .replace(IMAGE.hex(), Digest.sha256("other").hex())
            .getBytes(StandardCharsets.UTF_8);
    SignatureLayer tampered = new SignatureLayer(good.mediaType(), altered, good.annotations());
    SignatureLayer otherDigest =
        SimpleSigning.sign(SIGNER, REPO, Digest.sha256("other image"), null);
    SignatureLayer wrongKey =
        SimpleSigning.sign(Signer.ecdsa(SigningKeys.generate().getPrivate()), REPO, IMAGE, null);
    SignatureLayer noSig = new SignatureLayer(good.mediaType(), good.payload(), Map.of());

    Verification v =
        verify(
            List.of(good, tampered, otherDigest, wrongKey, noSig), Verification.Requirements.NONE);
    assertTrue(v.anyVerified());
    assertFalse(v.allVerified());
    List<Verification.Check> c = v.checks();
    assertTrue(c.get(0).verified());
    assertEquals(
        "signature does not verify with the key (wrong key or altered payload)", c.get(1).reason());
    assertEquals(
        "signature is for " + Digest.sha256("other image") + ", not " + IMAGE, c.get(2).reason());
    assertEquals(
        "signature does not verify with the key (wrong key or altered payload)", c.get(3).reason());
    assertEquals("no dev.cosignproject.cosign/signature annotation", c.get(4).reason());
    assertFalse(
        verify(List.of(), Verification.Requirements.NONE).anyVerified(),
        "no signature is not verified");
  }

  @Test
  void annotationAndRepositoryRequirements() throws Exception {
    SignatureLayer l = SimpleSigning.sign(SIGNER, REPO, IMAGE, Map.of("env", "prod"));
    assertEquals(
        "annotation env=prod, required dev",
        verify(List.of(l), Verification.Requirements.annotations(Map.of("env", "dev")))
            .checks()
            .get(0)
            .reason());
    assertEquals(
        "annotation team is missing (required team=a)",
        verify(List.of(l), Verification.Requirements.annotations(Map.of("team", "a")))
            .checks()
            .get(0)
            .reason());
    assertTrue(
        verify(List.of(l), new Verification.Requirements(Map.of(), REPO, null)).allVerified());
    assertFalse(
        verify(
                List.of(l),
                new Verification.Requirements(Map.of(), "registry.example/team/other", null))
            .anyVerified());
    assertEquals(
        "registry.example:5000/a/b", Verification.repositoryOf("registry.example:5000/a/b:v1"));
    assertEquals(
        "registry.example:5000/a/b",
        Verification.repositoryOf("registry.example:5000/a/b@sha256:00"));
  }

  @Test
  void payloadIsParsedAsStrictlyAsContainersImage() {
    SignException e =
        assertThrows(
            SignException.class,
            () ->
                SimpleSigning.parse(
                    ("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:00\"},"
                            + "\"type\":\"cosign container image signature\",\"extra\":1},\"optional\":null}")
                        .getBytes(StandardCharsets.UTF_8)));
    assertEquals("payload: unexpected field critical.extra", e.getMessage());
    assertEquals(
        "payload: critical.image.docker-manifest-digest is missing",
        assertThrows(
                SignException.class,
                () ->
                    SimpleSigning.parse(
                        "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{},\"type\":\"t\"}}"
                            .getBytes(StandardCharsets.UTF_8)))
            .getMessage());
  }
}
