package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.location.ImageLocation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Option validation of the signing verbs: each mistake is an {@link InvalidOptionsException} naming
 * the option.
 */
class SignVerbOptionsTest {
  static final ImageLocation REG = ImageLocation.parse("docker://registry.example/app:1");
  static final ImageLocation LAYOUT = ImageLocation.parse("oci:/tmp/layout:x");
  static final ImageLocation ARCHIVE = ImageLocation.parse("docker-archive:/tmp/a.tar");
  static final Path KEY = Path.of("cosign.key");

  static String refused(Executable e) {
    return assertThrows(InvalidOptionsException.class, e).getMessage();
  }

  @Test
  void signNeedsAnImageAKeyAndAnIdentityForALayout() {
    assertTrue(refused(() -> Sign.options().key(KEY).build()).contains("name the image"));
    assertTrue(refused(() -> Sign.options().location(REG).build()).contains("--key is required"));
    assertTrue(
        refused(() -> Sign.options().location(LAYOUT).key(KEY).build())
            .contains("--identity is required"));
    assertTrue(
        refused(() -> Sign.options().location(ARCHIVE).key(KEY).build())
            .contains("docker-archive"));
    assertTrue(
        refused(() -> Sign.options().location(REG).key(KEY).identity(" ").build())
            .contains("--identity must not be empty"));
    Sign.Options o =
        Sign.options().location(LAYOUT).key(KEY).identity("registry.example/app").build();
    assertEquals("registry.example/app", o.identity());
    assertFalse(o.referrers());
    assertNull(
        Sign.options().location(REG).key(KEY).build().identity(),
        "a registry's identity is its repository, chosen when run");
  }

  @Test
  void signRefusesATransparencyLogAndTakesReferrersInALayout() {
    assertTrue(
        refused(() -> Sign.options().location(REG).key(KEY).tlogUpload(true).build())
            .startsWith("--tlog-upload"));
    assertFalse(Sign.options().location(REG).key(KEY).tlogUpload(false).build().recursive());
    assertTrue(
        Sign.options()
            .location(LAYOUT)
            .key(KEY)
            .identity("r/a")
            .referrers(true)
            .build()
            .referrers(),
        "an oci: layout stores referrers by subject");
    assertTrue(
        Sign.options().location(REG).key(KEY).referrers(true).recursive(true).build().referrers());
  }

  @Test
  void annotationsAreKeyEqualsValueAsCosignHasThem() {
    Sign.Options o =
        Sign.options()
            .location(REG)
            .key(KEY)
            .annotations(List.of("env=prod", "url=https://x/?a=b", "empty="))
            .build();
    assertEquals(
        Map.of("env", "prod", "url", "https://x/?a=b", "empty", ""),
        o.annotations(),
        "the first '=' separates");
    assertTrue(
        refused(() -> Sign.options().annotations(List.of("novalue")))
            .startsWith("--annotations: expected KEY=VALUE"));
    assertTrue(
        refused(() -> Sign.options().annotations(List.of("=v")))
            .startsWith("--annotations: expected KEY=VALUE"));
    assertTrue(
        refused(() -> Sign.options().annotations(List.of("a=1", "a=2"))).contains("given twice"));
    assertTrue(
        refused(() -> Verify.options().annotations(List.of("k=" + "v".repeat(5000))))
            .contains("longer than"));
    List<String> many = IntStream.range(0, 65).mapToObj(i -> "k" + i + "=v").toList();
    assertTrue(refused(() -> Verify.options().annotations(many)).contains("at most 64"));
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("", "v");
    assertTrue(refused(() -> Sign.options().annotations(bad)).contains("non-empty"));
    assertEquals(
        Map.of("env", "prod"),
        Verify.options()
            .location(REG)
            .key(KEY)
            .annotations(Map.of("env", "prod"))
            .build()
            .annotations());
  }

  @Test
  void verifyNeedsAnImageAndAPublicKey() {
    assertTrue(refused(() -> Verify.options().key(KEY).build()).contains("name the image"));
    assertTrue(refused(() -> Verify.options().location(REG).build()).contains("--key is required"));
    assertTrue(
        refused(() -> Verify.options().location(ARCHIVE).key(KEY).build())
            .contains("docker-archive"));
    assertTrue(
        Verify.options().location(LAYOUT).key(KEY).recursive(true).build().recursive(),
        "layouts are verified without an identity");
  }

