package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.caulk.auth.Credential;
import dev.caulk.auth.Keychains;
import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.event.Event;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour the real registry cannot show: Link pagination (distribution 2.8 has none), redirects
 * to a storage host, a registry that lies about digests or Location.
 */
class FakeRegistryTest {
  private HttpServer registry;
  private HttpServer storage;
  private final Map<String, String> storageAuth = new ConcurrentHashMap<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private static final String AUTH =
      "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString("u:hunter2".getBytes(StandardCharsets.UTF_8));

  @BeforeEach
  void start() throws IOException {
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/", this::registry);
    storage.createContext(
        "/",
        ex -> {
          storageAuth.put(
              ex.getRequestURI().getPath(),
              String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          send(ex, 200, Map.of(), "blob-bytes");
        });
    registry.start();
    storage.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    storage.stop(0);
  }

  private String host() {
    return "127.0.0.1:" + registry.getAddress().getPort();
  }

  private void registry(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String q = ex.getRequestURI().getRawQuery();
    if (!AUTH.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      send(
          ex,
          401,
          Map.of("WWW-Authenticate", "Basic realm=\"fake\""),
          "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
      return;
    }
    switch (path) {
      case "/v2/r/tags/list" -> {
        if (q == null)
          send(
              ex,
              200,
              Map.of("Link", "</v2/r/tags/list?last=b&n=2>; rel=\"next\""),
              "{\"name\":\"r\",\"tags\":[\"a\",\"b\"]}");
        else if (q.equals("last=b&n=2"))
          send(
              ex,
              200,
              Map.of("Link", "<http://" + host() + "/v2/r/tags/list?last=d&n=2>; rel=next"),
              "{\"tags\":[\"c\",\"d\"]}");
        else send(ex, 200, Map.of(), "{\"tags\":null}");
      }
      case "/v2/r/manifests/lie" ->
          send(
              ex,
              200,
              Map.of(
                  "Content-Type",
                  MediaType.OCI_MANIFEST,
                  "Docker-Content-Digest",
                  Digest.sha256("something else").toString()),
              "{\"schemaVersion\":2}");
      default -> {
        if (path.startsWith("/v2/r/blobs/sha256:")) {
          send(
              ex,
              307,
              Map.of(
                  "Location",
                  "http://localhost:"
                      + storage.getAddress().getPort()
                      + "/bucket/b?X-Amz-Signature=s3cr3t"),
              "");
        } else if (path.equals("/v2/r/blobs/uploads/")) {
          send(ex, 202, Map.of(), ""); // no Location: a broken registry
        } else {
          send(
              ex,
              404,
              Map.of(),
              "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}");
        }
      }
    }
  }

  private static void send(HttpExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    ex.getRequestBody().readAllBytes();
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) ex.getResponseBody().write(b);
    ex.close();
  }

  private RegistryClient client(String password) throws IOException {
    RegistryOptions o =
        RegistryOptions.defaults()
            .withListener(events::add)
            .withKeychain(Keychains.fixed(host(), Credential.basic("u", password)))
            .withRetries(1, Duration.ofMillis(1), Duration.ofMillis(10));
    return RegistryClient.create(host(), o);
  }

  @Test
  void tagsFollowLinkPagesRelativeAndAbsolute() throws IOException {
    assertEquals(List.of("a", "b", "c", "d"), client("hunter2").tags("r"));
  }

  @Test
  void redirectedBlobGetsNoCredentialsAndRedactedLogs() throws IOException {
    Digest d = Digest.sha256("blob-bytes");
    try (InputStream in =
        client("hunter2").getBlob("r", Descriptor.of(MediaType.OCI_LAYER, d, 10))) {
      assertEquals("blob-bytes", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(
        "null",
        storageAuth.get("/bucket/b"),
        "Authorization must not follow a redirect to another host");
    for (Event e : events) {
      assertFalse(e.toString().contains("s3cr3t"), e.toString());
      assertFalse(e.toString().contains("hunter2"), e.toString());
    }
  }

  @Test
  void wrongPasswordNamesTheRegistryOnly() throws IOException {
    RegistryException e =
        assertThrows(RegistryException.class, () -> client("wrong-pass").tags("r"));
    assertEquals("UNAUTHORIZED: authentication required (registry " + host() + ")", e.getMessage());
    assertEquals(401, e.status());
    assertFalse(e.url().contains("wrong-pass"));
  }

  @Test
  void lyingManifestDigestHeaderIsRefused() throws IOException {
    DigestMismatchException e =
        assertThrows(
            DigestMismatchException.class, () -> client("hunter2").getManifest("r", "lie"));
    assertTrue(
        e.getMessage().startsWith(host() + "/r:lie (Docker-Content-Digest): digest mismatch"),
        e.getMessage());
  }

  @Test
  void missingUploadLocationIsAClearError() throws IOException {
    byte[] b = "x".getBytes(StandardCharsets.UTF_8);
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () ->
                client("hunter2")
                    .pushBlob(
                        "r",
                        Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(b), 1),
                        () -> new java.io.ByteArrayInputStream(b),
                        null));
    assertEquals(
        "blob "
            + Digest.sha256(b).shortString()
            + " in "
            + host()
            + "/r: registry sent no upload Location",
        e.getMessage());
    assertNull(e.retryAfter());
  }
}
