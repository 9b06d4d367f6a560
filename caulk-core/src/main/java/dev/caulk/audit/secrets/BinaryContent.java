package dev.caulk.audit.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Tells text from binary, and recognises DER-encoded key containers, from the first bytes of a
 * file.
 *
 * <p>Binary files are not searched with the text detectors: compiled code and compressed data
 * contain the same letter runs as tokens by chance, and libraries embed PEM header strings. Key
 * files in DER form are binary too, so they are recognised by structure instead (ITU-T X.690 DER;
 * RFC 5208 PKCS#8, RFC 8017 PKCS#1, RFC 5915 SEC1, RFC 7292 PKCS#12).
 */
final class BinaryContent {
  /** How many leading bytes decide text or binary, like git's and Trivy's sniffers. */
  static final int SNIFF = 8192;

  private BinaryContent() {}

  /**
   * Binary when the sample has a NUL byte, when more than 10% of it are control characters other
   * than tab, newlines, form feed, backspace and escape, or when more than 30% are high bytes that
   * do not form UTF-8.
   */
  static boolean isBinary(byte[] b, int length) {
    int n = Math.min(length, SNIFF);
    int control = 0;
    int high = 0;
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xff;
      if (c == 0) {
        return true;
      }
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x08 && c != 0x1b)
          || c == 0x7f) {
        control++;
      } else if (c >= 0x80) {
        high++;
      }
    }
    if (n == 0) {
      return false;
    }
    if (control * 10 > n) {
      return true;
    }
    return high * 10 > n * 3 && !utf8(b, n, n < length);
  }

  private static boolean utf8(byte[] b, int n, boolean cut) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    int end = n;
    if (cut) {
      // the sample is cut from longer data, so its last character may be split: end before that
      // character
      while (end > 0 && (b[end - 1] & 0xc0) == 0x80 && n - end < 3) {
        end--;
      }
      if (end > 0 && (b[end - 1] & 0xc0) == 0xc0) {
        end--;
      }
    }
    try {
      d.decode(ByteBuffer.wrap(b, 0, end));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Detector id for Java key stores recognised by their magic number. */
  static final String JAVA_KEYSTORE = "java-keystore";

  /**
   * {@code "JKS"} or {@code "JCEKS"} when the bytes start with a Java key store's magic number and
   * version ({@code FE ED FE ED} or {@code CE CE CE CE}, then version 1 or 2), else null. A key
   * store may hold private keys; trust stores are told apart by name by the caller.
   */
  static String javaKeyStore(byte[] b, int length) {
    if (length < 8
        || (b[4] & 0xff) != 0
        || (b[5] & 0xff) != 0
        || (b[6] & 0xff) != 0
        || ((b[7] & 0xff) != 1 && (b[7] & 0xff) != 2)) {
      return null;
    }
    if (at(b, length, 0, 0xFE, 0xED, 0xFE, 0xED)) {
      return "JKS";
    }
    return at(b, length, 0, 0xCE, 0xCE, 0xCE, 0xCE) ? "JCEKS" : null;
  }

  /** What a DER blob is, if it is a key container. */
  enum DerKind {
    PKCS8,
    PKCS1_RSA,
    SEC1_EC,
    PKCS12,
    NONE
  }

  /**
   * Recognises a whole-file DER key container. The outer SEQUENCE length must account for exactly
   * {@code fileSize} bytes (so a truncated head or a random binary never matches), then the first
   * fields must have the shape of one of the formats: PKCS#8 {@code INTEGER 0|1, SEQUENCE{OID…}},
   * PKCS#1 {@code INTEGER 0, INTEGER modulus}, SEC1 {@code INTEGER 1, OCTET STRING}, PKCS#12 {@code
   * INTEGER 3, SEQUENCE}. PKCS#12 written with BER indefinite lengths (0x30 0x80) is accepted by
   * its version field alone.
   */
  static DerKind derKind(byte[] b, int length, long fileSize) {
    if (length < 8 || (b[0] & 0xff) != 0x30) {
      return DerKind.NONE;
    }
    int l1 = b[1] & 0xff;
    if (l1 == 0x80) {
      return at(b, length, 2, 0x02, 0x01, 0x03, 0x30) ? DerKind.PKCS12 : DerKind.NONE;
    }
    int header;
    long content;
    if (l1 < 0x80) {
      header = 2;
      content = l1;
    } else {
      int count = l1 & 0x7f;
      if (count > 4 || length < 2 + count) {
        return DerKind.NONE;
      }
      content = 0;
      for (int i = 0; i < count; i++) {
        content = (content << 8) | (b[2 + i] & 0xff);
      }
      header = 2 + count;
    }
    if (header + content != fileSize) {
      return DerKind.NONE;
    }
    int p = header;
    if (at(b, length, p, 0x02, 0x01, 0x03, 0x30)) {
      return DerKind.PKCS12;
    }
    if ((at(b, length, p, 0x02, 0x01, 0x00, 0x30) || at(b, length, p, 0x02, 0x01, 0x01, 0x30))
        && p + 5 < length
        && ((b[p + 4] & 0xff) < 0x80 ? (b[p + 5] & 0xff) == 0x06 : true)) {
      return DerKind.PKCS8;
    }
    if (at(b, length, p, 0x02, 0x01, 0x00, 0x02)) {
      return DerKind.PKCS1_RSA;
    }
    if (at(b, length, p, 0x02, 0x01, 0x01, 0x04)) {
      return DerKind.SEC1_EC;
    }
    return DerKind.NONE;
  }

  private static boolean at(byte[] b, int length, int p, int... expected) {
    if (p + expected.length > length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((b[p + i] & 0xff) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
