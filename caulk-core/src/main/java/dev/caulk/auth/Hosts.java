package dev.caulk.auth;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** How registry names found in config files and references are compared. */
final class Hosts {
  /** Docker Hub is known under all of these names; config files key it as {@link #HUB_KEY}. */
  static final Set<String> HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  /**
   * The key `docker login` writes for Docker Hub, and the server URL its credential helpers expect.
   */
  static final String HUB_KEY = "https://index.docker.io/v1/";

  private Hosts() {}

  /**
   * The host of a config key or registry name: scheme stripped, a Docker {@code /v1/} or {@code
   * /v2/} path stripped, lowercased, Hub aliases folded to {@code docker.io}. Returns null for keys
   * that name a namespace inside a registry (containers-auth.json), which caulk does not match.
   */
  static @Nullable String normalize(@Nullable String key) {
    if (key == null) return null;
    String k = key.trim().toLowerCase(Locale.ROOT);
    if (k.startsWith("https://")) k = k.substring(8);
    else if (k.startsWith("http://")) k = k.substring(7);
    while (k.endsWith("/")) k = k.substring(0, k.length() - 1);
    int slash = k.indexOf('/');
    if (slash >= 0) {
      String path = k.substring(slash + 1);
      if (!path.equals("v1") && !path.equals("v2")) return null;
      k = k.substring(0, slash);
    }
    if (k.isEmpty()) return null;
    return HUB_ALIASES.contains(k) ? "docker.io" : k;
  }

  static boolean isHub(String registry) {
    return "docker.io".equals(normalize(registry));
  }

  /** The server URL to hand a credential helper: Hub's legacy key, else the host as given. */
  static String helperServerUrl(String registry) {
    if (isHub(registry)) return HUB_KEY;
    String host = normalize(registry);
    return host != null ? host : registry;
  }
}
