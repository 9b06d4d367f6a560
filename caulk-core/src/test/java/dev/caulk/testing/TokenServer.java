package dev.caulk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal Docker token service (the "realm" of a Bearer challenge) for {@link
 * TestRegistry.Mode#BEARER}.
 *
 * <p>It implements the GET flow of the distribution token spec (docs/spec/auth/token.md): the
 * client sends {@code ?service=S&scope=repository:NAME:ACTIONS} (scope repeatable), optionally with
 * Basic credentials, and gets {@code {"token","access_token","expires_in","issued_at"}}. The JWT is
 * ES256, with the signer certificate in an {@code x5c} header: distribution 2.8 verifies that chain
 * against its {@code rootcertbundle}, then checks {@code iss}, {@code aud} (a single string in
 * 2.8), and {@code exp}/{@code nbf} with 60 s leeway. Because of that leeway the {@code exp} claim
 * is backdated by 60 s, so the registry itself refuses a token once {@code expires_in} has passed
 * (rounded up to the next second): tests can prove that a client refreshes. Valid credentials get
 * every requested action; anonymous requests get 401, or only {@code pull} when anonymous pull is
 * on. Every request is logged.
 */
final class TokenServer implements AutoCloseable {
  static final String SERVICE = "caulk-test-registry";
  static final String ISSUER = "caulk-test-token-issuer";

  /**
   * distribution 2.8 registry/auth/token: {@code Leeway = 60 * time.Second} added to exp checks.
   */
  static final long REGISTRY_LEEWAY_SECONDS = 60;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Pki.Signer signer;
  private final TestRegistry.Credentials credentials;
  private final Duration lifetime;
  private final boolean anonymousPull;
  private final List<TestRegistry.TokenRequest> log = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  private TokenServer(
      HttpServer server,
      ExecutorService executor,
      Pki.Signer signer,
      TestRegistry.Credentials credentials,
      Duration lifetime,
      boolean anonymousPull) {
    this.server = server;
    this.executor = executor;
    this.signer = signer;
    this.credentials = credentials;
    this.lifetime = lifetime;
    this.anonymousPull = anonymousPull;
  }

  static TokenServer start(
      Pki.Signer signer,
      TestRegistry.Credentials credentials,
      Duration lifetime,
      boolean anonymousPull)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "caulk-test-token-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    TokenServer ts =
        new TokenServer(server, executor, signer, credentials, lifetime, anonymousPull);
    server.createContext("/token", ts::handle);
    server.start();
    return ts;
  }

  URI realm() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  List<TestRegistry.TokenRequest> requests() {
    return List.copyOf(log);
  }

  private void handle(HttpExchange ex) {
    try {
      answer(ex);
    } catch (IOException | RuntimeException e) {
      // Never let a bug or a closed client hang the other side: answer 500 if still possible.
      try {
        respond(
            ex, 500, "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"token server error\"}]}");
      } catch (IOException | RuntimeException ignored) {
        // headers already sent or client gone
      }
    } finally {
      ex.close();
    }
  }

  private void answer(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      respond(
          ex,
          405,
          "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"only GET is supported\"}]}");
      return;
    }
    List<String> scopes = new ArrayList<>();
    String service = null;
    String query = ex.getRequestURI().getRawQuery();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (key.equals("scope")) {
        for (String s : value.trim().split(" +")) {
          if (!s.isEmpty()) {
            scopes.add(s);
          }
        }
      } else if (key.equals("service")) {
        service = value;
      }
    }
    String user = basicUser(ex.getRequestHeaders().getFirst("Authorization"));
    int status;
    String body;
    if (service != null && !service.equals(SERVICE)) {
      status = 400;
      body = "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"unknown service\"}]}";
    } else if (user == null || (user.isEmpty() && !anonymousPull)) {
      status = 401;
      ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"caulk-test-token\"");
      body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";
    } else {
      status = 200;
      body = tokenResponse(user, scopes);
    }
    // Logged before answering, so a test that got its answer always sees its request counted.
    log.add(
        new TestRegistry.TokenRequest(
            user == null || user.isEmpty() ? null : user, List.copyOf(scopes), status));
    respond(ex, status, body);
  }

  /** Returns the user name for valid credentials, "" for none (anonymous), null for wrong ones. */
  private String basicUser(String authorization) {
    if (authorization == null) {
      return "";
    }
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String u = decoded.substring(0, colon);
    String p = decoded.substring(colon + 1);
    return u.equals(credentials.username()) && p.equals(credentials.password()) ? u : null;
  }

  private String tokenResponse(String user, List<String> scopes) {
    Instant now = Instant.now();
    long seconds = Math.max(1, lifetime.toSeconds());
    long issued = now.getEpochSecond();
    long validUntil =
        issued + (now.getNano() > 0 ? 1 : 0) + seconds; // never shorter than expires_in
    StringBuilder access = new StringBuilder("[");
    for (String scope : scopes) {
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || last == first) {
        continue; // not type:name:actions; grant nothing for it
      }
      List<String> actions = new ArrayList<>();
      for (String a : scope.substring(last + 1).split(",")) {
        if (!a.isEmpty() && (!user.isEmpty() || a.equals("pull"))) {
          actions.add(Json.quote(a));
        }
      }
      if (access.length() > 1) {
        access.append(',');
      }
      access
          .append("{\"type\":")
          .append(Json.quote(scope.substring(0, first)))
          .append(",\"name\":")
          .append(Json.quote(scope.substring(first + 1, last)))
          .append(",\"actions\":[")
          .append(String.join(",", actions))
          .append("]}");
    }
    access.append(']');
    byte[] jti = new byte[12];
    random.nextBytes(jti);
    String claims =
        "{\"iss\":"
            + Json.quote(ISSUER)
            + ",\"sub\":"
            + Json.quote(user)
            + ",\"aud\":"
            + Json.quote(SERVICE)
            + ",\"exp\":"
            + (validUntil - REGISTRY_LEEWAY_SECONDS)
            + ",\"nbf\":"
            + (issued - 1)
            + ",\"iat\":"
            + issued
            + ",\"jti\":"
            + Json.quote(HexFormat.of().formatHex(jti))
            + ",\"access\":"
            + access
            + "}";
    String token = sign(claims);
    return "{\"token\":"
        + Json.quote(token)
        + ",\"access_token\":"
        + Json.quote(token)
        + ",\"expires_in\":"
        + seconds
        + ",\"issued_at\":"
        + Json.quote(now.toString())
        + "}";
  }

  private String sign(String claims) {
    try {
      String x5c = Base64.getEncoder().encodeToString(signer.certificate().getEncoded());
      String header = "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"x5c\":[" + Json.quote(x5c) + "]}";
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String input =
          b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      // JWS ES256 wants the raw R||S form (RFC 7518 section 3.4), not DER.
      Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
      sig.initSign(signer.key());
      sig.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64.encodeToString(sig.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign token: " + e.getMessage(), e);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange ex, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
