package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caulk copy --referrers}: an image signed and attested in both schemes (tag scheme and OCI
 * 1.1 referrers through the fallback index) in Debian's real registry, copied to another
 * repository, into an OCI layout (referrers as untagged {@code index.json} entries) and from the
 * layout back to the registry; an image signed and attested into a layout, copied to the registry
 * and to another layout; the signatures and attestations verify at every destination, and a plain
 * copy does not bring them.
 */
class CopyReferrersIT {
  @RegisterExtension
  static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  static final String PASSWORD = "copy referrers password";

  @TempDir Path tmp;
  SigningSetup setup;

  @BeforeEach
  void setUp() {
    setup = new SigningSetup(PLAIN, tmp, PASSWORD);
  }

  static void ok(Cli.Run r) {
    assertEquals(0, r.exit(), r.toString());
  }

  @Test
  void signaturesAndAttestationsTravelAcrossRegistriesAndLayouts() throws Exception {
    SigningSetup.KeyPair pair = setup.keyPair("k");
    String key = pair.key().toString();
    String pub = pair.pub().toString();
    String src = setup.pushed("refs/src");
    Digest d = SigningSetup.digestOf(src);
    ok(
        setup.withPassword(
            "sign", src, "--key", key, "--registry-referrers", "--tlog-upload=false"));
    Path predicate = Files.writeString(tmp.resolve("p.json"), "{\"note\":\"copied along\"}");
    ok(
        setup.withPassword(
            "attest",
            src,
            "--key",
            key,
            "--type",
            "custom",
            "--predicate",
            predicate.toString(),
            "--registry-referrers",
            "--tlog-upload=false"));

    // a plain copy brings nothing attached: verify fails there
    String plain = setup.location("refs/plain") + ":v1";
    ok(Cli.run("copy", src, plain));
    assertEquals(1, Cli.run("verify", plain, "--key", pub).exit());

    String dst = setup.location("refs/dst") + ":v1";
    Cli.Run copy = Cli.run("copy", "--referrers", src, dst);
    ok(copy);
    assertEquals(
        dst.substring("docker://".length()) + "@" + d, copy.out().strip(), copy.toString());
    assertEquals(d, SigningSetup.digestOf(dst));
    assertBothSchemesVerify(dst, pub);

    // into an OCI layout: the tag scheme as tags, the referrers as untagged index.json entries
    // whose subject is the image (no tag schema index invented there); both verify
    Path layoutDir = tmp.resolve("layout");
    String layout = "oci:" + layoutDir;
    ok(Cli.run("copy", "--referrers", dst, layout + ":app"));
    assertBothSchemesVerify(layout + ":app", pub);
    assertEquals(2, untaggedReferrers(layoutDir, d).size(), "the signature and attestation");
    assertFalse(OciLayout.open(layoutDir).tags().contains("sha256-" + d.hex()));

    // and back from the layout to a registry: both schemes again
    String back = setup.location("refs/back") + ":v1";
    ok(Cli.run("copy", "--referrers", layout + ":app", back));
    assertBothSchemesVerify(back, pub);
    // copying again merges, it does not duplicate
    ok(Cli.run("copy", "--referrers", layout + ":app", back));
    List<String> lines = Cli.run("verify", back, "--key", pub).out().lines().toList();
    assertEquals(2, lines.size(), lines.toString());
  }

  @Test
  void referrersSignedIntoALayoutTravelToARegistryAndToAnotherLayout() throws Exception {
    ok(setup.withPassword("key", "generate", "--output-key-prefix", tmp.resolve("k").toString()));
    String key = tmp.resolve("k.key").toString();
    String pub = tmp.resolve("k.pub").toString();
    Path srcDir = tmp.resolve("signed");
    String src = "oci:" + srcDir + ":app";
    Image img = MediaFixtures.image(Files.createDirectories(tmp.resolve("img")), "layout.txt");
    Locations.write(Artifact.of(img), ImageLocation.parse(src), RegistryOptions.defaults());
    Digest d = SigningSetup.digestOf(src);
    ok(
        setup.withPassword(
            "sign",
            src,
            "--key",
            key,
            "--identity",
            "reg.example/app",
            "--registry-referrers",
            "--tlog-upload=false"));
    Path predicate = Files.writeString(tmp.resolve("p.json"), "{\"note\":\"from a layout\"}");
    ok(
        setup.withPassword(
            "attest",
            src,
            "--key",
            key,
            "--type",
            "custom",
            "--predicate",
            predicate.toString(),
            "--registry-referrers",
            "--tlog-upload=false"));
    List<String> referrers = untaggedReferrers(srcDir, d);
    assertEquals(2, referrers.size(), "sign and attest wrote untagged referrers");

    String reg = setup.location("refs/fromlayout") + ":v1";
    ok(Cli.run("copy", "--referrers", src, reg));
    assertBothSchemesVerify(reg, pub);

    Path otherDir = tmp.resolve("other");
    String other = "oci:" + otherDir + ":copy";
    ok(Cli.run("copy", "--referrers", src, other));
    assertBothSchemesVerify(other, pub);
    assertEquals(referrers, untaggedReferrers(otherDir, d));
  }

  /** The untagged index.json entries of a layout whose manifest's subject is {@code subject}. */
  static List<String> untaggedReferrers(Path dir, Digest subject) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    for (JsonNode m : json.readTree(dir.resolve("index.json").toFile()).get("manifests")) {
      if (m.path("annotations").has(OciLayout.REF_NAME)) {
        continue;
      }
      String hex = m.get("digest").asText().substring("sha256:".length());
      JsonNode manifest = json.readTree(dir.resolve("blobs/sha256/" + hex).toFile());
      if (subject.toString().equals(manifest.at("/subject/digest").asText())) {
        out.add(m.get("digest").asText());
      }
    }
    return out;
  }

  @Test
  void anArchiveCannotHoldAttachments() {
    Cli.Run r =
        Cli.run(
            "copy",
            "--referrers",
            setup.location("refs/none") + ":v1",
            "docker-archive:" + tmp.resolve("a.tar") + ":app:v1");
    assertEquals(2, r.exit(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(
        (r.out() + r.err())
            .contains("--referrers: attachments live in registries and oci: layouts"),
        r.toString());
  }

  void assertBothSchemesVerify(String loc, String pub) {
    Cli.Run v = Cli.run("verify", loc, "--key", pub);
    ok(v);
    List<String> lines = v.out().lines().toList();
    assertEquals(2, lines.size(), v.out());
    assertTrue(
        lines.get(0).startsWith("OK      tag") && lines.get(1).startsWith("OK      referrers"),
        v.out());
    ok(Cli.run("verify-attestation", loc, "--key", pub, "--type", "custom"));
  }
}
