package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Redirects} alone, with a scripted next step. */
class RedirectsTest {
  private static final URI BLOB = URI.create("https://reg.example/v2/app/blobs/sha256:ab");
  private final List<Exchange.Call> sent = new ArrayList<>();
  private final ErrorMapping errors =
      new ErrorMapping("reg.example", Duration.ofSeconds(30), () -> true);

  private Redirects redirects(Map<URI, String> locations) {
    return new Redirects(
        c -> {
          sent.add(c);
          String to = locations.get(c.uri());
          return to == null
              ? StepTesting.response(200, c.uri())
              : StepTesting.response(307, c.uri(), Map.of("Location", to), "");
        },
        errors);
  }

  private static Exchange.Call authorized(URI uri) {
    return StepTesting.call(Req.of("GET", uri, Auth.pull("app"), "blob", 200))
        .withHeader("Authorization", "Bearer secret");
  }

  @Test
  void authorizationStopsAtTheFirstHopToAnotherHost() throws IOException {
    URI storage = URI.create("https://storage.example/bucket/ab?sig=x");
    URI back = URI.create("https://reg.example/v2/app/blobs/other");
    Response r =
        redirects(Map.of(BLOB, storage.toString(), storage, back.toString()))
            .send(authorized(BLOB));
    assertEquals(200, r.status());
    assertEquals(List.of(BLOB, storage, back), sent.stream().map(Exchange.Call::uri).toList());
    assertEquals("Bearer secret", sent.get(0).header("Authorization"));
    assertNull(
        sent.get(1).header("Authorization"),
        "a storage host never gets the registry's credentials");
    assertNull(sent.get(2).header("Authorization"), "nor does a hop after it");
  }

  @Test
  void aRelativeRedirectOnTheSameOriginKeepsAuthorizationButOneToPlainHttpDoesNot()
      throws IOException {
    redirects(Map.of(BLOB, "/v2/app/blobs/moved")).send(authorized(BLOB));
    assertEquals(URI.create("https://reg.example/v2/app/blobs/moved"), sent.get(1).uri());
    assertEquals("Bearer secret", sent.get(1).header("Authorization"));

    sent.clear();
    redirects(Map.of(BLOB, "http://reg.example/v2/app/blobs/moved")).send(authorized(BLOB));
    assertNull(
        sent.get(1).header("Authorization"),
        "HTTPS to plain HTTP on the same host:port drops it too");
  }

  @Test
  void hopsAreBounded() {
    Redirects loop =
        new Redirects(
            c -> {
              sent.add(c);
              return StepTesting.response(302, c.uri(), Map.of("Location", c.uri().toString()), "");
            },
            errors);
    RegistryException e = assertThrows(RegistryException.class, () -> loop.send(authorized(BLOB)));
    assertEquals(Redirects.MAX_HOPS + 1, sent.size());
    assertEquals("GET failed: too many redirects (blob)", e.getMessage());
    assertTrue(!e.isTemporary());
  }

  @Test
  void onlyAbsoluteWebTargetsAreFollowed() {
    for (String bad : List.of("ftp://reg.example/x", "file:///etc/passwd", "http://[bad")) {
      sent.clear();
      RegistryException e =
          assertThrows(
              RegistryException.class, () -> redirects(Map.of(BLOB, bad)).send(authorized(BLOB)));
      assertEquals("GET failed: invalid redirect Location (blob)", e.getMessage(), bad);
      assertEquals(1, sent.size(), bad);
    }
  }

  @Test
  void aRedirectTheRequestExpectsIsReturned() throws IOException {
    Exchange.Call c = StepTesting.call(Req.of("GET", BLOB, null, "blob", 200, 307));
    assertEquals(307, redirects(Map.of(BLOB, "https://elsewhere.example/")).send(c).status());
    assertEquals(1, sent.size());
  }
}
