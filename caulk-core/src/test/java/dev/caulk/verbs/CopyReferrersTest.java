package dev.caulk.verbs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.digest.Digest;
import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.image.Images;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryClient;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.Signer;
import dev.caulk.sign.SigningKeys;
import dev.caulk.sign.SimpleSigning;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy --referrers} with OCI 1.1 referrers stored in {@code oci:} layouts (untagged {@code
 * index.json} entries found by {@code subject}), against Debian's real registry: layout to
 * registry, layout to layout, registry to layout, a layout holding the tag schema's index under its
 * tag (as caulk wrote before), and a listed entry that names another subject.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class CopyReferrersTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final char[] PASSWORD = "copy layout referrers".toCharArray();

  @TempDir Path tmp;
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final EventListener events =
      e -> {
        if (e instanceof Event.Log l && l.level() == Event.Level.WARN) {
          warnings.add(l.message());
        }
      };
  final Session session = Session.defaults(events);
  final RegistryOptions ro = RegistryOptions.defaults();
  KeyPair pair;
  Path key;
  Path pub;

  @BeforeEach
  void keys() throws Exception {
    pair = SigningKeys.generate();
    SigningKeys.write(pair, PASSWORD.clone(), tmp.resolve("k"));
    key = tmp.resolve("k.key");
    pub = tmp.resolve("k.pub");
  }

  /** An image in a layout, signed and attested as referrers only (the tag scheme removed). */
  Digest signedLayout(Path dir) throws Exception {
    ImageLocation app = ImageLocation.parse("oci:" + dir + ":app");
    Locations.write(
        Artifact.of(MediaFixtures.image(Files.createTempDirectory(tmp, "i"), "a.txt")), app, ro);
    Sign.run(
        Sign.options()
            .location(app)
            .key(key)
            .password(PASSWORD.clone())
            .identity("reg.example/app")
            .referrers(true)
            .build(),
        session);
    Path predicate = Files.writeString(tmp.resolve("p.json"), "{\"copied\":\"along\"}");
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
    dropTagScheme(dir);
    return Locations.open(app, ro).digest();
  }

  static JsonNode indexJson(Path dir) throws Exception {
    return JSON.readTree(Files.readAllBytes(dir.resolve("index.json")));
  }

  static void dropTagScheme(Path dir) throws Exception {
    ObjectNode index = (ObjectNode) indexJson(dir);
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode m : index.get("manifests")) {
      String tag = m.path("annotations").path(OciLayout.REF_NAME).asText("");
      if (!tag.endsWith(".sig") && !tag.endsWith(".att")) {
        kept.add(m);
      }
    }
    index.set("manifests", kept);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
  }

  /** The digests of the untagged index.json entries whose manifest names {@code subject}. */
  static List<String> untaggedReferrers(Path dir, Digest subject) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode m : indexJson(dir).get("manifests")) {
      if (!m.path("annotations").path(OciLayout.REF_NAME).isMissingNode()) {
        continue;
      }
      String hex = m.get("digest").asText().substring("sha256:".length());
      JsonNode manifest = JSON.readTree(Files.readAllBytes(dir.resolve("blobs/sha256/" + hex)));
      if (subject.toString().equals(manifest.at("/subject/digest").asText())) {
        out.add(m.get("digest").asText());
      }
    }
    return out;
  }

  void assertReferrersVerify(ImageLocation at) throws Exception {
    Verify.Result v = Verify.run(Verify.options().location(at).key(pub).build(), session);
    assertTrue(v.ok(), v.problems().toString());
    List<Verify.Found> found = v.subjects().get(0).found();
    assertTrue(
        found.stream().anyMatch(f -> f.scheme().equals(Verify.REFERRERS_SCHEME)), found.toString());
    VerifyAttestation.Result a =
        VerifyAttestation.run(
            VerifyAttestation.options().location(at).key(pub).type("custom").build(), session);
    assertTrue(a.ok(), a.problems().toString());
  }

  static List<Digest> digests(List<Copy.Attached> attached) {
    return attached.stream().filter(a -> a.kind().equals("referrer")).map(a -> a.digest()).toList();
  }

  @Test
  void untaggedLayoutReferrersGoToARegistryAndToAnotherLayout(TestRegistry registry)
      throws Exception {
    Path dir = tmp.resolve("src");
    Digest image = signedLayout(dir);
    List<String> stored = untaggedReferrers(dir, image);
    assertEquals(2, stored.size(), "signature and attestation referrers, untagged");
    ImageLocation src = ImageLocation.parse("oci:" + dir + ":app");

    ImageLocation.Registry reg =
        (ImageLocation.Registry)
            ImageLocation.parse("docker://" + registry.host() + "/layoutrefs/app:v1");
    Copy.Result toRegistry =
        Copy.run(Copy.options().source(src).destination(reg).referrers(true).build(), session);
    assertEquals(image, toRegistry.digest());
    assertEquals(stored, digests(toRegistry.attached()).stream().map(Digest::toString).toList());
    // the destination registry's fallback index lists both, with their artifact types
    Artifact fallback =
        Locations.open(
            ImageLocation.parse(
                "docker://" + registry.host() + "/layoutrefs/app:" + Referrers.fallbackTag(image)),
            ro);
    assertEquals(
        List.of(Referrers.SIGNATURE_ARTIFACT_TYPE, Referrers.ATTESTATION_ARTIFACT_TYPE),
        fallback.index().index().manifests().stream().map(Descriptor::artifactType).toList());
    assertReferrersVerify(reg);

    Path dir2 = tmp.resolve("dst");
    ImageLocation dst = ImageLocation.parse("oci:" + dir2 + ":copy");
    Copy.Result toLayout =
        Copy.run(Copy.options().source(src).destination(dst).referrers(true).build(), session);
    assertEquals(stored, untaggedReferrers(dir2, image), "stored untagged, linked by subject");
    assertEquals(2, digests(toLayout.attached()).size());
    assertFalse(
        OciLayout.open(dir2).tags().contains(Referrers.fallbackTag(image)),
        "no tag schema index is invented in a layout");
    assertReferrersVerify(dst);

    // copying again neither duplicates the entries nor the fallback index's
    Copy.run(Copy.options().source(src).destination(dst).referrers(true).build(), session);
    assertEquals(stored, untaggedReferrers(dir2, image));
    Copy.run(Copy.options().source(src).destination(reg).referrers(true).build(), session);
    assertEquals(
        2,
        Locations.open(
                ImageLocation.parse(
                    "docker://"
                        + registry.host()
                        + "/layoutrefs/app:"
                        + Referrers.fallbackTag(image)),
                ro)
            .index()
            .index()
            .manifests()
            .size());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void registryReferrersAreStoredInALayoutAsUntaggedEntries(TestRegistry registry)
      throws Exception {
    Digest image = signedLayout(tmp.resolve("origin"));
    ImageLocation.Registry reg =
        (ImageLocation.Registry)
            ImageLocation.parse("docker://" + registry.host() + "/layoutrefs/back:v1");
    Copy.run(
        Copy.options()
            .source(ImageLocation.parse("oci:" + tmp.resolve("origin") + ":app"))
            .destination(reg)
            .referrers(true)
            .build(),
        session);

    Path dir = tmp.resolve("fromregistry");
    ImageLocation layout = ImageLocation.parse("oci:" + dir + ":app");
    Copy.Result r =
        Copy.run(Copy.options().source(reg).destination(layout).referrers(true).build(), session);
    assertEquals(2, untaggedReferrers(dir, image).size(), indexJson(dir).toString());
    assertEquals(
        untaggedReferrers(dir, image),
        digests(r.attached()).stream().map(Digest::toString).toList());
    assertFalse(OciLayout.open(dir).tags().contains(Referrers.fallbackTag(image)));
    assertReferrersVerify(layout);
  }

  @Test
  void aLayoutWithTheTagSchemaIndexUnderItsTagIsStillCopied(TestRegistry registry)
      throws Exception {
    // What copy --referrers wrote into layouts before: the fallback index tagged sha256-<hex>, its
    // referrers only reachable through it (not index.json entries of their own).
    Path origin = tmp.resolve("origin");
    Digest image = signedLayout(origin);
    OciLayout o = OciLayout.open(origin);
    List<Descriptor> entries = new ArrayList<>();
    for (String digest : untaggedReferrers(origin, image)) {
      Artifact a = o.read("@" + digest);
      entries.add(
          new Descriptor(
              MediaType.OCI_MANIFEST,
              a.digest(),
              a.rawManifest().length,
              null,
              a.image().manifest().annotations(),
              null,
              null,
              a.image().manifest().artifactType()));
    }
    Path dir = tmp.resolve("legacy");
    ImageLocation legacy = ImageLocation.parse("oci:" + dir + ":app");
    Copy.run(
        Copy.options()
            .source(ImageLocation.parse("oci:" + origin + ":app"))
            .destination(legacy)
            .build(),
        session);
    byte[] index = SpecJson.write(Index.of(MediaType.OCI_INDEX, entries));
    OciLayout.create(dir)
        .write(
            Artifact.of(Images.indexFromManifest(index, o.blobs(), "fallback")),
            Referrers.fallbackTag(image),
            null,
            true);
    assertTrue(untaggedReferrers(dir, image).isEmpty(), "only the tagged index lists them");
    assertReferrersVerify(legacy);

    ImageLocation.Registry reg =
        (ImageLocation.Registry)
            ImageLocation.parse("docker://" + registry.host() + "/layoutrefs/legacy:v1");
    Copy.Result r =
        Copy.run(Copy.options().source(legacy).destination(reg).referrers(true).build(), session);
    assertEquals(2, digests(r.attached()).size(), r.attached().toString());
    assertReferrersVerify(reg);
  }

  @Test
  void aListedReferrerOfAnotherSubjectIsNotCopied(TestRegistry registry) throws Exception {
    Digest image = signedLayout(tmp.resolve("origin"));
    ImageLocation.Registry reg =
        (ImageLocation.Registry)
            ImageLocation.parse("docker://" + registry.host() + "/layoutrefs/stray:v1");
    Copy.run(
        Copy.options()
            .source(ImageLocation.parse("oci:" + tmp.resolve("origin") + ":app"))
            .destination(reg)
            .referrers(true)
            .build(),
        session);
    // A signature referrer of another digest, listed in this image's fallback index anyway.
    Digest other = Digest.sha256("another image".getBytes(UTF_8));
    Digest stray =
        Referrers.push(
            reg,
            Referrers.manifest(
                Descriptor.of(MediaType.OCI_MANIFEST, other, 13),
                Referrers.SIGNATURE_ARTIFACT_TYPE,
                List.of(
                    SimpleSigning.sign(
                        Signer.ecdsa(pair.getPrivate()), "reg.example/app", other, null)),
                null),
            ro);
    RegistryClient client = RegistryClient.create(registry.host(), ro);
    String tag = Referrers.fallbackTag(image);
    Index current =
        SpecJson.index(client.getManifest("layoutrefs/stray", tag).bytes(), "fallback index");
    List<Descriptor> listed = new ArrayList<>(current.manifests());
    listed.add(
        Descriptor.of(
            MediaType.OCI_MANIFEST,
            stray,
            client.getManifest("layoutrefs/stray", stray.toString()).bytes().length));
    client.putManifest(
        "layoutrefs/stray",
        tag,
        SpecJson.write(Index.of(MediaType.OCI_INDEX, listed)),
        MediaType.OCI_INDEX);

    Path dir = tmp.resolve("out");
    Copy.Result r =
        Copy.run(
            Copy.options()
                .source(reg)
                .destination(ImageLocation.parse("oci:" + dir + ":app"))
                .referrers(true)
                .build(),
            session);
    assertEquals(2, digests(r.attached()).size(), r.attached().toString());
    assertFalse(digests(r.attached()).contains(stray));
    assertFalse(
        Files.exists(dir.resolve("blobs/sha256/" + stray.hex())), "the stray is not copied");
    assertEquals(1, warnings.size(), warnings.toString());
    assertEquals(
        "referrer "
            + stray.shortString()
            + " does not name "
            + image.shortString()
            + " as its subject; not copied",
        warnings.get(0));
  }
}
