package dev.caulk.verbs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.Signer;
import dev.caulk.sign.SigningKeys;
import dev.caulk.sign.SimpleSigning;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures and attestations as OCI 1.1 referrers in an {@code oci:} layout: untagged {@code
 * index.json} entries found by their manifest's {@code subject}.
 */
class SignLayoutReferrersTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final char[] PASSWORD = "layout referrers".toCharArray();
  @TempDir Path tmp;
  final Session session = Session.defaults(null);

  JsonNode indexJson(Path dir) throws Exception {
    return JSON.readTree(Files.readAllBytes(dir.resolve("index.json")));
  }

  /** Removes the entries tagged {@code sha256-<hex>.sig} and {@code .att} from index.json. */
  void dropTagScheme(Path dir) throws Exception {
    ObjectNode index = (ObjectNode) indexJson(dir);
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode m : index.get("manifests")) {
      String tag = m.path("annotations").path("org.opencontainers.image.ref.name").asText("");
      if (!tag.endsWith(".sig") && !tag.endsWith(".att")) {
        kept.add(m);
      }
    }
    index.set("manifests", kept);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
  }

  @Test
  void signAndAttestIntoALayoutVerifyFromTheReferrersAlone() throws Exception {
    KeyPair pair = SigningKeys.generate();
    SigningKeys.write(pair, PASSWORD.clone(), tmp.resolve("k"));
    Path key = tmp.resolve("k.key");
    Path pub = tmp.resolve("k.pub");
    Path dir = tmp.resolve("layout");
    ImageLocation app = ImageLocation.parse("oci:" + dir + ":app");
    RegistryOptions ro = RegistryOptions.defaults();
    Locations.write(
        Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), "a.txt")), app, ro);
    Digest image = Locations.open(app, ro).digest();
    byte[] imageManifest = Files.readAllBytes(dir.resolve("blobs/sha256/" + image.hex()));

    Sign.Result signed =
        Sign.run(
            Sign.options()
                .location(app)
                .key(key)
                .password(PASSWORD.clone())
                .identity("reg.example/app")
                .referrers(true)
                .build(),
            session);
    Digest sigRef = signed.signed().get(0).referrer();
    assertNotNull(sigRef, "a referrer was written into the layout");
    Path predicate = Files.writeString(tmp.resolve("p.json"), "{\"built\":\"yes\"}");
    Attest.Result attested =
        Attest.run(
            Attest.options()
                .location(app)
                .key(key)
                .password(PASSWORD.clone())
                .predicate(predicate)
                .type("custom")
                .referrers(true)
                .build(),
            session);
    Digest attRef = attested.referrer();
    assertNotNull(attRef);

    // index.json lists both referrers untagged; each manifest names the image as subject.
    List<String> untagged = new ArrayList<>();
    for (JsonNode m : indexJson(dir).get("manifests")) {
      if (m.path("annotations").path("org.opencontainers.image.ref.name").isMissingNode()) {
        untagged.add(m.get("digest").asText());
      }
    }
    assertEquals(List.of(sigRef.toString(), attRef.toString()), untagged);
    JsonNode sm = JSON.readTree(Files.readAllBytes(dir.resolve("blobs/sha256/" + sigRef.hex())));
    assertEquals(image.toString(), sm.at("/subject/digest").asText());
    assertEquals(SimpleSigning.MEDIA_TYPE, sm.get("artifactType").asText());
    assertEquals(MediaType.OCI_EMPTY, sm.at("/config/mediaType").asText());
    JsonNode am = JSON.readTree(Files.readAllBytes(dir.resolve("blobs/sha256/" + attRef.hex())));
    assertEquals(image.toString(), am.at("/subject/digest").asText());
    assertEquals(
        "https://cosign.sigstore.dev/attestation/v1", am.at("/annotations/predicateType").asText());
    assertEquals(image, Locations.open(app, ro).digest(), "the signed image is not rewritten");
    assertTrue(
        Arrays.equals(
            imageManifest, Files.readAllBytes(dir.resolve("blobs/sha256/" + image.hex()))));

    // A referrer whose subject is another digest, in the same layout, is not counted.
    Digest other = Digest.sha256("another image".getBytes(UTF_8));
    Descriptor otherSubject = Descriptor.of(MediaType.OCI_MANIFEST, other, 13);
    Digest stray =
        Referrers.store(
            app,
            Referrers.manifest(
                otherSubject,
                Referrers.SIGNATURE_ARTIFACT_TYPE,
                List.of(
                    SimpleSigning.sign(
                        Signer.ecdsa(pair.getPrivate()), "reg.example/app", other, null)),
                null),
            ro);
    assertEquals(
        List.of(sigRef, attRef),
        Referrers.list(app, image, ro).stream().map(Descriptor::digest).toList());
    assertEquals(
        List.of(stray), Referrers.list(app, other, ro).stream().map(Descriptor::digest).toList());

    dropTagScheme(dir);
    assertTrue(
        Locations.tags(app, ro).stream().noneMatch(t -> t.startsWith("sha256-")),
        Locations.tags(app, ro).toString());

    Verify.Result v = Verify.run(Verify.options().location(app).key(pub).build(), session);
    assertTrue(v.ok(), v.problems().toString());
    assertEquals(1, v.subjects().get(0).found().size(), "the stray referrer is not counted");
    Verify.Found f = v.subjects().get(0).found().get(0);
    assertEquals(Verify.REFERRERS_SCHEME, f.scheme());
    assertTrue(f.where().startsWith("oci:" + dir), f.where());

    VerifyAttestation.Result va =
        VerifyAttestation.run(
            VerifyAttestation.options().location(app).key(pub).type("custom").build(), session);
    assertTrue(va.ok(), va.toString());
    assertEquals(1, va.found().size());
    assertEquals(Verify.REFERRERS_SCHEME, va.found().get(0).scheme());

    Tree.Result t = Tree.run(Tree.options().location(app).build(), session);
    assertEquals(2, t.entries().size(), t.toString());
    assertEquals(Tree.Kind.SIGNATURE, t.entries().get(0).kind());
    assertEquals(sigRef, t.entries().get(0).digest());
    assertEquals(Tree.Kind.ATTESTATION, t.entries().get(1).kind());
    assertEquals(attRef, t.entries().get(1).digest());
    assertEquals("https://cosign.sigstore.dev/attestation/v1", t.entries().get(1).predicateType());
    assertTrue(t.entries().stream().allMatch(e -> e.scheme().equals(Verify.REFERRERS_SCHEME)));

    // With another key nothing verifies, and verification says so.
    KeyPair otherKey = SigningKeys.generate();
    Path otherPub = tmp.resolve("other.pub");
    Files.writeString(otherPub, SigningKeys.publicKeyPem(otherKey.getPublic()));
    Verify.Result wrong = Verify.run(Verify.options().location(app).key(otherPub).build(), session);
    assertFalse(wrong.ok());
    assertNull(sigTagOf(dir, image), "the tag scheme is gone; only the referrer was checked");
  }

  private static String sigTagOf(Path dir, Digest image) throws Exception {
    String want = SignatureImages.tag(image, SignatureImages.SIGNATURE_SUFFIX);
    for (JsonNode m :
        JSON.readTree(Files.readAllBytes(dir.resolve("index.json"))).get("manifests")) {
      if (want.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        return want;
      }
    }
    return null;
  }

  @Test
  void withoutTheFlagALayoutGetsNoReferrer() throws Exception {
    SigningKeys.write(SigningKeys.generate(), PASSWORD.clone(), tmp.resolve("k"));
    Path dir = tmp.resolve("plain");
    ImageLocation app = ImageLocation.parse("oci:" + dir + ":app");
    RegistryOptions ro = RegistryOptions.defaults();
    Locations.write(
        Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), "b.txt")), app, ro);
    Sign.Result r =
        Sign.run(
            Sign.options()
                .location(app)
                .key(tmp.resolve("k.key"))
                .password(PASSWORD.clone())
                .identity("reg.example/app")
                .annotations(Map.of("env", "prod"))
                .build(),
            session);
    assertNull(r.signed().get(0).referrer());
    assertTrue(Referrers.list(app, r.subject(), ro).isEmpty());
  }
}
