package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.auth.Credential;
import dev.caulk.auth.Keychain;
import dev.caulk.auth.Keychains;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Authenticate} and {@link Auth} alone: a scripted registry behind, a scripted token server
 * beside.
 */
class AuthenticateTest {
  private static final String REGISTRY = "reg.example";
  private static final URI MANIFEST = URI.create("https://reg.example/v2/app/manifests/v1");
  private static final Credential CRED = Credential.basic("user", "s3cret-pass");
  private static final String BEARER =
      "Bearer realm=\"https://auth.example/token\",service=\"reg\"";

  private final List<Exchange.Call> sent = new ArrayList<>();
  private final List<Req> tokenRequests = new ArrayList<>();
  private int tokenNumber;

  private Auth auth(Keychain keychain, Challenge challenge) {
    Auth a =
        new Auth(
            REGISTRY,
            keychain,
            realm -> Auth.mayReceiveCredentials(realm, false, false),
            (req, max) -> {
              tokenRequests.add(req);
              tokenNumber++;
              return ("{\"token\":\"tok" + tokenNumber + "\",\"expires_in\":300}")
                  .getBytes(StandardCharsets.UTF_8);
            });
    a.challenge(challenge);
    return a;
  }

  private Authenticate step(Auth a, List<Integer> statuses, String challenge) {
    return new Authenticate(
        c -> {
          sent.add(c);
          int s = statuses.get(Math.min(sent.size() - 1, statuses.size() - 1));
          return StepTesting.response(
              s, c.uri(), s == 401 ? Map.of("WWW-Authenticate", challenge) : Map.of(), "");
        },
        () -> a,
        u -> u.getRawAuthority().equals(REGISTRY) && u.getScheme().equals("https"));
  }

  private static Exchange.Call get(URI uri) {
    return StepTesting.call(Req.of("GET", uri, Auth.pull("app"), "reg.example/app:v1", 200));
  }

  @Test
  void basicCredentialsGoToTheRegistryHostOnly() throws IOException {
    Auth a = auth(Keychains.fixed(REGISTRY, CRED), Challenge.parse("Basic realm=\"reg\"").get(0));
    Authenticate s = step(a, List.of(200), "");
    s.send(get(MANIFEST));
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("user:s3cret-pass".getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, sent.get(0).header("Authorization"));

    s.send(get(URI.create("https://storage.example/v2/app/manifests/v1")));
    assertNull(sent.get(1).header("Authorization"), "another host");
    s.send(
        StepTesting.call(Req.of("GET", URI.create("https://reg.example/v2/"), null, "ping", 200)));
    assertNull(
        sent.get(2).header("Authorization"),
        "a request without scopes (the ping, a token request)");
  }

  @Test
  void aRefusedBasicCredentialIsNotSentAgain() throws IOException {
    Auth a = auth(Keychains.fixed(REGISTRY, CRED), Challenge.parse("Basic realm=\"reg\"").get(0));
    assertEquals(401, step(a, List.of(401), "Basic realm=\"reg\"").send(get(MANIFEST)).status());
    assertEquals(1, sent.size());
  }

  @Test
  void aNewBearerChallengeIsAnsweredWithAFreshTokenAtMostTwice() throws IOException {
    Auth a = auth(Keychains.fixed(REGISTRY, CRED), Challenge.parse(BEARER).get(0));
    String expired = BEARER + ",error=\"invalid_token\",scope=\"repository:app:pull\"";
    assertEquals(200, step(a, List.of(401, 200), expired).send(get(MANIFEST)).status());
    assertEquals(
        List.of("Bearer tok1", "Bearer tok2"),
        sent.stream().map(c -> c.header("Authorization")).toList());
    assertEquals(2, tokenRequests.size());
    assertTrue(
        tokenRequests
            .get(0)
            .uri()
            .toString()
            .startsWith("https://auth.example/token?service=reg&scope=repository%3Aapp%3Apull"),
        tokenRequests.get(0).uri().toString());
    assertTrue(
        tokenRequests.get(0).headers().get("Authorization").startsWith("Basic "),
        "the token server gets the credential");

    sent.clear();
    assertEquals(401, step(a, List.of(401), expired).send(get(MANIFEST)).status());
    assertEquals(1 + Authenticate.MAX_REAUTH, sent.size(), "re-authentication is bounded");
  }

