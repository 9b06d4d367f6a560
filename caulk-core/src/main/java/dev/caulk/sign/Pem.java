package dev.caulk.sign;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * PEM (RFC 7468) blocks: one label, base64 body in 64-character lines, as Go's encoding/pem writes
 * them.
 */
final class Pem {
  /** The largest key file read: keys are a few hundred bytes. */
  static final int MAX_BYTES = 64 * 1024;

  record Block(String label, byte[] der) {}

  private Pem() {}

  static String encode(String label, byte[] der) {
    StringBuilder b = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
    String body = Base64.getEncoder().encodeToString(der);
    for (int i = 0; i < body.length(); i += 64)
      b.append(body, i, Math.min(body.length(), i + 64)).append('\n');
    return b.append("-----END ").append(label).append("-----\n").toString();
  }

  /** The first PEM block of the text. */
  static Block decode(byte[] pem, String what) throws SignException {
    if (pem.length > MAX_BYTES)
      throw new SignException(what + ": " + pem.length + " bytes is too large for a key file");
    String s = new String(pem, StandardCharsets.US_ASCII);
    int begin = s.indexOf("-----BEGIN ");
    if (begin < 0) throw new SignException(what + ": not a PEM file (no -----BEGIN line)");
    int labelEnd = s.indexOf("-----", begin + 11);
    if (labelEnd < 0) throw new SignException(what + ": malformed PEM BEGIN line");
    String label = s.substring(begin + 11, labelEnd);
    String end = "-----END " + label + "-----";
    int bodyStart = labelEnd + 5;
    int endAt = s.indexOf(end, bodyStart);
    if (endAt < 0) throw new SignException(what + ": PEM block " + label + " has no END line");
    String body = s.substring(bodyStart, endAt);
    if (body.contains(":"))
      throw new SignException(what + ": PEM headers (legacy OpenSSL encryption) are not supported");
    try {
      return new Block(label, Base64.getMimeDecoder().decode(body.replaceAll("\\s", "")));
    } catch (IllegalArgumentException e) {
      throw new SignException(what + ": PEM block " + label + " is not valid base64");
    }
  }
}
