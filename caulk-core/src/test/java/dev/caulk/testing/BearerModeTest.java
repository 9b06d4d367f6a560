package dev.caulk.testing;

import static dev.caulk.testing.TestRegistryTest.get;
import static dev.caulk.testing.TestRegistryTest.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.testing.TestRegistry.Mode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Bearer mode: the real registry accepts the JWTs the harness's token server signs, and only those.
 */
class BearerModeTest {
  private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

  static URI tokenUri(TestRegistry r, String scope) {
    return URI.create(
        r.tokenRealm()
            + "?service="
            + r.tokenService()
            + (scope == null ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)));
  }

  static String token(HttpResponse<String> resp) {
    Matcher m = TOKEN.matcher(resp.body());
    assertTrue(m.find(), resp.body());
    return m.group(1);
  }

  @Test
  void challengeTokenAndAccess() throws Exception {
    RegistryExtension.assumeInstalled(Mode.BEARER);
    TestRegistry.Options opts =
        TestRegistry.Options.of(Mode.BEARER).withTokenLifetime(Duration.ofSeconds(2));
    try (TestRegistry r = TestRegistry.start(opts)) {
      HttpClient client = r.httpClientBuilder().build();

      HttpResponse<String> challenge = get(client, v2(r), null);
      assertEquals(401, challenge.statusCode());
      String www = challenge.headers().firstValue("WWW-Authenticate").orElse("");
      assertTrue(www.startsWith("Bearer realm=\"" + r.tokenRealm() + "\""), www);
      assertTrue(www.contains("service=\"" + r.tokenService() + "\""), www);

      assertEquals(401, get(client, tokenUri(r, null), null).statusCode(), "anonymous refused");
      String wrong = new TestRegistry.Credentials("caulk", "wrong").basicAuthorization();
      assertEquals(
          401, get(client, tokenUri(r, null), wrong).statusCode(), "wrong password refused");

      String basic = r.credentials().basicAuthorization();
      HttpResponse<String> issued =
          get(client, tokenUri(r, "repository:team/app:pull,push"), basic);
      assertEquals(200, issued.statusCode());
      assertTrue(issued.body().contains("\"expires_in\":2"), issued.body());
      String token = token(issued);
      String claims =
          new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
      assertTrue(claims.contains("\"actions\":[\"pull\",\"push\"]"), claims);

      assertEquals(200, get(client, v2(r), "Bearer " + token).statusCode());
      HttpResponse<String> upload =
          client.send(
              HttpRequest.newBuilder(URI.create(r.url() + "/v2/team/app/blobs/uploads/"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(202, upload.statusCode(), "push scope lets the upload start");

      HttpResponse<String> otherRepo =
          client.send(
              HttpRequest.newBuilder(URI.create(r.url() + "/v2/team/other/blobs/uploads/"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, otherRepo.statusCode(), "the token is scoped to team/app");
      String insufficient = otherRepo.headers().firstValue("WWW-Authenticate").orElse("");
      // distribution 2.8 lists the actions in Go map order: "pull,push" or "push,pull", either may
      // come.
      assertTrue(
          insufficient.contains("scope=\"repository:team/other:pull,push\"")
              || insufficient.contains("scope=\"repository:team/other:push,pull\""),
          insufficient);
      assertTrue(insufficient.contains("error=\"insufficient_scope\""), insufficient);
      HttpResponse<String> pullOther =
          get(client, URI.create(r.url() + "/v2/team/other/tags/list"), null);
      String pullChallenge = pullOther.headers().firstValue("WWW-Authenticate").orElse("");
      assertTrue(pullChallenge.contains("scope=\"repository:team/other:pull\""), pullChallenge);

      String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
      assertEquals(
          401, get(client, v2(r), "Bearer " + forged).statusCode(), "bad signature refused");

      assertEquals(3, r.tokenRequestCount());
      List<TestRegistry.TokenRequest> log = r.tokenRequests();
      assertEquals(
          new TestRegistry.TokenRequest("caulk", List.of("repository:team/app:pull,push"), 200),
          log.get(2));
      assertNull(log.get(0).username());
    }
  }

  @Test
  void theRegistryRefusesATokenOnceExpiresInHasPassed() throws Exception {
    RegistryExtension.assumeInstalled(Mode.BEARER);
    try (TestRegistry r =
        TestRegistry.start(
            TestRegistry.Options.of(Mode.BEARER).withTokenLifetime(Duration.ofSeconds(1)))) {
      HttpClient client = r.httpClientBuilder().build();
      String bearer =
          "Bearer " + token(get(client, tokenUri(r, null), r.credentials().basicAuthorization()));
      assertEquals(200, get(client, v2(r), bearer).statusCode());
      Thread.sleep(2100); // expires_in 1 s, rounded up to the next whole second
      assertEquals(
          401, get(client, v2(r), bearer).statusCode(), "a client that never refreshes is caught");
      assertEquals(1, r.tokenRequestCount());
    }
  }

  @Test
  void anonymousPullGrantsPullOnly() throws Exception {
    RegistryExtension.assumeInstalled(Mode.BEARER);
    try (TestRegistry r =
        TestRegistry.start(TestRegistry.Options.of(Mode.BEARER).withAnonymousPull(true))) {
      HttpClient client = r.httpClientBuilder().build();
      HttpResponse<String> issued = get(client, tokenUri(r, "repository:lib/x:pull,push"), null);
      assertEquals(200, issued.statusCode());
      String bearer = "Bearer " + token(issued);
      HttpResponse<String> tags = get(client, URI.create(r.url() + "/v2/lib/x/tags/list"), bearer);
      assertEquals(
          404, tags.statusCode(), "authorized to pull; the repository just does not exist");
      HttpResponse<String> push =
          client.send(
              HttpRequest.newBuilder(URI.create(r.url() + "/v2/lib/x/blobs/uploads/"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .header("Authorization", bearer)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, push.statusCode(), "anonymous may not push");
    }
  }

  @Test
  void tlsBearer() throws Exception {
    RegistryExtension.assumeInstalled(Mode.TLS_BEARER);
    try (TestRegistry r = TestRegistry.start(Mode.TLS_BEARER)) {
      HttpClient client = r.httpClientBuilder().build();
      assertEquals(401, get(client, v2(r), null).statusCode());
      String token = token(get(client, tokenUri(r, null), r.credentials().basicAuthorization()));
      assertEquals(200, get(client, v2(r), "Bearer " + token).statusCode());
    }
  }
}
