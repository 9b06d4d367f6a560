package dev.caulk.registry;

import java.net.URI;
import java.util.Set;

/**
 * Makes URLs safe to show. Upload locations and redirect targets carry signed state and tokens in
 * their query (S3's {@code X-Amz-Signature}, distribution's {@code _state}), so every query value
 * is replaced except those of the few parameters caulk itself sets; user info is dropped.
 */
final class Redact {
  private static final Set<String> SAFE =
      Set.of("digest", "mount", "from", "n", "last", "service", "scope");

  private Redact() {}

  static String url(URI uri) {
    if (uri == null) return "";
    StringBuilder b = new StringBuilder();
    if (uri.getScheme() != null) b.append(uri.getScheme()).append("://");
    if (uri.getHost() != null)
      b.append(
          uri.getHost().contains(":") && !uri.getHost().startsWith("[")
              ? "[" + uri.getHost() + "]"
              : uri.getHost());
    if (uri.getPort() >= 0) b.append(':').append(uri.getPort());
    if (uri.getRawPath() != null) b.append(uri.getRawPath());
    String q = uri.getRawQuery();
    if (q != null && !q.isEmpty()) {
      b.append('?');
      String[] parts = q.split("&");
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) b.append('&');
        int eq = parts[i].indexOf('=');
        String name = eq < 0 ? parts[i] : parts[i].substring(0, eq);
        b.append(name);
        if (eq >= 0)
          b.append('=').append(SAFE.contains(name) ? parts[i].substring(eq + 1) : "REDACTED");
      }
    }
    return b.toString();
  }
}