  @Test
  void aStreamedBodyIsNotSentAgainAfterA401() throws IOException {
    Auth a = auth(Keychains.fixed(REGISTRY, CRED), Challenge.parse(BEARER).get(0));
    Req put =
        Req.of("PUT", MANIFEST, Auth.push("app"), "ctx", 201)
            .body(Req.Body.stream(java.io.InputStream.nullInputStream(), 0));
    assertEquals(
        401,
        step(a, List.of(401), BEARER + ",error=\"invalid_token\"")
            .send(StepTesting.call(put))
            .status());
    assertEquals(1, sent.size());
  }

  @Test
  void aFailedTokenRequestIsPermanentForTheRequestThatNeededIt() {
    Auth a =
        new Auth(
            REGISTRY,
            Keychains.anonymous(),
            realm -> true,
            (req, max) -> {
              throw RegistryException.ofResponse(
                  "GET",
                  "https://auth.example/token",
                  503,
                  new byte[0],
                  "registry reg.example",
                  null);
            });
    a.challenge(Challenge.parse(BEARER).get(0));
    RegistryException e =
        assertThrows(RegistryException.class, () -> step(a, List.of(200), "").send(get(MANIFEST)));
    assertEquals(503, e.status());
    assertFalse(
        e.isTemporary(),
        "the token request had its own retries; the request around it must not multiply them");
    assertEquals(0, sent.size());
  }

  @Test
  void credentialsGoToAPlainHttpRealmOnlyOnTheMachineOfALoopbackOrInsecureRegistry() {
    URI https = URI.create("https://auth.example/token");
    URI http = URI.create("http://auth.example/token");
    assertTrue(Auth.mayReceiveCredentials(https, false, false), "HTTPS, any host");
    assertTrue(Auth.mayReceiveCredentials(https, true, true));
    assertFalse(Auth.mayReceiveCredentials(http, false, false), "plain HTTP on another host");
    assertFalse(
        Auth.mayReceiveCredentials(http, false, true),
        "plain HTTP on another host, even for a loopback registry");
    assertFalse(
        Auth.mayReceiveCredentials(http, true, false), "plain HTTP beside a verified-TLS registry");
    assertTrue(
        Auth.mayReceiveCredentials(http, true, true),
        "plain HTTP on the loopback or insecure registry's own machine");
    assertFalse(Auth.mayReceiveCredentials(URI.create("ftp://reg.example/token"), true, true));
  }

  @Test
  void aPlainHttpRealmElsewhereNeverSeesTheCredential() {
    Auth a =
        auth(
            Keychains.fixed(REGISTRY, CRED),
            Challenge.parse("Bearer realm=\"http://auth.example/token\",service=\"reg\"").get(0));
    RegistryException e =
        assertThrows(RegistryException.class, () -> step(a, List.of(200), "").send(get(MANIFEST)));
    assertEquals(
        "token server of registry reg.example (auth.example) is plain HTTP on another host; refusing to send credentials to it",
        e.getMessage());
    assertEquals(List.of(), tokenRequests, "nothing was sent to it");
    assertFalse(e.getMessage().contains("s3cret"));

    Auth anonymous =
        auth(
            Keychains.anonymous(),
            Challenge.parse("Bearer realm=\"http://auth.example/token\"").get(0));
    assertEquals(0, assertDoesNotFail(anonymous));
  }

  private int assertDoesNotFail(Auth anonymous) {
    try {
      step(anonymous, List.of(200), "").send(get(MANIFEST));
    } catch (IOException e) {
      throw new AssertionError("an anonymous token request may go anywhere", e);
    }
    assertNull(tokenRequests.get(0).headers().get("Authorization"));
    return tokenRequests.size() - 1;
  }
}
