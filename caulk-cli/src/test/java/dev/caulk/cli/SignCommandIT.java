package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SignatureLayer;
import dev.caulk.sign.SigningKeys;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * caulk key generate, sign, verify, attest, verify-attestation and tree end to end: keys made by
 * the CLI with the password from the environment (in a child JVM, as a user runs it), signatures
 * and attestations stored in Debian's real registry and in an OCI layout, failures as one line and
 * exit 1, skopeo copying what caulk stored.
 */
class SignCommandIT {
  @RegisterExtension
  static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  @RegisterExtension
  static final RegistryExtension BASIC = RegistryExtension.of(TestRegistry.Mode.BASIC);

  static final String PASSWORD = "correct horse battery staple";

  @TempDir static Path shared;
  static SigningSetup setup;
  static Path key;
  static Path pub;
  static Path otherPub;
  static Path source;

  @BeforeAll
  static void keysAndImages() throws Exception {
    setup = new SigningSetup(PLAIN, shared, PASSWORD);
    SigningSetup.KeyPair release = setup.keyPair("release");
    key = release.key();
    pub = release.pub();
    otherPub = setup.keyPair("other", Map.of("COSIGN_PASSWORD", "other")).pub();
    source = shared.resolve("src");
    Files.createDirectories(source);
  }

  static String sigTag(String loc, Digest d) {
    return loc.substring(0, loc.lastIndexOf(':')) + ":sha256-" + d.hex() + ".sig";
  }

