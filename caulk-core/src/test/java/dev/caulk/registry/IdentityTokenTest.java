package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.caulk.auth.Credential;
import dev.caulk.auth.Keychains;
import dev.caulk.event.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An identity token (docker-credential helpers' {@code <token>} user) is exchanged with the OAuth2
 * refresh_token grant.
 */
class IdentityTokenTest {
  private final List<String> forms = new CopyOnWriteArrayList<>();

  @Test
  void identityTokenIsPostedAsRefreshTokenGrant() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String realm = "http://127.0.0.1:" + s.getAddress().getPort() + "/token";
    s.createContext(
        "/token",
        ex -> {
          String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          forms.add(ex.getRequestMethod() + " " + form);
          Map<String, String> f =
              java.util.Arrays.stream(form.split("&"))
                  .map(p -> p.split("=", 2))
                  .collect(
                      Collectors.toMap(
                          p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
          boolean ok =
              "refresh_token".equals(f.get("grant_type"))
                  && "id-tok-123".equals(f.get("refresh_token"))
                  && "fake".equals(f.get("service"))
                  && "repository:r:pull".equals(f.get("scope"));
          reply(
              ex,
              ok ? 200 : 401,
              Map.of(),
              ok ? "{\"access_token\":\"at-1\",\"expires_in\":300}" : "{}");
        });
    s.createContext(
        "/v2/",
        ex -> {
          if ("Bearer at-1".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 200, Map.of(), "{\"name\":\"r\",\"tags\":[\"v1\"]}");
          } else {
            reply(
                ex,
                401,
                Map.of("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\""),
                "");
          }
        });
    s.start();
    try {
      String host = "127.0.0.1:" + s.getAddress().getPort();
      List<Event> events = new CopyOnWriteArrayList<>();
      RegistryOptions o =
          RegistryOptions.defaults()
              .withListener(events::add)
              .withKeychain(Keychains.fixed(host, Credential.identityToken(null, "id-tok-123")));
      RegistryClient c = RegistryClient.create(host, o);
      assertEquals(List.of("v1"), c.tags("r"));
      assertEquals(List.of("v1"), c.tags("r"));
      assertEquals(1, forms.size(), "the access token is cached");
      assertEquals("POST", forms.get(0).substring(0, 4));
      for (Event e : events)
        assertFalse(
            e.toString().contains("id-tok-123") || e.toString().contains("at-1"), e.toString());
    } finally {
      s.stop(0);
    }
  }

  private static void reply(HttpExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) ex.getResponseBody().write(b);
    ex.close();
  }
}
