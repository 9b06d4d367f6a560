package dev.caulk.audit.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Encoded secrets: runs of base64 (standard or URL-safe) of at least {@value #MIN_RUN} characters
 * are decoded once and, when the result is text, scanned again with the value detectors and rules
 * (not the generic rule, and not decoded a second time). So a base64-encoded JWT, key or token, a
 * Kubernetes Secret's {@code data:} value and an encoded {@code .dockerconfigjson} are found. A hit
 * is placed on the whole blob and keeps the inner rule's id; its title says it was encoded.
 *
 * <p>Bounded: each blob is at most {@value #MAX_RUN} characters (longer runs are skipped, they are
 * data), at most {@value #MAX_DECODED} decoded characters are scanned per text, and the run finder
 * is one pass.
 */
final class Base64Layer {
  static final int MIN_RUN = 24;
  static final int MAX_RUN = 64 * 1024;
  static final int MAX_DECODED = 256 * 1024;

  private Base64Layer() {}

  static void find(String text, SecretRuleBook book, List<Raw> out) {
    int budget = MAX_DECODED;
    int n = text.length();
    int i = 0;
    while (i < n && budget > 0) {
      if (!isBase64(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean urlSafe = false;
      boolean standard = false;
      while (i < n && isBase64(text.charAt(i))) {
        char c = text.charAt(i);
        urlSafe |= c == '-' || c == '_';
        standard |= c == '+' || c == '/';
        i++;
      }
      int end = i;
      while (i < n && i - end < 2 && text.charAt(i) == '=') {
        i++;
      }
      int len = end - start;
      if (len < MIN_RUN || len > MAX_RUN || (urlSafe && standard) || !plausibleStart(text, start)) {
        continue;
      }
      String decoded = decode(text.substring(start, end), urlSafe);
      if (decoded == null) {
        continue;
      }
      budget -= decoded.length();
      List<Raw> inner = new ArrayList<>();
      book.values(decoded, SecretScanner.lowerSameLength(decoded), inner);
      for (Raw r : inner) {
        out.add(
            new Raw(r.id(), r.title() + " (base64-encoded)", r.severity(), start, i, r.value()));
      }
    }
  }

  /**
   * A blob starts a word: not in the middle of a longer identifier with other characters (a path, a
   * URL).
   */
  private static boolean plausibleStart(String text, int start) {
    return start == 0 || text.charAt(start - 1) != '%';
  }

  private static boolean isBase64(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '-'
        || c == '_';
  }

  /**
   * The decoded text, or null when it does not decode or is not mostly printable (binary data,
   * hashes).
   */
  static String decode(String blob, boolean urlSafe) {
    int keep = blob.length() - (blob.length() % 4 == 1 ? 1 : 0);
    byte[] bytes;
    try {
      bytes =
          (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder())
              .decode(pad(blob.substring(0, keep)));
    } catch (IllegalArgumentException e) {
      return null;
    }
    int printable = 0;
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t') {
        printable++;
      }
    }
    if (bytes.length < 16 || printable * 100 < bytes.length * 95) {
      return null;
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String pad(String s) {
    int r = s.length() % 4;
    return r == 0 ? s : s + "==".substring(0, 4 - r);
  }
}
