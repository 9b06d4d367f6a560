package dev.caulk.audit.secrets;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Cloud service-account key files: JSON with {@code "type": "service_account"} and a
 * {@code "private_key"} holding a PEM key with {@code \n} escapes. The hit is placed on the private key (so the
 * generic PEM detector does not report the same key again) and masked by the {@code private_key_id} when there is
 * one, which identifies the key in the Cloud console without revealing it.
 */
final class GcpServiceAccount implements Detectors.Detector {
  private static final Pattern TYPE = Pattern.compile("\"type\"\\s{0,20}:\\s{0,20}\"service_account\"");
  private static final Pattern KEY = Pattern.compile(
      "\"private_key\"\\s{0,20}:\\s{0,20}\"-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----((?:\\\\n|[A-Za-z0-9+/=]){64,8192})");
  private static final Pattern KEY_ID = Pattern.compile("\"private_key_id\"\\s{0,20}:\\s{0,20}\"([0-9a-fA-F]{16,64})\"");

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
    while (key.find()) {
      String body = key.group(1).replace("\\n", "");
      if (body.length() < PemPrivateKey.MIN_BODY || !Placeholders.plausible(body, 3.0)) {
        continue;
      }
      Matcher id = KEY_ID.matcher(text);
      String shown = id.find() && !Placeholders.isPlaceholder(id.group(1)) ? id.group(1) : body;
      out.add(new Raw(id(), "Google Cloud service account key", Detectors.CRITICAL, key.start(1), key.end(1), shown));
    }
  }
}
