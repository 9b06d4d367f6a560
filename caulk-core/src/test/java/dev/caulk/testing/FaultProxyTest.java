package dev.caulk.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultProxy} in front of the real registry: verbatim forwarding, and each kind of fault.
 */
@RegistryTest
class FaultProxyTest {
  private FaultProxy proxy;
  private HttpClient client;

  @BeforeEach
  void startProxy(TestRegistry registry) throws IOException {
    proxy = FaultProxy.start(registry);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private HttpResponse<String> send(String method, String uri, HttpRequest.BodyPublisher body)
      throws Exception {
    URI u = uri.startsWith("http") ? URI.create(uri) : URI.create(proxy.url() + uri);
    return client.send(
        HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(20)).method(method, body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String withDigest(String location, byte[] blob) {
    return location + (location.contains("?") ? "&" : "?") + "digest=" + ImageFixtures.sha256(blob);
  }

  private String startUpload(String repo) throws Exception {
    HttpResponse<String> r =
        send("POST", "/v2/" + repo + "/blobs/uploads/", HttpRequest.BodyPublishers.noBody());
    assertEquals(202, r.statusCode(), r.body());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith(proxy.url() + "/v2/" + repo + "/blobs/uploads/"), location);
    return location;
  }

  private byte[] getBlob(String repo, byte[] blob) throws Exception {
    HttpResponse<byte[]> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        proxy.url() + "/v2/" + repo + "/blobs/" + ImageFixtures.sha256(blob)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  @Test
  void forwardsAMonolithicUploadAndKeepsTheConnectionAlive() throws Exception {
    byte[] blob = ImageFixtures.randomBytes(1, 300_000);
    String location = startUpload("proxy/mono");
    HttpResponse<String> put =
        send("PUT", withDigest(location, blob), HttpRequest.BodyPublishers.ofByteArray(blob));
    assertEquals(201, put.statusCode(), put.body());
    assertArrayEquals(blob, getBlob("proxy/mono", blob));
    HttpResponse<String> head =
        send(
            "HEAD",
            "/v2/proxy/mono/blobs/" + ImageFixtures.sha256(blob),
            HttpRequest.BodyPublishers.noBody());
    assertEquals("300000", head.headers().firstValue("Content-Length").orElse(""));

    assertEquals(1, proxy.count("POST", "/blobs/uploads/$"));
    assertEquals(1, proxy.count("PUT", "/blobs/uploads/"));
    assertEquals(4, proxy.count("*", "^/v2/"));
    assertEquals(1, proxy.connectionsAccepted(), "one kept-alive connection for four requests");
  }

  @Test
  void streamsAChunkedPatch() throws Exception {
    byte[] blob = ImageFixtures.randomBytes(2, 2 * 1024 * 1024 + 17);
    String location = startUpload("proxy/chunked");
    // ofInputStream has no known length, so the client sends Transfer-Encoding: chunked.
    HttpResponse<String> patch =
        send(
            "PATCH",
            location,
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob)));
    assertEquals(202, patch.statusCode(), patch.body());
    assertEquals("0-" + (blob.length - 1), patch.headers().firstValue("Range").orElse(""));
    String next = patch.headers().firstValue("Location").orElseThrow();
    assertEquals(
        201, send("PUT", withDigest(next, blob), HttpRequest.BodyPublishers.noBody()).statusCode());
    assertArrayEquals(blob, getBlob("proxy/chunked", blob));
  }

  @Test
  void injectsFailuresThenForwards() throws Exception {
    proxy.failNext("GET", "^/v2/$", 2, 503);
    HttpResponse<String> first = send("GET", "/v2/", HttpRequest.BodyPublishers.noBody());
    assertEquals(503, first.statusCode());
    assertTrue(first.body().contains("UNAVAILABLE"));
    assertEquals(503, send("GET", "/v2/", HttpRequest.BodyPublishers.noBody()).statusCode());
    assertEquals(200, send("GET", "/v2/", HttpRequest.BodyPublishers.noBody()).statusCode());
    assertEquals(3, proxy.count("GET", "^/v2/$"));
    assertEquals(0, proxy.pendingFaults());

    proxy.throttleNext("*", "/v2/", 1, 7);
    HttpResponse<String> throttled = send("GET", "/v2/", HttpRequest.BodyPublishers.noBody());
    assertEquals(429, throttled.statusCode());
    assertEquals("7", throttled.headers().firstValue("Retry-After").orElse(""));
    assertEquals(1, proxy.connectionsAccepted(), "faults keep the connection alive");
  }

  @Test
  void failedPutDrainsTheBodySoTheRetrySucceeds() throws Exception {
    byte[] blob = ImageFixtures.randomBytes(3, 100_000);
    String location = startUpload("proxy/retry");
    proxy.failNext("PUT", "/blobs/uploads/", 1, 500);
    String target = withDigest(location, blob);
    assertEquals(
        500, send("PUT", target, HttpRequest.BodyPublishers.ofByteArray(blob)).statusCode());
    assertEquals(
        201, send("PUT", target, HttpRequest.BodyPublishers.ofByteArray(blob)).statusCode());
    assertArrayEquals(blob, getBlob("proxy/retry", blob));
  }

  @Test
  void dropsAnUploadMidBody() throws Exception {
    byte[] blob = ImageFixtures.randomBytes(4, 1_000_000);
    String location = startUpload("proxy/drop");
    proxy.dropConnectionMidBody("PUT", "/blobs/uploads/", 10_000);
    String target = withDigest(location, blob);
    assertThrows(
        IOException.class, () -> send("PUT", target, HttpRequest.BodyPublishers.ofByteArray(blob)));
    // Never forwarded: the upload session is intact and a retry completes it.
    assertEquals(
        201, send("PUT", target, HttpRequest.BodyPublishers.ofByteArray(blob)).statusCode());
    assertEquals(2, proxy.count("PUT", "/blobs/uploads/"));
  }

  @Test
  void dropsADownloadAfterTheGivenBytes() throws Exception {
    byte[] blob = ImageFixtures.randomBytes(5, 500_000);
    String location = startUpload("proxy/get");
    assertEquals(
        201,
        send("PUT", withDigest(location, blob), HttpRequest.BodyPublishers.ofByteArray(blob))
            .statusCode());
    proxy.dropConnectionMidBody("GET", "/blobs/sha256:", 4096);
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(proxy.url() + "/v2/proxy/get/blobs/" + ImageFixtures.sha256(blob)))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    long[] received = {0};
    try (InputStream in = r.body()) {
      byte[] buf = new byte[8192];
      assertThrows(
          IOException.class,
          () -> {
            for (int n; (n = in.read(buf)) >= 0; ) {
              received[0] += n;
            }
          });
    }
    assertEquals(4096, received[0], "exactly the allowed bytes arrive before the drop");
    assertArrayEquals(blob, getBlob("proxy/get", blob), "the next GET is whole again");
  }

