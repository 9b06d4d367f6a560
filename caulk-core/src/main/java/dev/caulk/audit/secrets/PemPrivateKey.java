package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * Private keys in PEM (RFC 7468) and related armour: PKCS#1 ({@code RSA}), SEC1 ({@code EC}),
 * {@code DSA}, PKCS#8 ({@code PRIVATE KEY}, {@code ENCRYPTED PRIVATE KEY}), OpenSSH and PGP private
 * key blocks.
 *
 * <p>A header alone is not enough: TLS and SSH libraries (Python's ssl, Go's crypto/x509, paramiko)
 * contain the header strings as constants, and documentation shows {@code -----BEGIN RSA PRIVATE
 * KEY-----} followed by "...". A hit needs at least {@value #MIN_BODY} base64 characters after the
 * header, after optional {@code Name: value} header lines (RFC 1421 {@code Proc-Type}/{@code
 * DEK-Info}, PGP {@code Version}). Newlines may be real or written as {@code \n} inside a JSON or
 * shell string.
 */
final class PemPrivateKey implements Detectors.Detector {
  static final int MIN_BODY = 64;

  /** Enough of the body to judge its randomness and to mask it; keys are longer, that is fine. */
  static final int MAX_BODY = 4096;

  /** Longest armour header line ("Proc-Type: …", "DEK-Info: …", "Comment: …") that is skipped. */
  static final int MAX_HEADER_LINE = 200;

  private static final Pattern BEGIN =
      Pattern.compile(
          "-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
              + "|---- BEGIN (SSH2 ENCRYPTED PRIVATE KEY) ----");

  @Override
  public String id() {
    return "private-key";
  }

  @Override
  public String title() {
    return "Private key";
  }

  @Override
  public String severity() {
    return Detectors.HIGH;
  }

  @Override
  public void find(String text, String lower, List<Raw> out) {
    if (!text.contains("PRIVATE KEY")) {
      return;
    }
    Matcher m = BEGIN.matcher(text);
    while (m.find()) {
      int p = skipHeaders(text, m.end());
      StringBuilder body = new StringBuilder();
      int end = p;
      while (end < text.length() && body.length() < MAX_BODY) {
        char c = text.charAt(end);
        if (isBase64(c)) {
          body.append(c);
          end++;
        } else if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
          end++;
        } else if (c == '\\' && end + 1 < text.length() && text.charAt(end + 1) == 'n') {
          end += 2;
        } else {
          break;
        }
      }
      String value = body.toString();
      if (value.length() >= MIN_BODY && Placeholders.plausible(value, 3.0)) {
        out.add(
            new Raw(
                id(),
                title(m.group(1) != null ? m.group(1) : m.group(2)),
                Detectors.HIGH,
                m.start(),
                end,
                value)); // line of the BEGIN header
      }
    }
  }

  /**
   * Skips the line break after the BEGIN line and any "Name: value" lines and the blank line after
   * them.
   */
  private static int skipHeaders(String text, int p) {
    p = skipNewline(text, p);
    for (int i = 0; i < 8; i++) {
      int eol = lineEnd(text, p);
      if (eol < 0) {
        break; // no line end within MAX_HEADER_LINE characters: not a header line
      }
      String line = text.substring(p, eol);
      if (line.indexOf(':') > 0) {
        p = skipNewline(text, eol);
      } else if (line.isBlank() && i > 0) {
        p = skipNewline(text, eol);
        break;
      } else {
        break;
      }
    }
    return p;
  }

  /**
   * End of the line starting at {@code p}, or -1 when none is found within {@value
   * #MAX_HEADER_LINE} characters; the bound keeps a long file full of BEGIN lines linear.
   */
  private static int lineEnd(String text, int p) {
    int limit = Math.min(text.length(), p + MAX_HEADER_LINE);
    for (int e = p; e < limit; e++) {
      char c = text.charAt(e);
      if (c == '\n'
          || c == '\r'
          || (c == '\\' && e + 1 < text.length() && text.charAt(e + 1) == 'n')) {
        return e;
      }
    }
    return limit == text.length() ? limit : -1;
  }

  private static int skipNewline(String text, int p) {
    if (p < text.length() && text.charAt(p) == '\r') {
      p++;
    }
    if (p < text.length() && text.charAt(p) == '\n') {
      p++;
    } else if (p + 1 < text.length() && text.charAt(p) == '\\' && text.charAt(p + 1) == 'n') {
      p += 2;
    }
    return p;
  }

  static boolean isBase64(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '=';
  }

  private static String title(String kind) {
    switch (kind) {
      case "RSA PRIVATE KEY":
        return "RSA private key";
      case "EC PRIVATE KEY":
        return "EC private key";
      case "DSA PRIVATE KEY":
        return "DSA private key";
      case "OPENSSH PRIVATE KEY":
        return "OpenSSH private key";
      case "ENCRYPTED PRIVATE KEY":
        return "Encrypted private key (PKCS#8)";
      case "SSH2 ENCRYPTED PRIVATE KEY":
        return "SSH.com (SSH2) private key";
      case "PGP PRIVATE KEY BLOCK":
        return "PGP private key block";
      default:
        return "Private key (PKCS#8)";
    }
  }
}
