package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.layout.MediaFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * caulk's key files, signatures and DSSE envelopes checked by a small Go program
 * (src/test/resources/dev/caulk/sign/oracle.go) built on Go's crypto/ecdsa, crypto/x509 and
 * golang.org/x/crypto's scrypt and nacl/secretbox: the libraries cosign and skopeo use. It reads
 * keys with the rule skopeo 1.9 has (scrypt N=32768, r=8, p=1 only).
 */
class SignGoOracleTest {
  static final Path GOPATH = Path.of("/usr/share/gocode");
  static final char[] PASSWORD = "oracle pässword".toCharArray();
  @TempDir static Path bin;
  @TempDir Path tmp;
  static Path oracle;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void build() throws Exception {
    assumeTrue(
        MediaFixtures.installed("go"),
        "go not installed (scripts/install-test-deps installs golang-go)");
    assumeTrue(
        Files.isDirectory(GOPATH.resolve("src/golang.org/x/crypto/nacl/secretbox")),
        "golang.org/x/crypto not installed (scripts/install-test-deps installs golang-golang-x-crypto-dev)");
    Path src = bin.resolve("oracle.go");
    try (InputStream in = SignGoOracleTest.class.getResourceAsStream("oracle.go")) {
      Files.write(src, in.readAllBytes());
    }
    oracle = bin.resolve("oracle");
    Result r =
        run(
            List.of("go", "build", "-o", oracle.toString(), src.toString()),
            Map.of("GO111MODULE", "off", "GOPATH", GOPATH.toString()));
    assertEquals(0, r.exit(), "building the oracle: " + r.err());
  }

  static Result run(List<String> cmd, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(bin.toFile());
    pb.environment().putAll(env);
    Path err = Files.createTempFile(bin, "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
    return new Result(p.exitValue(), out, Files.readString(err));
  }

  static Result oracle(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(oracle.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of());
  }

  Path write(String name, byte[] b) throws IOException {
    return Files.write(tmp.resolve(name), b);
  }

  @Test
  void goDecryptsCaulksKeyAndCaulkVerifiesWhatGoSigned() throws Exception {
    KeyPair pair = SigningKeys.generate();
    SigningKeys.write(pair, PASSWORD, tmp.resolve("caulk"));
    Path pass = write("pass", (new String(PASSWORD) + "\n").getBytes(StandardCharsets.UTF_8));
    Digest image = Digest.sha256("image");
    byte[] payload = SimpleSigning.payload("registry.example/app", image, Map.of("by", "go"));
    Result signed =
        oracle(
            "sign",
            tmp.resolve("caulk.key").toString(),
            pass.toString(),
            write("payload", payload).toString());
    assertEquals(0, signed.exit(), signed.err());
    SignatureLayer layer =
        new SignatureLayer(
            SimpleSigning.MEDIA_TYPE,
            payload,
            Map.of(SimpleSigning.SIGNATURE_ANNOTATION, signed.out()));
    Verification v =
        Verification.ofSignatures(
            image,
            List.of(layer),
            SigningKeys.readPublicKey(tmp.resolve("caulk.pub")),
            Verification.Requirements.annotations(Map.of("by", "go")));
    assertTrue(v.allVerified(), v.toString());

    Path wrong = write("wrong", "not it".getBytes(StandardCharsets.UTF_8));
    Result refused =
        oracle(
            "sign",
            tmp.resolve("caulk.key").toString(),
            wrong.toString(),
            tmp.resolve("payload").toString());
    assertEquals(2, refused.exit());
    assertEquals("decryption failed", refused.err().strip());

    Path newer =
        write(
            "sigstore.key",
            SigningKeys.encryptPrivateKey(
                    pair.getPrivate(),
                    PASSWORD,
                    SigningKeys.ScryptParams.LEGACY,
                    SigningKeys.SIGSTORE_LABEL)
                .getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        0,
        oracle("sign", newer.toString(), pass.toString(), tmp.resolve("payload").toString()).exit(),
        "the oracle reads both labels, as cosign does");
  }

  @Test
  void goRefusesTheNewerScryptCostWhichIsWhyCaulkWritesTheLegacyOne() throws Exception {
    KeyPair pair = SigningKeys.generate();
    Path key =
        write(
            "standard.key",
            SigningKeys.encryptPrivateKey(
                    pair.getPrivate(), PASSWORD, SigningKeys.ScryptParams.STANDARD)
                .getBytes(StandardCharsets.US_ASCII));
    Path pass = write("pass", new String(PASSWORD).getBytes(StandardCharsets.UTF_8));
    Result r =
        oracle("sign", key.toString(), pass.toString(), write("p", new byte[] {1}).toString());
    assertEquals(2, r.exit());
    assertEquals("unexpected kdf parameters", r.err().strip());
  }

  @Test
  void goVerifiesCaulksSignaturesAndRefusesTamperedOnes() throws Exception {
    KeyPair pair = SigningKeys.generate();
    Path pub =
        write(
            "caulk.pub",
            SigningKeys.publicKeyPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
    Path otherPub =
        write(
            "other.pub",
            SigningKeys.publicKeyPem(SigningKeys.generate().getPublic())
                .getBytes(StandardCharsets.US_ASCII));
    SignatureLayer l =
        SimpleSigning.sign(
            Signer.ecdsa(pair.getPrivate()), "registry.example/app", Digest.sha256("image"), null);
    String sig = l.annotation(SimpleSigning.SIGNATURE_ANNOTATION);
    Path payload = write("payload", l.payload());
    assertEquals(0, oracle("verify", pub.toString(), payload.toString(), sig).exit());
    Path tampered =
        write(
            "tampered",
            new String(l.payload(), StandardCharsets.UTF_8)
                .replace("app", "ap2")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(1, oracle("verify", pub.toString(), tampered.toString(), sig).exit());
    assertEquals(1, oracle("verify", otherPub.toString(), payload.toString(), sig).exit());
  }

  @Test
  void goVerifiesCaulksDsseEnvelopes() throws Exception {
    KeyPair pair = SigningKeys.generate();
    Path pub =
        write(
            "caulk.pub",
            SigningKeys.publicKeyPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
    Statement st =
        Statement.about(
            "registry.example/app",
            Digest.sha256("image"),
            Statement.predicateTypeOf("openvex"),
            new ObjectMapper().readTree("{\"statements\":[]}"));
    SignatureLayer att = Attestations.sign(Signer.ecdsa(pair.getPrivate()), st);
    assertEquals(
        0,
        oracle("dsse-verify", pub.toString(), write("env.json", att.payload()).toString()).exit());
    Dsse.Envelope env = Dsse.parse(att.payload());
    Dsse.Envelope retyped = new Dsse.Envelope("application/json", env.payload(), env.signatures());
    Result r =
        oracle("dsse-verify", pub.toString(), write("retyped.json", retyped.toJson()).toString());
    assertEquals(1, r.exit(), "the payload type is covered by the signature");
    assertFalse(Base64.getEncoder().encodeToString(env.payload()).isEmpty());
  }
}