  @Test
  void concurrentRequestsShareTheFaultsExactly() throws Exception {
    proxy.failNext("GET", "^/v2/$", 5, 503);
    var futures =
        new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<Void>>>();
    for (int i = 0; i < 20; i++) {
      futures.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(proxy.url() + "/v2/")).build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    int failed = 0;
    for (var f : futures) {
      int status = f.get(20, java.util.concurrent.TimeUnit.SECONDS).statusCode();
      assertTrue(status == 200 || status == 503, "status " + status);
      failed += status == 503 ? 1 : 0;
    }
    assertEquals(5, failed);
    assertEquals(20, proxy.count("GET", "^/v2/$"));
    assertEquals(20, proxy.requests().size());
  }

  @Test
  void delaysARequest() throws Exception {
    proxy.delayNext("GET", "^/v2/$", 1, Duration.ofMillis(300));
    long start = System.nanoTime();
    assertEquals(200, send("GET", "/v2/", HttpRequest.BodyPublishers.noBody()).statusCode());
    assertTrue(System.nanoTime() - start >= 300_000_000L);
  }

  @Test
  void rawChunkedRequestsExpectContinueAndLocationRewrite(TestRegistry registry) throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      // Host names the upstream, so the registry builds a Location pointing at it: the proxy must
      // rewrite it.
      out.write(
          ("POST /v2/proxy/raw/blobs/uploads/ HTTP/1.1\r\nHost: "
                  + registry.host()
                  + "\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      Http1.Head resp = Http1.readHead(in);
      assertEquals(202, resp.status());
      String location = resp.get("Location");
      assertTrue(location.startsWith(proxy.url() + "/v2/proxy/raw/blobs/uploads/"), location);
      Http1.copyBody(in, null, resp.responseFraming("POST"), resp.contentLength(), Long.MAX_VALUE);

      String path = URI.create(location).getRawPath() + "?" + URI.create(location).getRawQuery();
      out.write(
          ("PATCH "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + proxy.host()
                  + "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n"
                  + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      resp = Http1.readHead(in);
      assertEquals(202, resp.status());
      assertEquals("0-10", resp.get("Range"));
      Http1.copyBody(in, null, resp.responseFraming("PATCH"), resp.contentLength(), Long.MAX_VALUE);

      URI next = URI.create(resp.get("Location"));
      byte[] blob = "hello world!".getBytes(StandardCharsets.US_ASCII);
      out.write(
          ("PUT "
                  + next.getRawPath()
                  + "?"
                  + next.getRawQuery()
                  + "&digest="
                  + ImageFixtures.sha256(blob)
                  + " HTTP/1.1\r\nHost: "
                  + proxy.host()
                  + "\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      assertEquals(100, Http1.readHead(in).status(), "the proxy answers Expect itself");
      out.write('!');
      resp = Http1.readHead(in);
      assertEquals(201, resp.status());
      Http1.copyBody(in, null, resp.responseFraming("PUT"), resp.contentLength(), Long.MAX_VALUE);
      assertEquals(1, proxy.connectionsAccepted());
    }
  }

  @Test
  void closeStopsListening() throws Exception {
    int port = proxy.port();
    proxy.close();
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }
}
