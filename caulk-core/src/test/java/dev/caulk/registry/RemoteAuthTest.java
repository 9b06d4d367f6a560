package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.auth.Credential;
import dev.caulk.auth.Keychain;
import dev.caulk.auth.Keychains;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.name.Reference;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RemoteAuthTest {
  @RegisterExtension
  static final RegistryExtension BASIC = RegistryExtension.of(TestRegistry.Mode.BASIC);

  @RegisterExtension
  static final RegistryExtension BEARER =
      RegistryExtension.of(
          TestRegistry.Options.of(TestRegistry.Mode.BEARER)
              .withTokenLifetime(Duration.ofSeconds(2)));

  @TempDir Path tmp;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private RegistryOptions opts(TestRegistry r, String password) {
    Keychain k =
        password == null
            ? Keychains.anonymous()
            : Keychains.fixed(r.host(), Credential.basic(r.credentials().username(), password));
    return RegistryOptions.defaults()
        .withKeychain(k)
        .withListener(events::add)
        .withChunkSize(64 * 1024)
        .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(2));
  }

  private void assertNothingLeaks(String... secrets) {
    for (Event e : events) {
      String s = e.toString();
      for (String secret : secrets) assertFalse(s.contains(secret), "event leaks a secret: " + s);
      assertFalse(s.contains("Bearer ") || s.contains("eyJ"), "event leaks a token: " + s);
    }
  }

  @Test
  void basicAuthPushAndPull() throws IOException {
    TestRegistry r = BASIC.registry();
    Image img = TestImages.image(tmp, 10, 100_000, 3000);
    Reference ref = Reference.parse(r.host() + "/basic/app:v1");
    RegistryOptions o = opts(r, r.credentials().password());
    assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, o));
    TestImages.assertSameImage(img, Remote.open(ref, o).image());
    assertNothingLeaks(r.credentials().password());
  }

  @Test
  void basicAuthWrongPasswordNamesTheRegistryAndNeverThePassword() throws IOException {
    TestRegistry r = BASIC.registry();
    String wrong = "not-the-Pa55word";
    Reference ref = Reference.parse(r.host() + "/basic/app:v1");
    RegistryException e =
        assertThrows(RegistryException.class, () -> Remote.open(ref, opts(r, wrong)));
    assertEquals(
        "UNAUTHORIZED: authentication required (registry " + r.host() + ")", e.getMessage());
    assertEquals(401, e.status());
    assertFalse(e.toString().contains(wrong));
    assertFalse(e.url().contains(wrong));

    Image img = TestImages.image(tmp, 11, 1000);
    RegistryException push =
        assertThrows(
            RegistryException.class, () -> Remote.write(Artifact.of(img), ref, opts(r, wrong)));
    assertEquals(
        "UNAUTHORIZED: authentication required (registry " + r.host() + ")", push.getMessage());

    RegistryException anon =
        assertThrows(RegistryException.class, () -> Remote.open(ref, opts(r, null)));
    assertEquals(
        "UNAUTHORIZED: authentication required (registry "
            + r.host()
            + "; no credentials configured)",
        anon.getMessage());
    assertNothingLeaks(wrong, r.credentials().password());
  }

  @Test
  void bearerTokensAreCachedPerScope() throws IOException {
    TestRegistry r = BEARER.registry();
    Image img = TestImages.image(tmp, 12, 200_000, 50_000, 3000);
    Reference ref = Reference.parse(r.host() + "/bearer/cached:v1");
    RegistryOptions o = opts(r, r.credentials().password()).withParallelism(4);
    int before = r.tokenRequestCount();
    Remote.write(Artifact.of(img), ref, o);
    assertEquals(
        1,
        r.tokenRequestCount() - before,
        "one pull,push token serves every HEAD, upload and the manifest PUT: " + r.tokenRequests());

    RegistryClient client = RegistryClient.create(r.host(), o);
    before = r.tokenRequestCount();
    TestImages.assertSameImage(img, Remote.open(client, ref).image());
    client.getManifest("bearer/cached", "v1");
    assertEquals(
        1, r.tokenRequestCount() - before, "one pull token for manifest, config and layers");
    assertNothingLeaks(r.credentials().password());
  }

  @Test
  void bearerTokenIsRefreshedAfterItExpires() throws Exception {
    TestRegistry r = BEARER.registry();
    Image img = TestImages.image(tmp, 13, 1000);
    Reference ref = Reference.parse(r.host() + "/bearer/expiry:v1");
    RegistryOptions o = opts(r, r.credentials().password());
    Remote.write(Artifact.of(img), ref, o);
    RegistryClient client = RegistryClient.create(r.host(), o);
    int before = r.tokenRequestCount();
    client.getManifest("bearer/expiry", "v1");
    Thread.sleep(2300); // the token lives 2 s; the registry refuses it afterwards
    client.getManifest("bearer/expiry", "v1");
    assertEquals(2, r.tokenRequestCount() - before);
  }

  @Test
  void bearerChallengeOnA401FetchesAFreshToken() throws IOException {
    TestRegistry r = BEARER.registry();
    Image img = TestImages.image(tmp, 14, 1000);
    RegistryOptions o = opts(r, r.credentials().password());
    Remote.write(Artifact.of(img), Reference.parse(r.host() + "/bearer/challenged:v1"), o);
    try (FaultProxy proxy = FaultProxy.start(r)) {
      Credential cred = Credential.basic(r.credentials().username(), r.credentials().password());
      RegistryClient client =
          RegistryClient.create(proxy.host(), o.withKeychain(Keychains.fixed(proxy.host(), cred)));
      client.getManifest("bearer/challenged", "v1");
      int before = r.tokenRequestCount();
      String challenge =
          "Bearer realm=\""
              + r.tokenRealm()
              + "\",service=\""
              + r.tokenService()
              + "\",scope=\"repository:bearer/challenged:pull\",error=\"invalid_token\"";
      proxy.failNext(
          "GET",
          "/v2/bearer/challenged/manifests/v1",
          1,
          401,
          Map.of("WWW-Authenticate", challenge));
      assertEquals(img.digest(), client.getManifest("bearer/challenged", "v1").digest());
      assertEquals(1, r.tokenRequestCount() - before, "the rejected token is replaced");
      assertEquals(0, proxy.pendingFaults());
    }
  }

  @Test
  void bearerWrongPasswordFailsAtTheTokenServerWithoutLeaking() throws IOException {
    TestRegistry r = BEARER.registry();
    String wrong = "wr0ng-bearer-pass";
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () -> Remote.open(Reference.parse(r.host() + "/bearer/none:v1"), opts(r, wrong)));
    assertEquals(401, e.status());
    assertTrue(e.getMessage().startsWith("UNAUTHORIZED: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("(registry " + r.host() + ")"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong));
    assertNothingLeaks(wrong);
  }
}
