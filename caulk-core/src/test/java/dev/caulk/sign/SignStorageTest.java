package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures and attestations written to and read from a real registry and an OCI layout through
 * caulk's locations.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class SignStorageTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final KeyPair KEY = SigningKeys.generate();
  static final Signer SIGNER = Signer.ecdsa(KEY.getPrivate());
  @TempDir Path tmp;
  final RegistryOptions opts = RegistryOptions.defaults();

  ImageLocation pushed(TestRegistry registry, String repoAndTag, String file) throws Exception {
    ImageLocation loc = ImageLocation.parse("docker://" + registry.host() + "/" + repoAndTag);
    Locations.write(
        Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), file)), loc, opts);
    return loc;
  }

  /** The raw manifest as the registry serves it, read without caulk. */
  static JsonNode rawManifest(TestRegistry registry, String repo, String tag) throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(registry.url() + "/v2/" + repo + "/manifests/" + tag))
                    .header("Accept", MediaType.OCI_MANIFEST)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), new String(r.body()));
    assertEquals(MediaType.OCI_MANIFEST, r.headers().firstValue("Content-Type").orElse(""));
    return JSON.readTree(r.body());
  }

  @Test
  void signaturesGoToTheSigTagOfTheSameRepositoryAndAppend(TestRegistry registry) throws Exception {
    ImageLocation app = pushed(registry, "store/app:v1", "a.txt");
    Digest digest = Attachments.subject(app, opts);
    assertTrue(
        Attachments.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts)
            .checks()
            .isEmpty(),
        "nothing signed yet");

    Attachments.Written first = Attachments.sign(app, SIGNER, Map.of("n", "1"), null, opts);
    assertEquals(digest, first.subject());
    String tag = "sha256-" + digest.hex() + ".sig";
    assertEquals(
        ImageLocation.parse("docker://" + registry.host() + "/store/app:" + tag),
        first.attachment());
    JsonNode m = rawManifest(registry, "store/app", tag);
    assertEquals(1, m.get("layers").size());
    assertEquals(SimpleSigning.MEDIA_TYPE, m.at("/layers/0/mediaType").asText());
    assertFalse(
        m.at("/layers/0/annotations/dev.cosignproject.cosign~1signature").asText().isEmpty());
    assertEquals(MediaType.OCI_CONFIG, m.at("/config/mediaType").asText());

    Attachments.sign(app, SIGNER, Map.of("n", "2"), null, opts);
    assertEquals(
        2,
        rawManifest(registry, "store/app", tag).get("layers").size(),
        "a second signature appends a layer");
    Verification v =
        Attachments.verify(
            app,
            KEY.getPublic(),
            new Verification.Requirements(Map.of(), registry.host() + "/store/app", null),
            opts);
    assertTrue(v.allVerified(), v.toString());
    assertEquals(
        List.of("1", "2"), v.checks().stream().map(c -> c.payload().optionalString("n")).toList());
    assertEquals(
        registry.host() + "/store/app",
        v.checks().get(0).payload().dockerReference(),
        "cosign's identity: the repository");
    assertEquals(
        1,
        Attachments.verify(
                app, KEY.getPublic(), Verification.Requirements.annotations(Map.of("n", "2")), opts)
            .verified()
            .size());

    // The same layer again changes nothing.
    SignatureLayer same = Attachments.layers(app, digest, "sig", opts).get(0);
    Attachments.Written again = Attachments.attach(app, digest, "sig", List.of(same), opts);
    assertEquals(2, rawManifest(registry, "store/app", tag).get("layers").size());
    assertEquals(Attachments.read(first.attachment(), opts).digest(), again.attachmentDigest());

    // The signed image is never rewritten.
    assertEquals(digest, Attachments.subject(app, opts));
  }

  @Test
  void attestationsGoToTheAttTag(TestRegistry registry) throws Exception {
    ImageLocation app = pushed(registry, "store/attested:v1", "b.txt");
    Digest digest = Attachments.subject(app, opts);
    JsonNode sbom = JSON.readTree("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}");
    Attachments.attest(app, SIGNER, Statement.predicateTypeOf("cyclonedx"), sbom, null, opts);
    Attachments.attest(
        app,
        SIGNER,
        Statement.predicateTypeOf("slsaprovenance1"),
        JSON.readTree("{\"buildDefinition\":{}}"),
        null,
        opts);
    JsonNode m = rawManifest(registry, "store/attested", "sha256-" + digest.hex() + ".att");
    assertEquals(Dsse.ENVELOPE_MEDIA_TYPE, m.at("/layers/0/mediaType").asText());
    assertEquals("https://cyclonedx.org/bom", m.at("/layers/0/annotations/predicateType").asText());

    Verification v =
        Attachments.verifyAttestations(
            app,
            KEY.getPublic(),
            Verification.Requirements.predicateType("https://cyclonedx.org/bom"),
            opts);
    assertEquals(1, v.checks().size());
    assertTrue(v.allVerified(), v.toString());
    assertEquals(sbom, v.checks().get(0).statement().predicate());
    assertEquals(
        registry.host() + "/store/attested",
        v.checks().get(0).statement().subjects().get(0).name());
    assertEquals(
        2,
        Attachments.verifyAttestations(app, KEY.getPublic(), Verification.Requirements.NONE, opts)
            .verified()
            .size());
    assertFalse(
        Attachments.verifyAttestations(
                app, SigningKeys.generate().getPublic(), Verification.Requirements.NONE, opts)
            .anyVerified());
    assertTrue(
        Attachments.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts)
            .checks()
            .isEmpty(),
        "attestations are not signatures");
  }

  @Test
  void signaturesInAnOciLayoutAndOfAnIndex() throws Exception {
    Path dir = tmp.resolve("layout");
    ImageIndex index =
        MediaFixtures.index(
            MediaFixtures.image(
                Files.createTempDirectory(tmp, "a"), Platform.LINUX_AMD64, false, "x"),
            MediaFixtures.image(
                Files.createTempDirectory(tmp, "b"), Platform.parse("linux/arm64"), false, "y"));
    ImageLocation loc = ImageLocation.parse("oci:" + dir + ":v1");
    Locations.write(Artifact.of(index), loc, opts);
    assertThrows(
        SignException.class,
        () -> Attachments.sign(loc, SIGNER, Map.of(), null, opts),
        "a layout has no repository to claim");

    Attachments.Written w = Attachments.sign(loc, SIGNER, Map.of(), "registry.example/app", opts);
    assertEquals(index.digest(), w.subject(), "signing an index signs the index digest");
    assertTrue(Locations.tags(loc, opts).contains("sha256-" + index.digest().hex() + ".sig"));
    Image sig = Attachments.read(w.attachment(), opts);
    assertFalse(sig.isContainerImage());
    Verification v = Attachments.verify(loc, KEY.getPublic(), Verification.Requirements.NONE, opts);
    assertTrue(v.allVerified(), v.toString());
    assertEquals("registry.example/app", v.checks().get(0).payload().dockerReference());

    assertNull(
        Attachments.read(
            ImageLocation.parse("oci:" + dir + ":sha256-" + Digest.sha256("x").hex() + ".sig"),
            opts));
    assertThrows(
        SignException.class,
        () ->
            Attachments.locationOf(
                ImageLocation.parse("docker-archive:" + tmp.resolve("a.tar")),
                index.digest(),
                "sig"));
  }
}
