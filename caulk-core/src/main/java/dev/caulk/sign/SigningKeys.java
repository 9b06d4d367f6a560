package dev.caulk.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * ECDSA P-256 key pairs in the files cosign, skopeo and podman use.
 *
 * <p>The private key is the PKCS#8 DER, encrypted with NaCl secretbox under a key scrypt derives
 * from the password, in a PEM block {@code ENCRYPTED COSIGN PRIVATE KEY} (cosign since 2023 writes
 * {@code ENCRYPTED SIGSTORE PRIVATE KEY}; both are read) whose body is the JSON {@code
 * {"kdf":{"name":"scrypt","params":{"N":…,"r":8,"p":1},"salt":B64},"cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}}.
 * The public key is a PKIX {@code PUBLIC KEY} PEM block.
 *
 * <p>Passwords are the caller's {@code char[]}; they are never kept, logged or put in a message,
 * and the bytes derived from them are cleared after use.
 */
public final class SigningKeys {
  public static final String SIGSTORE_LABEL = "ENCRYPTED SIGSTORE PRIVATE KEY";
  public static final String COSIGN_LABEL = "ENCRYPTED COSIGN PRIVATE KEY";
  public static final String PUBLIC_LABEL = "PUBLIC KEY";
  private static final int SALT_BYTES = 32;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * scrypt cost parameters.
   *
   * @param n the CPU/memory cost (a power of two)
   */
  public record ScryptParams(int n, int r, int p) {
    /**
     * What caulk writes: N=2^15, r=8, p=1, the only set go-tuf's {@code encrypted} package (cosign
     * up to 2.1, skopeo 1.9) accepts; go-securesystemslib (cosign 2.2 on) writes 2^16 and reads
     * 2^15 too.
     */
    public static final ScryptParams LEGACY = new ScryptParams(32768, 8, 1);

    /** cosign 2.2 and later's default. */
    public static final ScryptParams STANDARD = new ScryptParams(65536, 8, 1);

    /**
     * Bounds on what a key file may ask for, so a hostile file cannot make reading it take
     * gigabytes or hours.
     */
    void check(String what) throws SignException {
      if (n < 2
          || (n & (n - 1)) != 0
          || r < 1
          || p < 1
          || (long) n * r > (1L << 21)
          || p > 16
          || (long) n * r * p > (1L << 22)) {
        throw new SignException(
            what
                + ": unsupported scrypt parameters N="
                + n
                + " r="
                + r
                + " p="
                + p
                + " (N a power of two, N*r at most 2^21, p at most 16)");
      }
    }
  }

  private SigningKeys() {}

  /** A new ECDSA key pair on NIST P-256. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make ECDSA P-256 keys", e);
    }
  }

  /**
   * The PEM label caulk writes: {@code ENCRYPTED COSIGN PRIVATE KEY}, which every reader accepts.
   * containers/image before 5.25 (skopeo up to 1.11, so skopeo 1.9) signs only with keys of that
   * label; cosign, sigstore/sigstore and later containers/image read both.
   */
  public static final String DEFAULT_LABEL = COSIGN_LABEL;

  /**
   * The private key as an encrypted PEM, with {@link #DEFAULT_LABEL} and {@link
   * ScryptParams#LEGACY}: what every cosign and skopeo reads.
   */
  public static String encryptPrivateKey(PrivateKey key, char[] password) {
    return encryptPrivateKey(key, password, ScryptParams.LEGACY, DEFAULT_LABEL);
  }

  /** The private key as an encrypted PEM of {@link #DEFAULT_LABEL} with the given scrypt cost. */
  public static String encryptPrivateKey(PrivateKey key, char[] password, ScryptParams params) {
    return encryptPrivateKey(key, password, params, DEFAULT_LABEL);
  }

  /**
   * The private key as an encrypted PEM with the given scrypt cost and label ({@link #COSIGN_LABEL}
   * or {@link #SIGSTORE_LABEL}).
   */
  public static String encryptPrivateKey(
      PrivateKey key, char[] password, ScryptParams params, String label) {
    if (!label.equals(COSIGN_LABEL) && !label.equals(SIGSTORE_LABEL))
      throw new IllegalArgumentException("not an encrypted key label: " + label);
    byte[] der = key.getEncoded();
    byte[] salt = random(SALT_BYTES);
    byte[] nonce = random(SecretBox.NONCE_BYTES);
    byte[] boxKey = derive(password, salt, params);
    byte[] box = SecretBox.seal(der, nonce, boxKey);
    Arrays.fill(boxKey, (byte) 0);
    Arrays.fill(der, (byte) 0);
    ObjectNode root = JSON.createObjectNode();
    ObjectNode kdf = root.putObject("kdf");
    kdf.put("name", "scrypt");
    ObjectNode p = kdf.putObject("params");
    p.put("N", params.n());
    p.put("r", params.r());
    p.put("p", params.p());
    kdf.put("salt", Base64.getEncoder().encodeToString(salt));
    ObjectNode cipher = root.putObject("cipher");
    cipher.put("name", "nacl/secretbox");
    cipher.put("nonce", Base64.getEncoder().encodeToString(nonce));
    root.put("ciphertext", Base64.getEncoder().encodeToString(box));
    try {
      return Pem.encode(label, JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a private key: an encrypted sigstore or cosign PEM (decrypted with {@code password}) or
   * an unencrypted PKCS#8 {@code PRIVATE KEY}.
   *
   * @param what the file's name, for messages
   * @throws SignException one line: "wrong password or corrupt key", unsupported parameters, not a
   *     key
   */
  public static PrivateKey decryptPrivateKey(byte[] pem, char[] password, String what)
      throws SignException {
    Pem.Block block = Pem.decode(pem, what);
    byte[] der;
    switch (block.label()) {
      case SIGSTORE_LABEL, COSIGN_LABEL -> der = decrypt(block.der(), password, what);
      case "PRIVATE KEY" -> der = block.der();
      default ->
          throw new SignException(
              what + ": PEM block " + block.label() + " is not a sigstore/cosign private key");
    }
    try {
      PrivateKey k = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      requireP256((ECKey) k, what);
      return k;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new SignException(what + ": not an ECDSA private key (caulk signs with ECDSA P-256)");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** Reads the private key file at {@code file}. */
  public static PrivateKey readPrivateKey(Path file, char[] password) throws IOException {
    return decryptPrivateKey(readBounded(file), password, file.toString());
  }

  /** The public key as a PKIX {@code PUBLIC KEY} PEM. */
  public static String publicKeyPem(PublicKey key) {
    return Pem.encode(PUBLIC_LABEL, key.getEncoded());
  }

  /** Parses a {@code PUBLIC KEY} PEM holding an ECDSA P-256 key. */
  public static PublicKey parsePublicKey(byte[] pem, String what) throws SignException {
    Pem.Block block = Pem.decode(pem, what);
    if (!block.label().equals(PUBLIC_LABEL))
      throw new SignException(what + ": PEM block " + block.label() + " is not a PUBLIC KEY");
    try {
      PublicKey k =
          KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(block.der()));
      requireP256((ECKey) k, what);
      return k;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new SignException(what + ": not an ECDSA public key (caulk verifies ECDSA P-256)");
    }
  }

  /** Reads the public key file at {@code file}. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    return parsePublicKey(readBounded(file), file.toString());
  }

  /**
   * Writes {@code PREFIX.key} (mode 0600 where the file system has modes) and {@code PREFIX.pub},
   * as {@code cosign generate-key-pair --output-key-prefix PREFIX} does. Existing files are not
   * replaced.
   */
  public static void write(KeyPair pair, char[] password, Path prefix) throws IOException {
    Path key = prefix.resolveSibling(prefix.getFileName() + ".key");
    Path pub = prefix.resolveSibling(prefix.getFileName() + ".pub");
    if (Files.exists(key) || Files.exists(pub))
      throw new SignException(key + " or " + pub + " already exists; not replacing a key");
    byte[] priv =
        encryptPrivateKey(pair.getPrivate(), password).getBytes(StandardCharsets.US_ASCII);
    try {
      Files.createFile(
          key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(key);
    }
    Files.write(key, priv, StandardOpenOption.TRUNCATE_EXISTING);
    Files.writeString(
        pub,
        publicKeyPem(pair.getPublic()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW);
  }

  private static byte[] decrypt(byte[] body, char[] password, String what) throws SignException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new SignException(what + ": the encrypted key is not JSON (corrupt key)");
    }
    if (root == null || !root.isObject())
      throw new SignException(what + ": the encrypted key is not a JSON object (corrupt key)");
    JsonNode kdf = root.path("kdf");
    JsonNode cipher = root.path("cipher");
    if (!"scrypt".equals(kdf.path("name").asText()))
      throw new SignException(
          what
              + ": unsupported key derivation '"
              + clip(kdf.path("name").asText())
              + "' (expected scrypt)");
    if (!"nacl/secretbox".equals(cipher.path("name").asText()))
      throw new SignException(
          what
              + ": unsupported cipher '"
              + clip(cipher.path("name").asText())
              + "' (expected nacl/secretbox)");
    JsonNode p = kdf.path("params");
    if (!p.path("N").isInt() || !p.path("r").isInt() || !p.path("p").isInt())
      throw new SignException(
          what + ": scrypt parameters N, r, p missing or not integers (corrupt key)");
    ScryptParams params =
        new ScryptParams(p.path("N").intValue(), p.path("r").intValue(), p.path("p").intValue());
    params.check(what);
    byte[] salt = base64(kdf.path("salt"), "salt", what);
    byte[] nonce = base64(cipher.path("nonce"), "nonce", what);
    byte[] box = base64(root.path("ciphertext"), "ciphertext", what);
    if (nonce.length != SecretBox.NONCE_BYTES)
      throw new SignException(
          what + ": the nonce is " + nonce.length + " bytes, not 24 (corrupt key)");
    if (password == null)
      throw new SignException(what + ": the key is encrypted and no password was given");
    byte[] boxKey = derive(password, salt, params);
    byte[] der = SecretBox.open(box, nonce, boxKey);
    Arrays.fill(boxKey, (byte) 0);
    if (der == null) throw new SignException(what + ": wrong password or corrupt key");
    return der;
  }

  private static byte[] derive(char[] password, byte[] salt, ScryptParams params) {
    byte[] pw = utf8(password);
    try {
      return SCrypt.generate(pw, salt, params.n(), params.r(), params.p(), SecretBox.KEY_BYTES);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  /**
   * The password's UTF-8 bytes (what Go's {@code []byte(string)} gives), without making a String of
   * it.
   */
  private static byte[] utf8(char[] password) {
    try {
      ByteBuffer bb =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(password));
      byte[] out = new byte[bb.remaining()];
      bb.get(out);
      if (bb.hasArray()) Arrays.fill(bb.array(), (byte) 0);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the password is not valid Unicode");
    }
  }

  private static byte[] base64(JsonNode n, String field, String what) throws SignException {
    if (!n.isTextual()) throw new SignException(what + ": " + field + " missing (corrupt key)");
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new SignException(what + ": " + field + " is not base64 (corrupt key)");
    }
  }

  private static final java.security.spec.ECParameterSpec P256 = p256();

  private static java.security.spec.ECParameterSpec p256() {
    try {
      java.security.AlgorithmParameters a = java.security.AlgorithmParameters.getInstance("EC");
      a.init(new ECGenParameterSpec("secp256r1"));
      return a.getParameterSpec(java.security.spec.ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no P-256", e);
    }
  }

  private static void requireP256(ECKey k, String what) throws SignException {
    if (!k.getParams().getCurve().equals(P256.getCurve())
        || !k.getParams().getGenerator().equals(P256.getGenerator())
        || !k.getParams().getOrder().equals(P256.getOrder())) {
      throw new SignException(what + ": not a P-256 key (caulk signs with ECDSA P-256)");
    }
  }

  private static byte[] readBounded(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Pem.MAX_BYTES)
      throw new SignException(file + ": " + size + " bytes is too large for a key file");
    return Files.readAllBytes(file);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
