package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryClient;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
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

  /** The referrers API's answer for these referrers, as a registry with the API would give it. */
  static String apiIndex(List<Digest> referrers, List<Long> sizes, String artifactType) {
    StringBuilder b =
        new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",");
    b.append("\"manifests\":[");
    for (int i = 0; i < referrers.size(); i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"mediaType\":\"")
          .append(MediaType.OCI_MANIFEST)
          .append("\",\"digest\":\"")
          .append(referrers.get(i))
          .append("\",\"size\":")
          .append(sizes.get(i))
          .append(",\"artifactType\":\"")
          .append(artifactType)
          .append("\"}");
    }
    return b.append("]}").toString();
  }

  static long size(ImageLocation.Registry app, Digest d, RegistryOptions opts) throws Exception {
    return Locations.open(new ImageLocation.Registry(app.reference().withDigest(d)), opts)
        .rawManifest()
        .length;
  }

  @Test
  void anOciSubjectAnswerLeavesTheFallbackTagAlone(TestRegistry registry) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      ImageLocation.Registry app =
          (ImageLocation.Registry) ImageLocation.parse("docker://" + proxy.host() + "/subj/app:v1");
      Locations.write(
          Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), "s.txt")),
          app,
          opts);
      Digest image = Locations.open(app, opts).digest();
      String fallbackPath = "^/v2/subj/app/manifests/" + Referrers.fallbackTag(image) + "$";
      ImageLocation.Registry fallback =
          new ImageLocation.Registry(app.reference().withTag(Referrers.fallbackTag(image)));

      // A registry with the referrers API answers the referrer's PUT with OCI-Subject: no tag.
      proxy.reset();
      proxy.addResponseHeaders(
          "PUT", "^/v2/subj/app/manifests/sha256:", 1, Map.of("OCI-Subject", image.toString()));
      Digest sig = Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of(), null, opts);
      assertEquals(0, proxy.pendingFaults(), proxy.requests().toString());
      assertEquals(0, proxy.count("*", fallbackPath), proxy.requests().toString());
      assertTrue(fallback.openIfPresent(opts).isEmpty(), "no fallback index written");
      // the referrer itself is in the registry, by digest
      assertEquals(
          sig,
          Locations.open(new ImageLocation.Registry(app.reference().withDigest(sig)), opts)
              .digest());

      // Listing asks the API, which (served by the proxy) lists it; it verifies from there.
      proxy.reset();
      proxy.respondNext(
          "GET",
          "^/v2/subj/app/referrers/" + image + "$",
          2,
          200,
          Map.of("Content-Type", MediaType.OCI_INDEX),
          apiIndex(List.of(sig), List.of(size(app, sig, opts)), Referrers.SIGNATURE_ARTIFACT_TYPE));
      assertEquals(
          List.of(sig), Referrers.list(app, image, opts).stream().map(Descriptor::digest).toList());
      Verification v = Referrers.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts);
      assertTrue(v.allVerified() && v.anyVerified(), v.toString());
      assertEquals(0, proxy.count("GET", fallbackPath), "the API answered: " + proxy.requests());

      // Without the header (distribution 2.8 as it is), the fallback index is written, as before.
      proxy.reset();
      Digest sig2 =
          Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of("n", "2"), null, opts);
      assertEquals(1, proxy.count("PUT", fallbackPath), proxy.requests().toString());
      assertEquals(
          List.of(sig2),
          Locations.open(fallback, opts).index().index().manifests().stream()
              .map(Descriptor::digest)
              .toList());

      // An OCI-Subject naming another digest is not this subject processed: the fallback again.
      proxy.reset();
      proxy.addResponseHeaders(
          "PUT", "^/v2/subj/app/manifests/sha256:", 1, Map.of("OCI-Subject", IMAGE));
      Digest sig3 =
          Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of("n", "3"), null, opts);
      assertEquals(0, proxy.pendingFaults());
      assertEquals(1, proxy.count("PUT", fallbackPath), proxy.requests().toString());
      assertEquals(
          List.of(sig2, sig3),
          Locations.open(fallback, opts).index().index().manifests().stream()
              .map(Descriptor::digest)
              .toList());
    }
  }

  @Test
  void referrersApiPagesAreFollowedWithinTheirBound(TestRegistry registry) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      ImageLocation.Registry app =
          (ImageLocation.Registry) ImageLocation.parse("docker://" + proxy.host() + "/page/app:v1");
      Locations.write(
          Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), "p.txt")),
          app,
          opts);
      Digest image = Locations.open(app, opts).digest();
      Digest one =
          Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of("n", "1"), null, opts);
      Digest two =
          Referrers.sign(app, Signer.ecdsa(KEY.getPrivate()), Map.of("n", "2"), null, opts);
      String path = "^/v2/page/app/referrers/" + image + "$";
      String type = Referrers.SIGNATURE_ARTIFACT_TYPE;
      Map<String, String> ct = Map.of("Content-Type", MediaType.OCI_INDEX);
      proxy.reset();
      proxy.respondNext(
          "GET",
          path,
          1,
          200,
          Map.of(
              "Content-Type",
              MediaType.OCI_INDEX,
              "Link",
              "</v2/page/app/referrers/" + image + "?last=a>; rel=\"next\""),
          apiIndex(List.of(one), List.of(size(app, one, opts)), type));
      proxy.respondNext(
          "GET",
          path,
          1,
          200,
          Map.of(
              "Content-Type",
              MediaType.OCI_INDEX,
              "Link",
              "<" + proxy.url() + "/v2/page/app/referrers/" + image + "?last=b>; rel=\"next\""),
          apiIndex(List.of(), List.of(), type));
      proxy.respondNext(
          "GET", path, 1, 200, ct, apiIndex(List.of(two), List.of(size(app, two, opts)), type));
      Verification v = Referrers.verify(app, KEY.getPublic(), Verification.Requirements.NONE, opts);
      assertEquals(2, v.verified().size(), v.toString());
      assertTrue(v.failed().isEmpty());
      assertEquals(0, proxy.pendingFaults());
      List<String> targets =
          proxy.requests().stream()
              .map(FaultProxy.SeenRequest::target)
              .filter(t -> t.contains("/referrers/"))
              .toList();
      assertEquals(
          List.of(
              "/v2/page/app/referrers/" + image,
              "/v2/page/app/referrers/" + image + "?last=a",
              "/v2/page/app/referrers/" + image + "?last=b"),
          targets);

      // A registry whose pages never end is refused after the bound, in one line.
      proxy.reset();
      proxy.respondNext(
          "GET",
          path,
          RegistryClient.MAX_REFERRER_PAGES + 5,
          200,
          Map.of(
              "Content-Type",
              MediaType.OCI_INDEX,
              "Link",
              "</v2/page/app/referrers/" + image + "?again>; rel=\"next\""),
          apiIndex(List.of(), List.of(), type));
      IOException e = assertThrows(IOException.class, () -> Referrers.list(app, image, opts));
      assertTrue(
          e.getMessage()
              .endsWith(": more than " + RegistryClient.MAX_REFERRER_PAGES + " pages of referrers"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
      assertEquals(RegistryClient.MAX_REFERRER_PAGES, proxy.count("GET", path));
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