  @Test
  void attestResolvesCosignTypeNamesAndRefusesOthers() {
    Path p = Path.of("p.json");
    assertEquals(
        "https://slsa.dev/provenance/v0.2",
        Attest.options()
            .location(REG)
            .key(KEY)
            .predicate(p)
            .type("slsaprovenance")
            .build()
            .predicateType());
    assertEquals(
        "https://slsa.dev/provenance/v1",
        Attest.options()
            .location(REG)
            .key(KEY)
            .predicate(p)
            .type("slsaprovenance1")
            .build()
            .predicateType());
    assertEquals(
        "https://spdx.dev/Document",
        Attest.options()
            .location(REG)
            .key(KEY)
            .predicate(p)
            .type("spdxjson")
            .build()
            .predicateType());
    assertEquals(
        "https://cyclonedx.org/bom",
        Attest.options()
            .location(REG)
            .key(KEY)
            .predicate(p)
            .type("cyclonedx")
            .build()
            .predicateType());
    assertEquals(
        "https://cosign.sigstore.dev/attestation/vuln/v1",
        Attest.options().location(REG).key(KEY).predicate(p).type("vuln").build().predicateType());
    assertEquals(
        "https://cosign.sigstore.dev/attestation/v1",
        Attest.options().location(REG).key(KEY).predicate(p).build().predicateType(),
        "custom is the default, as in cosign");
    assertEquals(
        "https://example.com/my/v1",
        Attest.options()
            .location(REG)
            .key(KEY)
            .predicate(p)
            .type("https://example.com/my/v1")
            .build()
            .predicateType());
    assertTrue(
        refused(() -> Attest.options().location(REG).key(KEY).predicate(p).type("slsa").build())
            .startsWith("--type: 'slsa' is neither a predicate type URI nor one of"));
    assertTrue(
        refused(() -> Attest.options().location(REG).key(KEY).predicate(p).type("").build())
            .startsWith("--type must not be empty"));
    assertTrue(
        refused(() -> Attest.options().location(REG).key(KEY).build())
            .contains("--predicate is required"));
    assertTrue(
        refused(() -> Attest.options().location(REG).predicate(p).build())
            .contains("--key is required"));
    assertTrue(
        refused(() -> Attest.options().location(REG).key(KEY).predicate(p).tlogUpload(true).build())
            .startsWith("--tlog-upload"));
    assertTrue(
        Attest.options().location(LAYOUT).key(KEY).predicate(p).referrers(true).build().referrers(),
        "an oci: layout stores referrers by subject");
    assertNull(
        Attest.options().location(LAYOUT).key(KEY).predicate(p).build().subjectName(),
        "a layout's statement may have no name");
  }

  @Test
  void verifyAttestationAcceptsAnyTypeUnlessOneIsNamed() {
    assertNull(VerifyAttestation.options().location(REG).key(KEY).build().predicateType());
    assertEquals(
        "https://openvex.dev/ns",
        VerifyAttestation.options().location(REG).key(KEY).type("openvex").build().predicateType());
    assertTrue(
        refused(() -> VerifyAttestation.options().location(REG).key(KEY).type("not a uri").build())
            .startsWith("--type:"));
    assertTrue(
        refused(() -> VerifyAttestation.options().location(REG).build())
            .contains("--key is required"));
    assertTrue(
        refused(() -> VerifyAttestation.options().location(ARCHIVE).key(KEY).build())
            .contains("docker-archive"));
  }

  @Test
  void treeNeedsAStoreThatHoldsAttachments() {
    assertTrue(refused(() -> Tree.options().build()).contains("name the image"));
    assertTrue(refused(() -> Tree.options().location(ARCHIVE).build()).contains("docker-archive"));
    assertEquals(LAYOUT, Tree.options().location(LAYOUT).build().location());
    assertEquals(Tree.Kind.SBOM, Tree.kindOfArtifact("application/spdx+json"));
    assertEquals(
        Tree.Kind.SIGNATURE,
        Tree.kindOfArtifact("application/vnd.dev.cosign.simplesigning.v1+json"));
    assertEquals(
        Tree.Kind.ATTESTATION, Tree.kindOfArtifact("application/vnd.dsse.envelope.v1+json"));
    assertEquals(Tree.Kind.ARTIFACT, Tree.kindOfArtifact("application/vnd.example.thing"));
  }

  @Test
  void keyGenerateNeedsAPrefixAndAPasswordAndNeverShowsIt() {
    KeyGenerate.Options o = KeyGenerate.options().password("s3cret".toCharArray()).build();
    assertEquals(Path.of("cosign"), o.prefix(), "cosign's default prefix");
    assertFalse(o.toString().contains("s3cret"));
    assertFalse(
        Sign.options()
            .location(REG)
            .key(KEY)
            .password("s3cret".toCharArray())
            .build()
            .toString()
            .contains("s3cret"));
    assertEquals(
        Path.of("keys/release"),
        KeyGenerate.options()
            .outputKeyPrefix("keys/release")
            .password(new char[0])
            .build()
            .prefix());
    assertTrue(
        refused(() -> KeyGenerate.options().outputKeyPrefix("").password(new char[0]).build())
            .startsWith("--output-key-prefix"));
    assertTrue(
        refused(() -> KeyGenerate.options().outputKeyPrefix("keys/").password(new char[0]).build())
            .startsWith("--output-key-prefix"));
    assertTrue(refused(() -> KeyGenerate.options().build()).contains("password is required"));
  }
}