  static void oneErrorLine(Cli.Run r, String contains) {
    assertEquals(1, r.err().lines().count(), r.toString());
    assertTrue(r.err().startsWith("caulk: error: ") && r.err().contains(contains), r.toString());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.toString());
  }

  @Test
  void keyGenerateWritesCosignFilesAndNeverReplacesThem() throws Exception {
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(
        Files.readString(key).startsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n"),
        "the label every cosign and skopeo reads");
    assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
    assertTrue(
        Files.readString(otherPub).startsWith("-----BEGIN PUBLIC KEY-----\n"),
        "COSIGN_PASSWORD serves as cosign users have it");
    String before = Files.readString(key);
    Cli.Run again =
        setup.withPassword(
            "key", "generate", "--output-key-prefix", shared.resolve("release").toString());
    assertEquals(1, again.exit(), again.toString());
    oneErrorLine(again, "already exists; not replacing a key");
    assertEquals(before, Files.readString(key));
  }

  @Test
  void passwordsComeFromTheEnvironmentOnlyAndAreNeverShown() throws Exception {
    String app = setup.pushed("pw/app");
    Cli.Run cosignVar =
        setup.child(Map.of("COSIGN_PASSWORD", PASSWORD), "sign", app, "--key", key.toString());
    assertEquals(0, cosignVar.exit(), cosignVar.toString());
    Cli.Run precedence =
        setup.child(
            Map.of("CAULK_PASSWORD", PASSWORD, "COSIGN_PASSWORD", "not-it"),
            "sign",
            app,
            "--key",
            key.toString());
    assertEquals(0, precedence.exit(), "CAULK_PASSWORD comes first: " + precedence);

    Cli.Run wrong =
        setup.child(
            Map.of("CAULK_PASSWORD", "hunter2-wrong"), "sign", app, "--key", key.toString());
    assertEquals(1, wrong.exit(), wrong.toString());
    oneErrorLine(wrong, key + ": wrong password or corrupt key");
    assertFalse(wrong.err().contains("hunter2") || wrong.out().contains("hunter2"));

    Cli.Run none = setup.child(Map.of(), "sign", app, "--key", key.toString());
    assertEquals(2, none.exit(), none.toString());
    oneErrorLine(
        none,
        "no password for "
            + key
            + ": set CAULK_PASSWORD (or COSIGN_PASSWORD), or run on a terminal");

    Cli.Run flag =
        setup.child(Map.of(), "sign", app, "--key", key.toString(), "--password", "hunter2-flag");
    assertEquals(2, flag.exit(), flag.toString());
    oneErrorLine(flag, "caulk takes no password on the command line");
    assertFalse(flag.err().contains("hunter2"), flag.toString());
    Cli.Run genFlag =
        setup.child(
            Map.of(),
            "key",
            "generate",
            "--output-key-prefix",
            shared.resolve("x").toString(),
            "--password=hunter2");
    assertEquals(2, genFlag.exit(), genFlag.toString());
    assertFalse(
        genFlag.err().contains("hunter2") || Files.exists(shared.resolve("x.key")),
        genFlag.toString());

    Cli.Run v = Cli.run("verify", app, "--key", pub.toString());
    assertEquals(0, v.exit(), v.toString());
    assertEquals(2, v.out().lines().count(), "two signatures: " + v);
  }

  /**
   * key generate on a terminal (a pty from util-linux's script): answers typed after each prompt;
   * returns the exit code and everything the terminal showed after the first prompt.
   */
  static Cli.Run onTerminal(Path prefix, String first, String second) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd =
        "'"
            + java
            + "' -XX:TieredStopAtLevel=1 -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + Main.class.getName()
            + " key generate --output-key-prefix '"
            + prefix
            + "'";
    ProcessBuilder pb =
        new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeAll(
            List.of("CAULK_PASSWORD", "COSIGN_PASSWORD", "CAULK_STDERR_TTY", "CAULK_STDOUT_TTY"));
    Process p = pb.start();
    StringBuffer shown = new StringBuffer();
    Thread reader =
        new Thread(
            () -> {
              try (var in = p.getInputStream()) {
                int c;
                while ((c = in.read()) >= 0) {
                  shown.append((char) c);
                }
              } catch (IOException e) {
                shown.append("[read failed]");
              }
            });
    reader.start();
    var in = p.getOutputStream();
    awaitShown(shown, "Enter password for the new private key: ");
    int afterPrompt = shown.length();
    in.write((first + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    awaitShown(shown, "again: ");
    in.write((second + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("key generate on a terminal did not finish: " + shown);
    }
    reader.join(10_000);
    return new Cli.Run(p.exitValue(), shown.substring(afterPrompt), "");
  }

  static void awaitShown(StringBuffer shown, String text) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (shown.indexOf(text) < 0) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no prompt '" + text + "': " + shown);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void keyGenerateAsksTwiceOnATerminalWithoutEcho() throws Exception {
    assumeTrue(MediaFixtures.installed("script"), "util-linux script not installed");
    Path prefix = shared.resolve("tty");
    Cli.Run ok = onTerminal(prefix, "tty-secret-1", "tty-secret-1");
    assertEquals(0, ok.exit(), ok.out());
    assertFalse(ok.out().contains("tty-secret"), "the password is never echoed: " + ok.out());
    assertTrue(ok.out().contains("Public key written to " + prefix + ".pub"), ok.out());
    assertEquals(
        "EC",
        SigningKeys.readPrivateKey(Path.of(prefix + ".key"), "tty-secret-1".toCharArray())
            .getAlgorithm(),
        "the key opens with what was typed");
    Cli.Run mismatch = onTerminal(shared.resolve("tty2"), "tty-secret-2", "tty-secret-3");
    assertEquals(2, mismatch.exit(), mismatch.out());
    assertTrue(
        mismatch.out().contains("error:") && mismatch.out().contains(" the passwords do not match"),
        mismatch.out());
    assertFalse(
        mismatch.out().contains("tty-secret") || Files.exists(shared.resolve("tty2.key")),
        mismatch.out());
  }

  @Test
  void signAndVerifyOnARealRegistryInBothSchemes() throws Exception {
    String app = setup.pushed("reg/app");
    Digest d = SigningSetup.digestOf(app);
    Cli.Run sign =
        setup.withPassword(
            "sign",
            app,
            "--key",
            key.toString(),
            "-a",
            "env=prod",
            "--annotations",
            "team=core",
            "--registry-referrers",
            "--tlog-upload=false");
    assertEquals(0, sign.exit(), sign.toString());
    assertTrue(sign.out().startsWith(d + " " + sigTag(app, d) + " referrer sha256:"), sign.out());
    assertEquals(d, SigningSetup.digestOf(app), "signing never rewrites the image");

    Cli.Run v = Cli.run("verify", app, "--key", pub.toString());
    assertEquals(0, v.exit(), v.toString());
    List<String> lines = v.out().lines().toList();
    assertEquals(2, lines.size(), v.out());
    assertTrue(
        lines.get(0).startsWith("OK      tag        sha256:")
            && lines.get(0).endsWith(sigTag(app, d)),
        v.out());
    assertTrue(lines.get(1).startsWith("OK      referrers  sha256:"), v.out());
    assertEquals("", v.err());

    JsonNode json =
        SpecJson.mapper()
            .readTree(Cli.run("verify", app, "--key", pub.toString(), "--format", "json").out());
    assertTrue(json.path("verified").asBoolean());
    JsonNode subject = json.path("subjects").get(0);
    assertEquals(d.toString(), subject.path("digest").asText());
    assertEquals(2, subject.path("signatures").size());
    JsonNode sig = subject.path("signatures").get(0);
    assertEquals(
        PLAIN.registry().host() + "/reg/app",
        sig.path("identity").asText(),
        "cosign's identity: the repository");
    assertEquals(d.toString(), sig.path("digest").asText());
    assertEquals("prod", sig.path("annotations").path("env").asText());
    assertEquals("referrers", subject.path("signatures").get(1).path("scheme").asText());

    assertEquals(
        0,
        Cli.run("verify", app, "--key", pub.toString(), "-a", "env=prod", "-a", "team=core")
            .exit());
    String byDigest = app.substring(0, app.lastIndexOf(':')) + "@" + d;
    Cli.Run pinned = Cli.run("verify", byDigest, "--key", pub.toString());
    assertEquals(0, pinned.exit(), "a digest reference finds the same signatures: " + pinned);
    Cli.Run dev = Cli.run("verify", app, "--key", pub.toString(), "-a", "env=dev");
    assertEquals(1, dev.exit(), dev.toString());
    oneErrorLine(dev, "annotation env=prod, required dev");
    assertTrue(
        dev.out().contains("FAILED  tag") && dev.out().contains("FAILED  referrers"), dev.out());
    Cli.Run missing = Cli.run("verify", app, "--key", pub.toString(), "-a", "stage=1");
    assertEquals(1, missing.exit());
    oneErrorLine(missing, "annotation stage is missing (required stage=1)");
    Cli.Run badFlag = Cli.run("verify", app, "--key", pub.toString(), "-a", "novalue");
    assertEquals(2, badFlag.exit(), badFlag.toString());
    oneErrorLine(badFlag, "--annotations: expected KEY=VALUE");
  }

  @Test
  void signAndVerifyInAnOciLayout(@TempDir Path tmp) throws Exception {
    String app = setup.pushed("layout/app");
    String layout = "oci:" + tmp.resolve("layout") + ":app";
    assertEquals(0, Cli.run("copy", app, layout).exit());
    Digest d = SigningSetup.digestOf(app);
    Cli.Run noIdentity = setup.withPassword("sign", layout, "--key", key.toString());
    assertEquals(2, noIdentity.exit(), noIdentity.toString());
    oneErrorLine(noIdentity, "--identity is required for an oci: layout");
    // --registry-referrers into a layout: an untagged index.json entry found by its subject
    String other = "oci:" + tmp.resolve("referrers") + ":app";
    assertEquals(0, Cli.run("copy", app, other).exit());
    Cli.Run referrers =
        setup.withPassword(
            "sign",
            other,
            "--key",
            key.toString(),
            "--identity",
            "registry.example/app",
            "--registry-referrers");
    assertEquals(0, referrers.exit(), referrers.toString());
    Cli.Run refTree = Cli.run("tree", other, "-f", "json");
    assertEquals(0, refTree.exit(), refTree.toString());
    JsonNode refEntries = SpecJson.mapper().readTree(refTree.out()).get("attachments");
    assertEquals(2, refEntries.size(), refTree.out());
    assertEquals("referrers", refEntries.get(1).get("scheme").asText(), refTree.out());
    Cli.Run refVerify = Cli.run("verify", other, "--key", pub.toString());
    assertEquals(0, refVerify.exit(), refVerify.toString());
    assertEquals(
        2, refVerify.out().lines().filter(l -> l.startsWith("OK")).count(), refVerify.out());

    Cli.Run sign =
        setup.withPassword(
            "sign",
            layout,
            "--key",
            key.toString(),
            "--identity",
            "registry.example/app",
            "-a",
            "env=prod");
    assertEquals(0, sign.exit(), sign.toString());
    assertEquals(
        d + " oci:" + tmp.resolve("layout") + ":sha256-" + d.hex() + ".sig", sign.out().trim());
    Cli.Run tags = Cli.run("tags", "oci:" + tmp.resolve("layout"));
    assertEquals(
        List.of("app", "sha256-" + d.hex() + ".sig"), tags.out().lines().sorted().toList());
    Cli.Run v = Cli.run("verify", layout, "--key", pub.toString(), "-a", "env=prod", "-f", "json");
    assertEquals(0, v.exit(), v.toString());
    assertEquals(
        "registry.example/app",
        SpecJson.mapper().readTree(v.out()).at("/subjects/0/signatures/0/identity").asText());
    Cli.Run wrong = Cli.run("verify", layout, "--key", otherPub.toString());
    assertEquals(1, wrong.exit(), wrong.toString());
    oneErrorLine(wrong, "signature does not verify with the key (wrong key or altered payload)");

    // the layout, copied to a registry together with its signature image, verifies there
    String pushedBack = setup.location("layout/copied");
    assertEquals(0, Cli.run("copy", layout, pushedBack + ":v1").exit());
    assertEquals(
        0,
        Cli.run(
                "copy",
                "oci:" + tmp.resolve("layout") + ":sha256-" + d.hex() + ".sig",
                pushedBack + ":sha256-" + d.hex() + ".sig")
            .exit());
    assertEquals(0, Cli.run("verify", pushedBack + ":v1", "--key", pub.toString()).exit());
  }

  @Test
  void wrongKeyTamperedPayloadAndForeignDigestFailOnOneLine() throws Exception {
    String a = setup.pushed("bad/a");
    String b = setup.pushed("bad/b");
    String unsigned = setup.pushed("bad/unsigned");
    Digest da = SigningSetup.digestOf(a);
    Digest db = SigningSetup.digestOf(b);
    assertEquals(0, setup.withPassword("sign", a, "--key", key.toString()).exit());

    Cli.Run wrongKey = Cli.run("verify", a, "--key", otherPub.toString());
    assertEquals(1, wrongKey.exit(), wrongKey.toString());
    oneErrorLine(wrongKey, "signature does not verify with the key (wrong key or altered payload)");

    Cli.Run none = Cli.run("verify", unsigned, "--key", pub.toString());
    assertEquals(1, none.exit(), none.toString());
    oneErrorLine(none, "no signatures found");
    assertEquals("", none.out());

    RegistryOptions opts = RegistryOptions.defaults();
    Image sigImage = Locations.open(ImageLocation.parse(sigTag(a, da)), opts).image();
    List<SignatureLayer> layers = SignatureImages.read(sigImage, "test");
    // the signature of a, stored as if it were b's: the payload names a's digest
    Locations.write(Artifact.of(sigImage), ImageLocation.parse(sigTag(b, db)), opts, true);
    Cli.Run foreign = Cli.run("verify", b, "--key", pub.toString());
    assertEquals(1, foreign.exit(), foreign.toString());
    oneErrorLine(foreign, "signature is for " + da + ", not " + db);

    // one altered byte of the payload (the identity), the signature kept
    SignatureLayer orig = layers.get(0);
    String payload = new String(orig.payload(), StandardCharsets.UTF_8).replace("/bad/a", "/bad/x");
    SignatureLayer tampered =
        new SignatureLayer(
            orig.mediaType(), payload.getBytes(StandardCharsets.UTF_8), orig.annotations());
    Locations.write(
        Artifact.of(SignatureImages.build(null, List.of(tampered), "test")),
        ImageLocation.parse(sigTag(a, da)),
        opts,
        true);
    Cli.Run altered = Cli.run("verify", a, "--key", pub.toString());
    assertEquals(1, altered.exit(), altered.toString());
    oneErrorLine(altered, "signature does not verify with the key (wrong key or altered payload)");

    // a good signature beside the tampered one: still exit 1, since one fails
    assertEquals(0, setup.withPassword("sign", a, "--key", key.toString()).exit());
    Cli.Run mixed = Cli.run("verify", a, "--key", pub.toString());
    assertEquals(1, mixed.exit(), mixed.toString());
    assertTrue(
        mixed.out().contains("FAILED  tag") && mixed.out().contains("OK      tag"), mixed.out());
    oneErrorLine(mixed, "wrong key or altered payload");
  }

  @Test
  void registryCredentialsComeFromTheRegistryFlags() throws Exception {
    TestRegistry r = BASIC.registry();
    String creds = r.credentials().username() + ":" + r.credentials().password();
    Path blobs = Files.createTempDirectory(shared, "auth");
    Path layout = shared.resolve("auth-src");
    Locations.write(
        Artifact.of(MediaFixtures.image(blobs, "auth.txt")),
        new ImageLocation.OciLayout(layout, "x"),
        RegistryOptions.defaults());
    String app = "docker://" + r.host() + "/auth/app:v1";
    assertEquals(0, Cli.run("copy", "--dest-creds", creds, "oci:" + layout + ":x", app).exit());
    Cli.Run anonymous = setup.withPassword("sign", app, "--key", key.toString());
    assertEquals(1, anonymous.exit(), anonymous.toString());
    oneErrorLine(anonymous, "UNAUTHORIZED");
    Cli.Run sign =
        setup.withPassword(
            "sign", "--creds", creds, app, "--key", key.toString(), "--registry-referrers");
    assertEquals(0, sign.exit(), sign.toString());
    assertFalse(
        sign.out().contains(r.credentials().password())
            || sign.err().contains(r.credentials().password()));
    Cli.Run v = Cli.run("verify", "--creds", creds, app, "--key", pub.toString());
    assertEquals(0, v.exit(), v.toString());
    assertEquals(2, v.out().lines().count(), v.out());
    assertEquals(
        1, Cli.run("verify", app, "--key", pub.toString()).exit(), "anonymous: unauthorized");
  }

  @Test
  void anOversizedSignatureLayerIsRefusedBeforeItIsRead(@TempDir Path tmp) throws Exception {
    String app = setup.pushed("hostile/app");
    Digest d = SigningSetup.digestOf(app);
    Path dir = tmp.resolve("layout");
    assertEquals(0, Cli.run("copy", app, "oci:" + dir + ":app").exit());
    // a .sig manifest whose one layer claims 100 MiB (the blob is 3 bytes): refused on the
    // descriptor
    byte[] payload = "{ }".getBytes(StandardCharsets.UTF_8);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
            + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + Digest.sha256(config)
            + "\",\"size\":2},\"layers\":[{\"mediaType\":"
            + "\"application/vnd.dev.cosign.simplesigning.v1+json\",\"digest\":\""
            + Digest.sha256(payload)
            + "\",\"size\":104857600,"
            + "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"AAAA\"}}]}";
    byte[] raw = manifest.getBytes(StandardCharsets.UTF_8);
    for (byte[] b : List.of(payload, config, raw)) {
      Files.write(dir.resolve("blobs/sha256/" + Digest.sha256(b).hex()), b);
    }
    JsonNode index = SpecJson.mapper().readTree(dir.resolve("index.json").toFile());
    var entry = ((ArrayNode) index.path("manifests")).addObject();
    entry.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    entry.put("digest", Digest.sha256(raw).toString());
    entry.put("size", raw.length);
    entry
        .putObject("annotations")
        .put("org.opencontainers.image.ref.name", "sha256-" + d.hex() + ".sig");
    Files.write(dir.resolve("index.json"), SpecJson.mapper().writeValueAsBytes(index));

    Cli.Run v = Cli.run("verify", "oci:" + dir + ":app", "--key", pub.toString());
    assertEquals(1, v.exit(), v.toString());
    oneErrorLine(v, "is 104857600 bytes, more than the 67108864 read");
    Cli.Run tree = Cli.run("tree", "oci:" + dir + ":app");
    assertEquals(0, tree.exit(), "tree lists it without reading it: " + tree);
    assertTrue(
        tree.out().contains("signature    tag        " + Digest.sha256(payload)), tree.out());
  }

  @Test
  void attestAnSbomFromCaulkSbomAndSlsaProvenanceThenListTheTree() throws Exception {
    String app = setup.pushed("att/app");
    Digest d = SigningSetup.digestOf(app);
    Path sbom = shared.resolve("sbom-" + d.hex() + ".json");
    Cli.Run made = Cli.run("sbom", app, "-o", sbom.toString());
    assertEquals(0, made.exit(), made.toString());
    Path spdx = shared.resolve("spdx-" + d.hex() + ".json");
    assertEquals(0, Cli.run("sbom", app, "-f", "spdx", "-o", spdx.toString()).exit());
    Path provenance = shared.resolve("provenance.json");
    Files.writeString(
        provenance,
        "{\"builder\":{\"id\":\"https://caulk.dev/builder@v1\"},\"buildType\":\"https://caulk.dev/build/v1\","
            + "\"invocation\":{\"configSource\":{\"uri\":\"git+https://example.com/app\","
            + "\"digest\":{\"sha1\":\"0123456789abcdef0123456789abcdef01234567\"}}},"
            + "\"materials\":[]}");

    Cli.Run cdx =
        setup.withPassword(
            "attest",
            app,
            "--key",
            key.toString(),
            "--type",
            "cyclonedx",
            "--predicate",
            sbom.toString(),
            "--registry-referrers");
    assertEquals(0, cdx.exit(), cdx.toString());
    assertTrue(
        cdx.out()
            .startsWith(
                d
                    + " https://cyclonedx.org/bom "
                    + app.substring(0, app.lastIndexOf(':'))
                    + ":sha256-"
                    + d.hex()
                    + ".att referrer sha256:"),
        cdx.out());
    assertEquals(
        0,
        setup
            .withPassword(
                "attest",
                app,
                "--key",
                key.toString(),
                "--type",
                "slsaprovenance",
                "--predicate",
                provenance.toString())
            .exit());
    assertEquals(
        0,
        setup
            .withPassword(
                "attest",
                app,
                "--key",
                key.toString(),
                "--type",
                "spdxjson",
                "--predicate",
                spdx.toString())
            .exit());
    Cli.Run mismatch =
        setup.withPassword(
            "attest",
            app,
            "--key",
            key.toString(),
            "--type",
            "cyclonedx",
            "--predicate",
            provenance.toString());
    assertEquals(1, mismatch.exit(), mismatch.toString());
    oneErrorLine(mismatch, "not a CycloneDX document");
    Cli.Run badType =
        setup.withPassword(
            "attest",
            app,
            "--key",
            key.toString(),
            "--type",
            "sbom",
            "--predicate",
            sbom.toString());
    assertEquals(2, badType.exit(), badType.toString());
    oneErrorLine(badType, "--type: 'sbom' is neither a predicate type URI nor one of");

    JsonNode sbomJson = SpecJson.mapper().readTree(sbom.toFile());
    Cli.Run vc = Cli.run("verify-attestation", app, "--key", pub.toString(), "--type", "cyclonedx");
    assertEquals(0, vc.exit(), vc.toString());
    List<String> predicates = vc.out().lines().toList();
    assertEquals(2, predicates.size(), "the .att layer and the referrer: " + vc.out());
    for (String p : predicates) {
      assertEquals(
          sbomJson, SpecJson.mapper().readTree(p), "the predicate is the SBOM caulk sbom made");
    }
    Cli.Run vp =
        Cli.run(
            "verify-attestation",
            app,
            "--key",
            pub.toString(),
            "--type",
            "slsaprovenance",
            "-f",
            "json");
    assertEquals(0, vp.exit(), vp.toString());
    JsonNode att = SpecJson.mapper().readTree(vp.out()).path("attestations");
    assertEquals(1, att.size(), vp.out());
    JsonNode st = att.get(0).path("statement");
    assertEquals("https://in-toto.io/Statement/v1", st.path("_type").asText());
    assertEquals(d.hex(), st.at("/subject/0/digest/sha256").asText());
    assertEquals(PLAIN.registry().host() + "/att/app", st.at("/subject/0/name").asText());
    assertEquals("https://slsa.dev/provenance/v0.2", st.path("predicateType").asText());
    assertEquals("https://caulk.dev/builder@v1", st.at("/predicate/builder/id").asText());
    Cli.Run vs =
        Cli.run(
            "verify-attestation",
            app,
            "--key",
            pub.toString(),
            "--type",
            "spdxjson",
            "-f",
            "table");
    assertEquals(0, vs.exit(), vs.toString());
    assertEquals(1, vs.out().lines().count(), vs.out());
    Cli.Run all = Cli.run("verify-attestation", app, "--key", pub.toString(), "-f", "table");
    assertEquals(
        4,
        all.out().lines().filter(l -> l.startsWith("OK ")).count(),
        "no --type: every attestation: " + all.out());

    Cli.Run vex = Cli.run("verify-attestation", app, "--key", pub.toString(), "--type", "openvex");
    assertEquals(1, vex.exit(), vex.toString());
    oneErrorLine(vex, "no attestations found of type https://openvex.dev/ns");
    Cli.Run wrongKey =
        Cli.run("verify-attestation", app, "--key", otherPub.toString(), "--type", "cyclonedx");
    assertEquals(1, wrongKey.exit(), wrongKey.toString());
    oneErrorLine(wrongKey, "envelope signature does not verify with the key");
    assertEquals("", wrongKey.out(), "nothing unverified is printed as a predicate");

    // an SBOM attached cosign attach sbom style (sha256-<hex>.sbom), and a signature
    String sbomTag = app.substring(0, app.lastIndexOf(':')) + ":sha256-" + d.hex() + ".sbom";
    Image sbomImage =
        SignatureImages.build(
            null,
            List.of(new SignatureLayer("text/spdx+json", Files.readAllBytes(spdx), null)),
            "test");
    Locations.write(
        Artifact.of(sbomImage), ImageLocation.parse(sbomTag), RegistryOptions.defaults(), true);
    assertEquals(
        0, setup.withPassword("sign", app, "--key", key.toString(), "--registry-referrers").exit());

    Cli.Run tree = Cli.run("tree", app);
    assertEquals(0, tree.exit(), tree.toString());
    List<String> lines = tree.out().lines().toList();
    assertEquals(PLAIN.registry().host() + "/att/app:v1@" + d, lines.get(0));
    assertEquals(
        1,
        lines.stream().filter(l -> l.startsWith("  signature    tag        sha256:")).count(),
        tree.out());
    assertEquals(
        1,
        lines.stream().filter(l -> l.startsWith("  signature    referrers  sha256:")).count(),
        tree.out());
    assertEquals(
        3, lines.stream().filter(l -> l.startsWith("  attestation  tag ")).count(), tree.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith("  attestation  tag ")
                        && l.endsWith(" https://slsa.dev/provenance/v0.2")),
        tree.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith("  attestation  referrers ")
                        && l.endsWith(" https://cyclonedx.org/bom")),
        tree.out());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.startsWith("  sbom         tag ") && l.endsWith(" text/spdx+json")),
        tree.out());
    assertEquals(8, lines.size(), "the subject and 7 attachments: " + tree.out());

    JsonNode tj = SpecJson.mapper().readTree(Cli.run("referrers", app, "--format", "json").out());
    assertEquals(d.toString(), tj.path("subject").asText());
    Map<String, Integer> kinds = new HashMap<>();
    tj.path("attachments")
        .forEach(
            e ->
                kinds.merge(
                    e.path("kind").asText() + "/" + e.path("scheme").asText(), 1, Integer::sum));
    assertEquals(
        Map.of(
            "signature/tag",
            1,
            "signature/referrers",
            1,
            "attestation/tag",
            3,
            "attestation/referrers",
            1,
            "sbom/tag",
            1),
        kinds);
    tj.path("attachments")
        .forEach(
            e ->
                assertFalse(
                    e.path("annotations").has("dev.cosignproject.cosign/signature"),
                    "no base64 noise"));

    Cli.Run empty = Cli.run("tree", setup.pushed("att/empty"));
    assertEquals(0, empty.exit(), empty.toString());
    assertEquals("(nothing attached)", empty.out().lines().toList().get(1).trim());
  }

  @Test
  void recursiveSignsAndVerifiesEachPlatformImageOfAnIndex() throws Exception {
    Path dir = Files.createTempDirectory(shared, "multi");
    Image amd = MediaFixtures.image(dir, Platform.LINUX_AMD64, false, "amd.txt");
    Image arm =
        MediaFixtures.image(
            dir, new Platform("arm64", "linux", null, null, null, null), false, "arm.txt");
    String multi = setup.location("multi/app") + ":v1";
    Locations.write(
        Artifact.of(MediaFixtures.index(amd, arm)),
        ImageLocation.parse(multi),
        RegistryOptions.defaults());
    Digest index = SigningSetup.digestOf(multi);

    assertEquals(0, setup.withPassword("sign", multi, "--key", key.toString()).exit());
    assertEquals(
        0, Cli.run("verify", multi, "--key", pub.toString()).exit(), "the index digest is signed");
    Cli.Run children = Cli.run("verify", multi, "--key", pub.toString(), "--recursive");
    assertEquals(1, children.exit(), children.toString());
    oneErrorLine(
        children, amd.digest().shortString() + ": no signatures found (and 1 more problem)");

    Cli.Run sign = setup.withPassword("sign", multi, "--key", key.toString(), "--recursive");
    assertEquals(0, sign.exit(), sign.toString());
    assertEquals(
        List.of(index.toString(), amd.digest().toString(), arm.digest().toString()),
        sign.out().lines().map(l -> l.substring(0, l.indexOf(' '))).toList());
    Cli.Run v = Cli.run("verify", multi, "--key", pub.toString(), "--recursive", "-f", "json");
    assertEquals(0, v.exit(), v.toString());
    JsonNode subjects = SpecJson.mapper().readTree(v.out()).path("subjects");
    assertEquals(3, subjects.size());
    assertEquals(2, subjects.get(0).path("signatures").size(), "the index was signed twice");
    assertEquals(
        arm.digest().toString(), subjects.get(2).path("signatures").get(0).path("digest").asText());
  }

  @Test
  void skopeoCopiesCaulksSignaturesSoTheyStillVerify(@TempDir Path tmp) throws Exception {
    assumeTrue(MediaFixtures.installed("skopeo"), "skopeo not installed");
    String app = setup.pushed("skopeo/app");
    Digest d = SigningSetup.digestOf(app);
    assertEquals(
        0, setup.withPassword("sign", app, "--key", key.toString(), "-a", "via=caulk").exit());
    String host = PLAIN.registry().host();
    String sig = "sha256-" + d.hex() + ".sig";
    MediaFixtures.run(
        tmp,
        "skopeo",
        "copy",
        "--all",
        "--preserve-digests",
        "--src-tls-verify=false",
        "--dest-tls-verify=false",
        app,
        "docker://" + host + "/skopeo/copied:v1");
    MediaFixtures.run(
        tmp,
        "skopeo",
        "copy",
        "--all",
        "--preserve-digests",
        "--src-tls-verify=false",
        "--dest-tls-verify=false",
        "docker://" + host + "/skopeo/app:" + sig,
        "docker://" + host + "/skopeo/copied:" + sig);
    String raw =
        MediaFixtures.run(
            tmp,
            "skopeo",
            "inspect",
            "--raw",
            "--tls-verify=false",
            "docker://" + host + "/skopeo/copied:" + sig);
    assertEquals(
        Digest.sha256(
            Locations.open(ImageLocation.parse(sigTag(app, d)), RegistryOptions.defaults())
                .rawManifest()),
        Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)),
        "skopeo copies the signature image byte for byte");
    Cli.Run v =
        Cli.run(
            "verify",
            "docker://" + host + "/skopeo/copied:v1",
            "--key",
            pub.toString(),
            "-a",
            "via=caulk");
    assertEquals(0, v.exit(), v.toString());
    // skopeo reading caulk's signatures as sigstore attachments (containers-registries.d(5)) and
    // writing them again
    Path registriesD = Files.createDirectories(tmp.resolve("registries.d"));
    Files.writeString(
        registriesD.resolve("default.yaml"), "default-docker:\n  use-sigstore-attachments: true\n");
    String out =
        MediaFixtures.run(
            tmp,
            "skopeo",
            "--registries.d",
            registriesD.toString(),
            "copy",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
            app,
            "docker://" + host + "/skopeo/attached:v1");
    assertTrue(out.contains("Storing signatures"), out);
    Cli.Run attached =
        Cli.run(
            "verify",
            "docker://" + host + "/skopeo/attached:v1",
            "--key",
            pub.toString(),
            "-a",
            "via=caulk");
    assertEquals(0, attached.exit(), "skopeo copied caulk's signature with the image: " + attached);
    assertTrue(Cli.run("tags", "docker://" + host + "/skopeo/attached").out().contains(sig));
    // and into an OCI layout with skopeo (which stores no signatures there): caulk finds the copied
    // .sig by its tag
    MediaFixtures.run(
        tmp, "skopeo", "copy", "--src-tls-verify=false", app, "oci:" + tmp.resolve("l") + ":app");
    MediaFixtures.run(
        tmp,
        "skopeo",
        "copy",
        "--src-tls-verify=false",
        "docker://" + host + "/skopeo/app:" + sig,
        "oci:" + tmp.resolve("l") + ":" + sig);
    Cli.Run lv = Cli.run("verify", "oci:" + tmp.resolve("l") + ":app", "--key", pub.toString());
    assertEquals(0, lv.exit(), lv.toString());
  }
}
