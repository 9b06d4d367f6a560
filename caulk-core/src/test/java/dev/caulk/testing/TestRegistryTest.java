package dev.caulk.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.testing.TestRegistry.Mode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * Each mode of {@link TestRegistry} starts the real registry and answers {@code /v2/} as that mode
 * should.
 */
class TestRegistryTest {

  static HttpResponse<String> get(HttpClient client, URI uri, String authorization)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static URI v2(TestRegistry r) {
    return URI.create(r.url() + "/v2/");
  }

  @Test
  void plainAnswersAnonymouslyAndCleansUpOnClose() throws Exception {
    RegistryExtension.assumeInstalled(Mode.PLAIN);
    Path storage;
    int port;
    TestRegistry r = TestRegistry.start(Mode.PLAIN);
    try (r) {
      assertEquals(Mode.PLAIN, r.mode());
      assertEquals("127.0.0.1:" + r.port(), r.host());
      assertEquals(URI.create("http://127.0.0.1:" + r.port()), r.url());
      HttpResponse<String> resp = get(r.httpClientBuilder().build(), v2(r), null);
      assertEquals(200, resp.statusCode());
      assertEquals(
          "registry/2.0", resp.headers().firstValue("Docker-Distribution-Api-Version").orElse(""));
      assertTrue(Files.isRegularFile(r.logFile()));
      storage = r.storageDirectory();
      assertTrue(Files.isDirectory(storage));
      port = r.port();
      assertThrows(IllegalStateException.class, r::credentials);
      assertThrows(IllegalStateException.class, r::caCertificate);
      assertThrows(IllegalStateException.class, r::tokenRequestCount);
    }
    assertFalse(Files.exists(storage), "storage deleted on close");
    assertThrows(
        ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "process stopped");
    r.close(); // idempotent
  }

  @Test
  void twoRegistriesGetDistinctPorts() throws Exception {
    RegistryExtension.assumeInstalled(Mode.PLAIN);
    try (TestRegistry a = TestRegistry.start(Mode.PLAIN);
        TestRegistry b = TestRegistry.start(Mode.PLAIN)) {
      assertTrue(a.port() != b.port());
      assertEquals(200, get(b.httpClientBuilder().build(), v2(b), null).statusCode());
    }
  }

  @Test
  void basicRequiresTheRightPassword() throws Exception {
    RegistryExtension.assumeInstalled(Mode.BASIC);
    try (TestRegistry r =
        TestRegistry.start(
            TestRegistry.Options.of(Mode.BASIC).withCredentials("alice", "s3cr:et"))) {
      HttpClient client = r.httpClientBuilder().build();
      HttpResponse<String> anonymous = get(client, v2(r), null);
      assertEquals(401, anonymous.statusCode());
      assertTrue(
          anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
      String wrong = new TestRegistry.Credentials("alice", "nope").basicAuthorization();
      assertEquals(401, get(client, v2(r), wrong).statusCode());
      assertEquals("alice", r.credentials().username());
      assertEquals(200, get(client, v2(r), r.credentials().basicAuthorization()).statusCode());
      assertFalse(r.credentials().toString().contains("s3cr:et"), "toString hides the password");
    }
  }

  @Test
  void tlsIsReachableOnlyWhenTrustingTheCa() throws Exception {
    RegistryExtension.assumeInstalled(Mode.TLS);
    try (TestRegistry r = TestRegistry.start(Mode.TLS)) {
      assertEquals("https", r.url().getScheme());
      assertTrue(Files.readString(r.caCertificate()).contains("BEGIN CERTIFICATE"));
      var server = Pki.readCertificate(r.caCertificate().resolveSibling("server.pem"));
      assertEquals(
          "[[7, 127.0.0.1], [2, localhost]]", String.valueOf(server.getSubjectAlternativeNames()));
      HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      IOException e = assertThrows(IOException.class, () -> get(untrusting, v2(r), null));
      assertTrue(causedBy(e, SSLException.class), "handshake must fail without the CA: " + e);
      assertEquals(200, get(r.httpClientBuilder().build(), v2(r), null).statusCode());
      HttpClient fromPem =
          HttpClient.newBuilder().sslContext(Pki.trusting(r.caCertificate())).build();
      assertEquals(200, get(fromPem, v2(r), null).statusCode());
    }
  }

  @Test
  void tlsWithBasicAuth() throws Exception {
    RegistryExtension.assumeInstalled(Mode.TLS_BASIC);
    try (TestRegistry r = TestRegistry.start(Mode.TLS_BASIC)) {
      HttpClient client = r.httpClientBuilder().build();
      assertEquals(401, get(client, v2(r), null).statusCode());
      assertEquals(200, get(client, v2(r), r.credentials().basicAuthorization()).statusCode());
    }
  }

  @Test
  void customBinaryThatIsMissingFailsWithAClearMessage() {
    String old = System.getProperty(TestRegistry.BINARY_PROPERTY);
    System.setProperty(TestRegistry.BINARY_PROPERTY, "/nonexistent/docker-registry");
    try {
      assertFalse(TestRegistry.isInstalled(Mode.PLAIN));
      IOException e = assertThrows(IOException.class, () -> TestRegistry.start(Mode.PLAIN));
      assertTrue(e.getMessage().contains("/nonexistent/docker-registry"), e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty(TestRegistry.BINARY_PROPERTY);
      } else {
        System.setProperty(TestRegistry.BINARY_PROPERTY, old);
      }
    }
  }

  @Test
  void optionsRejectNonsense() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TestRegistry.Options.of(Mode.BEARER).withTokenLifetime(Duration.ofMillis(10)));
    assertThrows(IllegalArgumentException.class, () -> new TestRegistry.Credentials("a:b", "x"));
  }

  static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
