package dev.caulk.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.caulk.auth.Credential;
import dev.caulk.auth.Keychain;
import dev.caulk.name.Reference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Answers a registry's challenge (spec.md "API version check", distribution token.md): nothing when
 * {@code /v2/} said 200, HTTP Basic with the keychain's credential, or a Bearer token fetched from
 * the challenge's realm for the request's scopes and cached until it expires. A 401 with a Bearer
 * challenge (an expired token, {@code error="insufficient_scope"}) drops the cached token and asks
 * again for the union of the scopes wanted and the scopes the challenge names.
 *
 * <p>Scopes are kept atomic ({@code repository:app:pull}, {@code repository:app:push}) so that a
 * token for {@code pull,push} also serves later pull-only requests.
 */
final class Auth {
  private static final JsonMapper JSON = new JsonMapper();
  private static final int MAX_TOKEN_RESPONSE = 1024 * 1024;

  private final String registry;
  private final Keychain keychain;
  private final Predicate<URI> realmMayReceiveCredentials;
  private final TokenFetcher fetcher;
  private volatile Challenge challenge;
  private volatile Optional<Credential> credential;
  private final Map<Set<String>, Token> tokens = new ConcurrentHashMap<>();

  private record Token(String value, Instant refreshAt) {}

  /**
   * Sends a token request (no registry credentials added) and returns its body, at most {@code max}
   * bytes.
   */
  @FunctionalInterface
  interface TokenFetcher {
    byte[] fetch(Req req, int max) throws IOException;
  }

  /**
   * @param registry the registry as references name it (what the keychain is asked about)
   * @param realmMayReceiveCredentials the rule of {@link #mayReceiveCredentials} for this registry
   */
  Auth(
      String registry,
      Keychain keychain,
      Predicate<URI> realmMayReceiveCredentials,
      TokenFetcher fetcher) {
    this.registry = registry;
    this.keychain = keychain;
    this.realmMayReceiveCredentials = realmMayReceiveCredentials;
    this.fetcher = fetcher;
  }

  /** The auth of a transport's registry: its keychain, its token requests through the transport. */
  static Auth of(Transport t) {
    boolean relaxed =
        t.opts.isInsecure(t.registry)
            || t.opts.isInsecure(t.apiHost)
            || new Reference(t.registry, "x", "latest", null).isLoopback();
    return new Auth(
        t.registry,
        t.opts.keychain(),
        realm -> mayReceiveCredentials(realm, t.sameMachine(realm), relaxed),
        (req, max) -> t.fetch(req, max).body());
  }

  /**
   * Whether credentials may go to a token realm: over HTTPS, yes, on any host; over plain HTTP only
   * when the realm is on the registry's own machine and that registry is itself reached without
   * verified TLS (a loopback registry, or one marked insecure). A plain-HTTP realm elsewhere would
   * show the password to anyone on the path.
   *
   * @param realmOnRegistryMachine the realm's host is the registry's host name (any port)
   * @param registryRelaxed the registry is loopback or insecure
   */
  static boolean mayReceiveCredentials(
      URI realm, boolean realmOnRegistryMachine, boolean registryRelaxed) {
    if ("https".equalsIgnoreCase(realm.getScheme())) {
      return true;
    }
    return "http".equalsIgnoreCase(realm.getScheme()) && realmOnRegistryMachine && registryRelaxed;
  }

  /** Records the challenge of the {@code /v2/} ping (null when it answered 200). */
  void challenge(Challenge c) {
    this.challenge = c;
  }

  boolean hasCredential() {
    Optional<Credential> c = credential;
    return c != null && c.isPresent();
  }

  private Optional<Credential> credential() throws IOException {
    Optional<Credential> c = credential;
    if (c == null) {
      synchronized (this) {
        if (credential == null) credential = keychain.resolve(registry);
        c = credential;
      }
    }
    return c;
  }

  /** The Authorization header for a request needing {@code scopes}, or null to send none. */
  String header(Set<String> scopes) throws IOException {
    Challenge c = challenge;
    if (c == null) return null;
    if (c.isBasic()) {
      Optional<Credential> cred = credential();
      if (cred.isEmpty() || cred.get().password() == null) return null;
      String up = cred.get().username() + ":" + cred.get().password();
      return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
    }
    if (c.isBearer()) return "Bearer " + token(c, scopes).value();
    return null;
  }

  /**
   * Handles a 401 from the registry: true when a retry may succeed (a new challenge to answer, or a
   * token to fetch anew), false when the credential was already tried and refused.
   */
  boolean onUnauthorized(List<String> wwwAuthenticate, Set<String> scopes, String sent)
      throws IOException {
    Challenge c = Challenge.pick(wwwAuthenticate);
    if (c == null) return false;
    if (c.isBasic()) {
      challenge = c;
      if (sent != null && sent.startsWith("Basic ")) return false;
      return credential().filter(x -> x.password() != null).isPresent();
    }
    if (!c.isBearer()) return false;
    challenge = c;
    Set<String> wanted = new TreeSet<>(scopes);
    wanted.addAll(atomic(c.scopes()));
    tokens.keySet().removeIf(k -> k.containsAll(scopes));
    synchronized (this) {
      tokens.put(Set.copyOf(wanted), fetch(c, wanted));
    }
    return true;
  }

