package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The referrers API is asked first ({@code GET /v2/NAME/referrers/DIGEST}); distribution 2.8 has
 * none (404), so the referrers tag schema is what is read. Requests are counted by a proxy in front
 * of the real registry.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class SignReferrersApiTest {
  static final KeyPair KEY = SigningKeys.generate();
  @TempDir Path tmp;
  final RegistryOptions opts = RegistryOptions.defaults();

  static final String IMAGE = "sha256:" + "a".repeat(64);

  static String entry(String digest, String artifactType) {
    return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
        + digest
        + "\",\"size\":500,\"artifactType\":\""
        + artifactType
        + "\"}";
  }

  @Test
  void theApiIsAskedFirstAndTheTagSchemaIsTheFallback(TestRegistry registry) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      ImageLocation.Registry app =
          (ImageLocation.Registry) ImageLocation.parse("docker://" + proxy.host() + "/api/app:v1");
      Locations.write(
          Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), "a.txt")),
          app,
          opts);
      Digest image = Locations.open(app, opts).digest();
      Digest sig = Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of(), null, opts);
      proxy.reset();

      List<Descriptor> listed = Referrers.list(app, image, opts);
      assertEquals(List.of(sig), listed.stream().map(Descriptor::digest).toList());
      String api = "/v2/api/app/referrers/" + image;
      assertEquals(1, proxy.count("GET", api), proxy.requests().toString());
      assertEquals(
          1,
          proxy.count("GET", "/v2/api/app/manifests/sha256-" + image.hex()),
          "distribution 2.8 answers 404, so the fallback index is read: " + proxy.requests());

      // A registry answering 405 (or 400) for the path has no API either: the fallback again.
      proxy.reset();
      proxy.failNext("GET", "/v2/api/app/referrers/", 1, 405);
      assertTrue(
          Referrers.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts)
              .allVerified());
      assertEquals(0, proxy.pendingFaults());
      assertEquals(1, proxy.count("GET", api));
      assertTrue(proxy.count("GET", "/v2/api/app/manifests/sha256-" + image.hex()) >= 1);
    }
  }

  @Test
  void anApiIndexIsParsedAndItsEntriesAreOnlyClaims() throws Exception {
    String other = "sha256:" + "b".repeat(64);
    byte[] body =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":["
                + entry(other, Referrers.SIGNATURE_ARTIFACT_TYPE)
                + ","
                + entry("sha256:" + "c".repeat(64), Referrers.ATTESTATION_ARTIFACT_TYPE)
                + "]}")
            .getBytes(StandardCharsets.UTF_8);
    List<Descriptor> d = Referrers.parseIndex(body, "r");
    assertEquals(2, d.size());
    assertEquals(other, d.get(0).digest().toString());
    assertEquals(Referrers.SIGNATURE_ARTIFACT_TYPE, d.get(0).artifactType());
    assertEquals(Referrers.ATTESTATION_ARTIFACT_TYPE, d.get(1).artifactType());
    assertEquals(
        List.of(),
        Referrers.parseIndex(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                .getBytes(StandardCharsets.UTF_8),
            "r"));
  }

  @Test
  void hostileApiAnswersAreOneLineRefusals() {
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaType.OCI_MANIFEST
                + "\",\"config\":"
                + entry(IMAGE, "x")
                + ",\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    SignException notIndex =
        assertThrows(SignException.class, () -> Referrers.parseIndex(manifest, "reg/app"));
    assertTrue(notIndex.getMessage().startsWith("reg/app: not"), notIndex.getMessage());
    assertTrue(!notIndex.getMessage().contains("\n"));

    SignException notJson =
        assertThrows(
            SignException.class,
            () -> Referrers.parseIndex("<html>".getBytes(StandardCharsets.UTF_8), "reg/app"));
    assertTrue(notJson.getMessage().startsWith("reg/app: not an image index"));

    byte[] big = new byte[4 * 1024 * 1024 + 1];
    Arrays.fill(big, (byte) ' ');
    SignException oversize =
        assertThrows(SignException.class, () -> Referrers.parseIndex(big, "reg/app"));
    assertEquals("reg/app: answer larger than 4 MiB", oversize.getMessage());
  }
}
