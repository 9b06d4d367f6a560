package dev.caulk.audit.secrets;

import java.util.List;

/**
 * PuTTY private key files ({@code .ppk}, formats 2 and 3): a {@code PuTTY-User-Key-File-N:
 * algorithm} header, then {@code Public-Lines}, and {@code Private-Lines: n} followed by the base64
 * private blob, which is the secret (encrypted or not: an encrypted key still yields to a guessed
 * passphrase). The blob must have at least {@value PemPrivateKey#MIN_BODY} base64 characters; at
 * most {@value PemPrivateKey#MAX_BODY} are read.
 */
final class PuttyPrivateKey implements Detectors.Detector {
  private static final String HEADER = "PuTTY-User-Key-File-";
  private static final String PRIVATE = "Private-Lines:";

  /** Most private lines read (a 4096-bit RSA key has about 30). */
  static final int MAX_LINES = 200;

  @Override
  public String id() {
    return "putty-private-key";
  }

  @Override
  public String title() {
    return "PuTTY private key";
  }

  @Override
  public String severity() {
    return Detectors.HIGH;
  }

  @Override
  public void find(String text, String lower, List<Raw> out) {
    int from = text.indexOf(HEADER);
    while (from >= 0) {
      int pl = text.indexOf(PRIVATE, from);
      if (pl < 0) {
        return;
      }
      int header = text.lastIndexOf(HEADER, pl); // the header this Private-Lines belongs to
      int p = text.indexOf('\n', pl);
      if (p < 0) {
        return;
      }
      int lines = count(text, pl + PRIVATE.length(), p);
      p++;
      StringBuilder body = new StringBuilder();
      int end = p;
      // exactly the announced number of lines (at most MAX_LINES), each of base64 characters
      for (int line = 0;
          line < lines && end < text.length() && body.length() < PemPrivateKey.MAX_BODY;
          line++) {
        while (end < text.length() && PemPrivateKey.isBase64(text.charAt(end))) {
          body.append(text.charAt(end));
          end++;
        }
        if (end < text.length() && text.charAt(end) == '\r') {
          end++;
        }
        if (end >= text.length() || text.charAt(end) != '\n') {
          break;
        }
        end++;
      }
      String value = body.toString();
      if (value.length() >= PemPrivateKey.MIN_BODY && Placeholders.plausible(value, 3.0)) {
        out.add(new Raw(id(), title(), Detectors.HIGH, header, end, value));
      }
      from = text.indexOf(HEADER, Math.max(end, pl + 1));
    }
  }

  /**
   * The line count after {@code Private-Lines:}, 0 when it is not a number, at most {@value
   * #MAX_LINES}.
   */
  private static int count(String text, int from, int eol) {
    String n = text.substring(from, Math.min(eol, from + 10)).strip();
    if (n.isEmpty() || !n.chars().allMatch(Character::isDigit)) {
      return 0;
    }
    return Math.min(Integer.parseInt(n), MAX_LINES);
  }
}