  private synchronized Token token(Challenge c, Set<String> scopes) throws IOException {
    Instant now = Instant.now();
    for (Map.Entry<Set<String>, Token> e : tokens.entrySet()) {
      if (e.getKey().containsAll(scopes) && now.isBefore(e.getValue().refreshAt()))
        return e.getValue();
    }
    tokens.entrySet().removeIf(e -> !now.isBefore(e.getValue().refreshAt()));
    Token t = fetch(c, scopes);
    tokens.put(Set.copyOf(scopes), t);
    return t;
  }

  /**
   * Asks the token server: GET with Basic credentials, or the OAuth2 refresh_token grant for an
   * identity token.
   */
  private Token fetch(Challenge c, Set<String> scopes) throws IOException {
    String realm = c.param("realm");
    URI realmUri;
    try {
      realmUri = realm == null ? null : URI.create(realm);
    } catch (IllegalArgumentException e) {
      realmUri = null;
    }
    String context = "registry " + registry;
    if (realmUri == null
        || realmUri.getHost() == null
        || !("https".equals(realmUri.getScheme()) || "http".equals(realmUri.getScheme()))) {
      throw RegistryException.ofTransport(
          "GET", "", "invalid token realm in the challenge of " + context, false, null);
    }
    Optional<Credential> cred = credential();
    if (cred.isPresent() && !realmMayReceiveCredentials.test(realmUri)) {
      throw RegistryException.ofTransport(
          "GET",
          Redact.url(realmUri),
          "token server of "
              + context
              + " ("
              + realmUri.getRawAuthority()
              + ") is plain HTTP on another host; refusing to send credentials to it",
          false,
          null);
    }
    List<String> wire = wireScopes(scopes);
    Req req;
    if (cred.isPresent() && cred.get().isIdentityToken()) {
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=caulk");
      if (c.param("service") != null) form.append("&service=").append(enc(c.param("service")));
      if (!wire.isEmpty()) form.append("&scope=").append(enc(String.join(" ", wire)));
      form.append("&refresh_token=").append(enc(cred.get().identityToken()));
      req =
          Req.of("POST", realmUri, null, context, 200)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .body(Req.Body.of(form.toString().getBytes(StandardCharsets.UTF_8)));
    } else {
      StringBuilder q = new StringBuilder();
      if (c.param("service") != null) q.append("service=").append(enc(c.param("service")));
      for (String s : wire) q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(s));
      String base = realm + (q.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + q);
      req = Req.of("GET", URI.create(base), null, context, 200);
      if (cred.isPresent()) {
        String up = cred.get().username() + ":" + cred.get().password();
        req =
            req.header(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return parseToken(fetcher.fetch(req, MAX_TOKEN_RESPONSE), context, Instant.now());
  }

  static Token parseToken(byte[] body, String context, Instant now) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      n = null;
    }
    String token = n == null ? "" : n.path("token").asText("");
    if (token.isEmpty() && n != null) token = n.path("access_token").asText("");
    if (token.isEmpty()) {
      throw RegistryException.ofTransport(
          "GET", "", "token server of " + context + " returned no token", false, null);
    }
    long expiresIn = n.path("expires_in").asLong(0);
    if (expiresIn <= 0) expiresIn = 60;
    Duration life = Duration.ofSeconds(expiresIn);
    Duration margin =
        life.dividedBy(10).compareTo(Duration.ofSeconds(10)) > 0
            ? Duration.ofSeconds(10)
            : life.dividedBy(10);
    return new Token(token, now.plus(life).minus(margin));
  }

  /**
   * Turns {@code repository:a:pull,push} into atomic {@code repository:a:pull}, {@code
   * repository:a:push}.
   */
  static Set<String> atomic(List<String> scopes) {
    Set<String> out = new TreeSet<>();
    for (String s : scopes) {
      int last = s.lastIndexOf(':');
      if (last <= 0) continue;
      for (String action : s.substring(last + 1).split(",")) {
        if (!action.isEmpty()) out.add(s.substring(0, last + 1) + action);
      }
    }
    return out;
  }

  /**
   * Groups atomic scopes back into the wire form, one string per resource, actions joined with
   * commas.
   */
  static List<String> wireScopes(Set<String> atomic) {
    Map<String, TreeSet<String>> byResource = new TreeMap<>();
    for (String s : atomic) {
      int last = s.lastIndexOf(':');
      byResource
          .computeIfAbsent(s.substring(0, last), k -> new TreeSet<>())
          .add(s.substring(last + 1));
    }
    return byResource.entrySet().stream()
        .map(e -> e.getKey() + ":" + String.join(",", e.getValue()))
        .toList();
  }

  static Set<String> pull(String repository) {
    return Set.of("repository:" + repository + ":pull");
  }

  static Set<String> push(String repository) {
    return Set.of("repository:" + repository + ":pull", "repository:" + repository + ":push");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
