package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.MediaType;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures as OCI 1.1 referrers with the referrers tag schema, in a registry without the
 * referrers API (distribution 2.8).
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class SignReferrersTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final KeyPair KEY = SigningKeys.generate();
  @TempDir Path tmp;
  final RegistryOptions opts = RegistryOptions.defaults();

  static JsonNode get(TestRegistry registry, String repo, String ref, String accept)
      throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(registry.url() + "/v2/" + repo + "/manifests/" + ref))
                    .header("Accept", accept)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), new String(r.body()));
    return JSON.readTree(r.body());
  }

  @Test
  void signatureReferrersAreListedInTheFallbackIndexAndVerify(TestRegistry registry)
      throws Exception {
    ImageLocation.Registry app =
        (ImageLocation.Registry) ImageLocation.parse("docker://" + registry.host() + "/ref/app:v1");
    Locations.write(
        Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), "a.txt")), app, opts);
    Digest image = Locations.open(app, opts).digest();
    assertTrue(
        Referrers.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts)
            .checks()
            .isEmpty());

    Digest first =
        Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of("n", "1"), null, opts);
    JsonNode m = get(registry, "ref/app", first.toString(), MediaType.OCI_MANIFEST);
    assertEquals(image.toString(), m.at("/subject/digest").asText());
    assertEquals(MediaType.OCI_MANIFEST, m.at("/subject/mediaType").asText());
    assertEquals(SimpleSigning.MEDIA_TYPE, m.get("artifactType").asText());
    assertEquals(MediaType.OCI_EMPTY, m.at("/config/mediaType").asText());
    assertEquals(
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        m.at("/config/digest").asText());
    assertEquals(SimpleSigning.MEDIA_TYPE, m.at("/layers/0/mediaType").asText());

    Digest second =
        Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of("n", "2"), null, opts);
    JsonNode index = get(registry, "ref/app", "sha256-" + image.hex(), MediaType.OCI_INDEX);
    assertEquals(2, index.get("manifests").size());
    assertEquals(first.toString(), index.at("/manifests/0/digest").asText());
    assertEquals(second.toString(), index.at("/manifests/1/digest").asText());
    assertEquals(SimpleSigning.MEDIA_TYPE, index.at("/manifests/1/artifactType").asText());

    Verification v =
        Referrers.verify(
            app, KEY.getPublic(), Verification.Requirements.annotations(Map.of("n", "2")), opts);
    assertEquals(2, v.checks().size());
    assertEquals(1, v.verified().size(), v.toString());
    assertFalse(
        Referrers.verify(
                app, SigningKeys.generate().getPublic(), Verification.Requirements.NONE, opts)
            .anyVerified());
    assertEquals(image, Locations.open(app, opts).digest(), "the signed image is not rewritten");
    assertTrue(
        Attachments.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts)
            .checks()
            .isEmpty(),
        "the tag scheme is separate");

    Digest att =
        Referrers.attest(
            app,
            Signer.ecdsa(KEY.getPrivate()),
            "https://openvex.dev/ns",
            JSON.readTree("{\"statements\":[]}"),
            opts);
    JsonNode am = get(registry, "ref/app", att.toString(), MediaType.OCI_MANIFEST);
    assertEquals(Dsse.ENVELOPE_MEDIA_TYPE, am.get("artifactType").asText());
    assertEquals("https://openvex.dev/ns", am.at("/annotations/predicateType").asText());
    JsonNode index3 = get(registry, "ref/app", "sha256-" + image.hex(), MediaType.OCI_INDEX);
    assertEquals(3, index3.get("manifests").size());
    assertEquals(
        "https://openvex.dev/ns", index3.at("/manifests/2/annotations/predicateType").asText());
    Verification a =
        Referrers.verifyAttestations(
            app,
            KEY.getPublic(),
            Verification.Requirements.predicateType("https://openvex.dev/ns"),
            opts);
    assertEquals(1, a.checks().size());
    assertTrue(a.allVerified(), a.toString());
    assertTrue(
        Referrers.verifyAttestations(
                app,
                KEY.getPublic(),
                Verification.Requirements.predicateType("https://cyclonedx.org/bom"),
                opts)
            .checks()
            .isEmpty());
    assertEquals(
        2,
        Referrers.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts)
            .checks()
            .size(),
        "signatures only");
  }
}
