package dev.caulk.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignKeysTest {
  static final char[] PASSWORD = "correct horse battery staple".toCharArray();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static byte[] data = "payload".getBytes(StandardCharsets.UTF_8);

  static boolean sameKey(KeyPair pair, PrivateKey read) {
    return Ecdsa.verify(pair.getPublic(), data, Ecdsa.sign(read, data));
  }

  static JsonNode body(String pem) throws Exception {
    return JSON.readTree(Pem.decode(pem.getBytes(StandardCharsets.US_ASCII), "key").der());
  }

  @Test
  void encryptedKeyRoundTripsWithTheCosignFormat() throws Exception {
    KeyPair pair = SigningKeys.generate();
    String pem = SigningKeys.encryptPrivateKey(pair.getPrivate(), PASSWORD);
    assertTrue(
        pem.startsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n"),
        "the label skopeo 1.9 signs with: " + pem);
    assertTrue(pem.endsWith("-----END ENCRYPTED COSIGN PRIVATE KEY-----\n"), pem);
    for (String line : pem.split("\n"))
      assertTrue(line.length() <= 64, "PEM lines of at most 64 characters: " + line);
    JsonNode b = body(pem);
    assertEquals("scrypt", b.at("/kdf/name").asText());
    assertEquals(32768, b.at("/kdf/params/N").intValue());
    assertEquals(8, b.at("/kdf/params/r").intValue());
    assertEquals(1, b.at("/kdf/params/p").intValue());
    assertEquals(32, Base64.getDecoder().decode(b.at("/kdf/salt").asText()).length);
    assertEquals("nacl/secretbox", b.at("/cipher/name").asText());
    assertEquals(24, Base64.getDecoder().decode(b.at("/cipher/nonce").asText()).length);
    byte[] der = pair.getPrivate().getEncoded();
    assertEquals(
        der.length + 16,
        Base64.getDecoder().decode(b.at("/ciphertext").asText()).length,
        "secretbox adds a 16-byte tag to the PKCS#8 DER");
    assertFalse(
        pem.contains(Base64.getEncoder().encodeToString(der)),
        "the private key must not be in the clear");

    PrivateKey read =
        SigningKeys.decryptPrivateKey(
            pem.getBytes(StandardCharsets.US_ASCII), PASSWORD, "cosign.key");
    assertArrayEquals(der, read.getEncoded());
    assertTrue(sameKey(pair, read));
  }

  @Test
  void wrongPasswordIsOneLineWithoutThePassword() {
    KeyPair pair = SigningKeys.generate();
    byte[] pem =
        SigningKeys.encryptPrivateKey(pair.getPrivate(), PASSWORD)
            .getBytes(StandardCharsets.US_ASCII);
    SignException e =
        assertThrows(
            SignException.class,
            () -> SigningKeys.decryptPrivateKey(pem, "hunter2".toCharArray(), "cosign.key"));
    assertEquals("cosign.key: wrong password or corrupt key", e.getMessage());
    assertEquals(null, e.getCause());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void alteredCiphertextIsRefused() throws Exception {
    KeyPair pair = SigningKeys.generate();
    ObjectNode b = (ObjectNode) body(SigningKeys.encryptPrivateKey(pair.getPrivate(), PASSWORD));
    byte[] box = Base64.getDecoder().decode(b.get("ciphertext").asText());
    box[box.length - 1] ^= 1;
    b.put("ciphertext", Base64.getEncoder().encodeToString(box));
    byte[] pem =
        Pem.encode(SigningKeys.DEFAULT_LABEL, JSON.writeValueAsBytes(b))
            .getBytes(StandardCharsets.US_ASCII);
    SignException e =
        assertThrows(SignException.class, () -> SigningKeys.decryptPrivateKey(pem, PASSWORD, "k"));
    assertEquals("k: wrong password or corrupt key", e.getMessage());
  }

  @Test
  void keysWithOtherScryptParametersAndTheOldLabelRead() throws Exception {
    KeyPair pair = SigningKeys.generate();
    for (SigningKeys.ScryptParams p :
        new SigningKeys.ScryptParams[] {
          SigningKeys.ScryptParams.STANDARD, new SigningKeys.ScryptParams(16384, 4, 2)
        }) {
      String pem = SigningKeys.encryptPrivateKey(pair.getPrivate(), PASSWORD, p);
      assertEquals(p.n(), body(pem).at("/kdf/params/N").intValue());
      assertEquals(p.r(), body(pem).at("/kdf/params/r").intValue());
      assertEquals(p.p(), body(pem).at("/kdf/params/p").intValue());
      assertTrue(
          sameKey(
              pair,
              SigningKeys.decryptPrivateKey(
                  pem.getBytes(StandardCharsets.US_ASCII), PASSWORD, "k")),
          p.toString());
      String sigstore =
          SigningKeys.encryptPrivateKey(pair.getPrivate(), PASSWORD, p, SigningKeys.SIGSTORE_LABEL);
      assertTrue(sigstore.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), sigstore);
      assertTrue(
          sameKey(
              pair,
              SigningKeys.decryptPrivateKey(
                  sigstore.getBytes(StandardCharsets.US_ASCII), PASSWORD, "k")),
          "ENCRYPTED SIGSTORE PRIVATE KEY");
    }
  }

  @Test
  void hostileScryptParametersAreRefusedBeforeDeriving() throws Exception {
    ObjectNode b =
        (ObjectNode)
            body(SigningKeys.encryptPrivateKey(SigningKeys.generate().getPrivate(), PASSWORD));
    ((ObjectNode) b.at("/kdf/params")).put("N", 1 << 30);
    byte[] pem =
        Pem.encode(SigningKeys.DEFAULT_LABEL, JSON.writeValueAsBytes(b))
            .getBytes(StandardCharsets.US_ASCII);
    SignException e =
        assertThrows(SignException.class, () -> SigningKeys.decryptPrivateKey(pem, PASSWORD, "k"));
    assertTrue(
        e.getMessage().startsWith("k: unsupported scrypt parameters N=1073741824"), e.getMessage());
  }

  @Test
  void notAKeyIsOneLine() {
    assertEquals(
        "k: not a PEM file (no -----BEGIN line)",
        assertThrows(
                SignException.class,
                () ->
                    SigningKeys.decryptPrivateKey(
                        "hello".getBytes(StandardCharsets.US_ASCII), PASSWORD, "k"))
            .getMessage());
    String pub = SigningKeys.publicKeyPem(SigningKeys.generate().getPublic());
    assertEquals(
        "k: PEM block PUBLIC KEY is not a sigstore/cosign private key",
        assertThrows(
                SignException.class,
                () ->
                    SigningKeys.decryptPrivateKey(
                        pub.getBytes(StandardCharsets.US_ASCII), PASSWORD, "k"))
            .getMessage());
  }

  @Test
  void writesKeyAndPubLikeCosign() throws Exception {
    KeyPair pair = SigningKeys.generate();
    Path prefix = tmp.resolve("release");
    SigningKeys.write(pair, PASSWORD, prefix);
    Path key = tmp.resolve("release.key");
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(key));
    assertTrue(sameKey(pair, SigningKeys.readPrivateKey(key, PASSWORD)));
    String pub = Files.readString(tmp.resolve("release.pub"));
    assertTrue(pub.startsWith("-----BEGIN PUBLIC KEY-----\n"), pub);
    assertEquals(pair.getPublic(), SigningKeys.readPublicKey(tmp.resolve("release.pub")));
    assertThrows(
        SignException.class,
        () -> SigningKeys.write(pair, PASSWORD, prefix),
        "never replaces a key");
  }
}
