package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * Google Cloud service-account key files: JSON with {@code "type": "service_account"} and a {@code
 * "private_key"} holding a PEM key with {@code \n} escapes. The hit is placed on the private key
 * (so the generic PEM detector does not report the same key again) and masked by the {@code
 * private_key_id} when there is one, which identifies the key in the Cloud console without
 * revealing it.
 */
final class GcpServiceAccount implements Detectors.Detector {
  private static final Pattern TYPE =
      Pattern.compile("\"type\"\\s{0,20}:\\s{0,20}\"service_account\"");

  /**
   * The armour up to the key body; the body is read by hand ({@link #bodyEnd}), a regex repeat of
   * it recursed per character.
   */
  private static final Pattern KEY =
      Pattern.compile(
          "\"private_key\"\\s{0,20}:\\s{0,20}\"-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----");

  /** Most characters of a key body read (a 4096-bit key is about 3,300). */
  static final int MAX_BODY = 8192;

  private static final Pattern KEY_ID =
      Pattern.compile("\"private_key_id\"\\s{0,20}:\\s{0,20}\"([0-9a-fA-F]{16,64})\"");

  @Override
  public String id() {
    return "gcp-service-account";
  }

  @Override
  public String title() {
    return "Google Cloud service account key";
  }

  @Override
  public String severity() {
    return Detectors.CRITICAL;
  }

  @Override
  public void find(String text, String lower, List<Raw> out) {
    if (!lower.contains("service_account") || !TYPE.matcher(text).find()) {
      return;
    }
    Matcher key = KEY.matcher(text);
    String keyId = null;
    int from = 0;
    while (from < text.length() && key.find(from)) {
      int start = key.end();
      int end = bodyEnd(text, start);
      from = Math.max(end, start);
      if (end - start < PemPrivateKey.MIN_BODY) {
        continue;
      }
      String body = text.substring(start, end).replace("\\n", "");
      if (body.length() < PemPrivateKey.MIN_BODY || !Placeholders.plausible(body, 3.0)) {
        continue;
      }
      if (keyId == null) {
        Matcher id = KEY_ID.matcher(text);
        keyId = id.find() && !Placeholders.isPlaceholder(id.group(1)) ? id.group(1) : "";
      }
      String shown = keyId.isEmpty() ? body : keyId;
      out.add(
          new Raw(id(), "Google Cloud service account key", Detectors.CRITICAL, start, end, shown));
    }
  }

  /**
   * The end of the key body from {@code p}: base64 characters and {@code \n} escapes, at most
   * {@value #MAX_BODY} characters (as the old pattern's {64,8192}), one pass and no recursion.
   */
  static int bodyEnd(String text, int p) {
    int end = p;
    int limit = Math.min(text.length(), p + MAX_BODY);
    while (end < limit) {
      char c = text.charAt(end);
      if (PemPrivateKey.isBase64(c)) {
        end++;
      } else if (c == '\\' && end + 1 < limit && text.charAt(end + 1) == 'n') {
        end += 2;
      } else {
        break;
      }
    }
    return end;
  }
}
