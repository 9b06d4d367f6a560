package dev.caulk.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A content digest such as {@code sha256:2c26b46b...}, validated on construction.
 *
 * <p>Only {@code sha256} (written by caulk) and {@code sha512} (accepted when reading) are
 * registered algorithms in the OCI image spec (descriptor.md, "Registered algorithms"); any other
 * algorithm or a hex string of the wrong length or case is rejected, because a digest is later used
 * as a file name inside layouts and archives and must never carry path characters.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

  public Digest {
    int expected =
        switch (algorithm) {
          case "sha256" -> 64;
          case "sha512" -> 128;
          default ->
              throw new InvalidDigestException(
                  "unsupported digest algorithm '" + clip(algorithm) + "'");
        };
    if (hex == null || hex.length() != expected) {
      throw new InvalidDigestException(
          "invalid " + algorithm + " digest: expected " + expected + " hex characters");
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new InvalidDigestException("invalid " + algorithm + " digest: not lowercase hex");
      }
    }
  }

  /** Parses {@code algorithm:hex}. */
  public static Digest parse(String s) {
    if (s == null) throw new InvalidDigestException("missing digest");
    int colon = s.indexOf(':');
    if (colon <= 0)
      throw new InvalidDigestException("invalid digest '" + clip(s) + "': expected algorithm:hex");
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  /** The sha256 digest of the given bytes. */
  public static Digest sha256(byte[] bytes) {
    return new Digest("sha256", HexFormat.of().formatHex(newMessageDigest("sha256").digest(bytes)));
  }

  /** The sha256 digest of a UTF-8 string. */
  public static Digest sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the stream to its end and returns its sha256 digest; the caller closes the stream. */
  public static Digest sha256(InputStream in) throws IOException {
    MessageDigest md = newMessageDigest("sha256");
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
  }

  /** A fresh {@link MessageDigest} for this digest's algorithm. */
  /**
   * Gets SHA-256 compiled to the CPU's SHA instructions early. HotSpot swaps SHA-256's Java loop
   * for SHA-NI or AVX2 code only once its C2 compiler compiles the loop's caller; a process that
   * hashes a few hundred megabytes in 1 MiB updates, as verified layer reads do, otherwise runs the
   * first half of them through the slow loop while the compiler is busy with start-up code. Many
   * small updates (about 1 MiB in 64-byte steps) make the call sites hot at once. Meant for a
   * background thread at process start; it costs a few milliseconds of CPU and has no other effect.
   */
  public static void warmUp() {
    MessageDigest md = newMessageDigest("sha256");
    byte[] block = new byte[64];
    for (int i = 0; i < 20_000; i++) {
      md.update(block, 0, block.length);
      if (i % 64 == 63) md.update(new byte[4096], 0, 4096);
    }
    md.digest();
  }

  public MessageDigest newMessageDigest() {
    return newMessageDigest(algorithm);
  }

  /** The first 12 hex characters, for humans. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  /** {@code sha256:<first 12 hex>} for logs and tables. */
  public String shortString() {
    return algorithm + ":" + shortHex();
  }

  static MessageDigest newMessageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm, e);
    }
  }

  private static String clip(String s) {
    if (s == null) return "null";
    String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
