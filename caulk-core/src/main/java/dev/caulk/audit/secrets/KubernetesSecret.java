package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Kubernetes Secret manifests, YAML or JSON ({@code kind: Secret}): every entry of {@code data:}
 * (base64, decoded here) and {@code stringData:} (plain) is a secret by the object's own
 * declaration, whatever its entropy. An entry is reported when its (decoded) value has at least
 * {@value #MIN_LENGTH} characters and is not a placeholder. Service-account token Secrets and TLS
 * Secrets are included: both hold credentials. Line-based: a YAML block ends at the first line not
 * indented deeper than its key; a JSON object ends at its {@code '}'}.
 */
final class KubernetesSecret implements Detectors.Detector {
  static final String ID = "kubernetes-secret";
  static final int MIN_LENGTH = 6;

  /** Longest JSON value read (a TLS key and chain fit). */
  private static final int MAX_VALUE = 64 * 1024;

  private static final Pattern KIND =
      Pattern.compile("(?m)(?:^|[\\s{,])[\"']?kind[\"']?[ \\t]*:[ \\t]*[\"']?Secret[\"']?");
  private static final Pattern YAML_BLOCK =
      Pattern.compile("(?m)^([ \\t]*)(data|stringData)[ \\t]*:[ \\t]*$");
  private static final Pattern YAML_ENTRY =
      Pattern.compile(
          "^([ \\t]+)[\"']?([A-Za-z0-9_.-]+)[\"']?[ \\t]*:[ \\t]*[\"']?([^\\s\"'#][^\"'#]*?)[\"']?[ \\t]*$");
  private static final Pattern JSON_BLOCK =
      Pattern.compile("\"(data|stringData)\"[ \\t\\r\\n]*:[ \\t\\r\\n]*\\{");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "Kubernetes Secret value";
  }

  @Override
  public String severity() {
    return Detectors.HIGH;
  }

  @Override
  public void find(String text, String lower, List<Raw> out) {
    if (!lower.contains("secret") || !lower.contains("data") || !KIND.matcher(text).find()) {
      return;
    }
    yaml(text, out);
    json(text, out);
  }

  private void yaml(String text, List<Raw> out) {
    Matcher block = YAML_BLOCK.matcher(text);
    int from = 0;
    while (from < text.length() && block.find(from)) {
      int indent = block.group(1).length();
      boolean encoded = block.group(2).equals("data");
      int line = block.end() + 1;
      from = Math.max(line, block.start() + 1);
      while (line < text.length()) {
        int eol = text.indexOf('\n', line);
        if (eol < 0) {
          eol = text.length();
        }
        String l = text.substring(line, eol);
        if (!l.isBlank()) {
          Matcher e = YAML_ENTRY.matcher(l);
          if (!e.matches() || e.group(1).length() <= indent) {
            break;
          }
          report(e.group(2), e.group(3), encoded, line + e.start(3), out);
        }
        line = eol + 1;
        from = line;
      }
    }
  }

  private void json(String text, List<Raw> out) {
    Matcher block = JSON_BLOCK.matcher(text);
    int from = 0;
    while (from < text.length() && block.find(from)) {
      boolean encoded = block.group(1).equals("data");
      int at = block.end();
      from = at;
      while (at < text.length()) {
        // each entry is read by hand at its place: no search ahead, so many blocks stay linear
        int p = at;
        while (p < text.length() && " \t\r\n,".indexOf(text.charAt(p)) >= 0 && p - at < 100) {
          p++;
        }
        int keyEnd = quotedEnd(text, p, 253);
        if (keyEnd < 0) {
          break;
        }
        int q = skip(text, keyEnd + 1);
        if (q >= text.length() || text.charAt(q) != ':') {
          break;
        }
        q = skip(text, q + 1);
        int valueEnd = quotedEnd(text, q, MAX_VALUE);
        if (valueEnd < 0) {
          break;
        }
        report(text.substring(p + 1, keyEnd), text.substring(q + 1, valueEnd), encoded, q + 1, out);
        at = valueEnd + 1;
        from = at;
      }
    }
  }

  /**
   * The index of the closing quote of a JSON string starting at {@code p}, or -1 (no quote, too
   * long, escapes).
   */
  private static int quotedEnd(String text, int p, int max) {
    if (p >= text.length() || text.charAt(p) != '"') {
      return -1;
    }
    int limit = Math.min(text.length(), p + 1 + max);
    for (int i = p + 1; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\' || c == '\n') {
        return -1;
      }
    }
    return -1;
  }

  private static int skip(String text, int p) {
    int limit = Math.min(text.length(), p + 100);
    while (p < limit && " \t\r\n".indexOf(text.charAt(p)) >= 0) {
      p++;
    }
    return p;
  }

  private void report(String key, String value, boolean encoded, int start, List<Raw> out) {
    String v = value.strip();
    String secret = v;
    if (encoded) {
      try {
        secret = new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return;
      }
    }
    if (secret.strip().length() < MIN_LENGTH || Placeholders.isPlaceholder(secret.strip())) {
      return;
    }
    out.add(
        new Raw(
            ID,
            "Kubernetes Secret value (" + key + ")",
            Detectors.HIGH,
            start,
            start + v.length(),
            secret));
  }
}
