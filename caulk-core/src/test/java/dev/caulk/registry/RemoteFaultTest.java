package dev.caulk.registry;

import static dev.caulk.registry.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.DigestMismatchException;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.name.Reference;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RegistryTest(TestRegistry.Mode.PLAIN)
class RemoteFaultTest {
  @TempDir Path tmp;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private RegistryOptions opts() {
    return RegistryOptions.defaults()
        .withChunkSize(MIB)
        .withListener(events::add)
        .withRetries(4, Duration.ofMillis(20), Duration.ofSeconds(5));
  }

  private long warnings() {
    return events.stream()
        .filter(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN)
        .count();
  }

  @Test
  void serverErrorsOnPatchAndPutAreRetriedAndThePushIsComplete(TestRegistry registry)
      throws IOException {
    Image img = TestImages.image(tmp, 30, 3 * MIB, 40_000);
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.failNext("PATCH", "/v2/faulty/blobs/uploads/", 2, 503);
      proxy.failNext("PUT", "/v2/faulty/blobs/uploads/", 2, 503);
      proxy.failNext("PUT", "/v2/faulty/manifests/", 1, 502);
      Reference ref = Reference.parse(proxy.host() + "/faulty:v1");
      assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, opts().withParallelism(1)));
      assertEquals(0, proxy.pendingFaults());
      assertTrue(
          proxy.count("POST", "/v2/faulty/blobs/uploads/") >= 3 + 4,
          "each failed upload restarts with a new session");
      TestImages.assertSameImage(
          img, Remote.open(Reference.parse(registry.host() + "/faulty:v1"), opts()).image());
    }
    assertTrue(warnings() >= 5, "each retry is reported");
  }

  @Test
  void connectionsDroppedMidUploadAreRetried(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 31, 3 * MIB, 300_000);
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.dropConnectionMidBody("PATCH", "/v2/dropped/blobs/uploads/", 1, 200_000);
      proxy.dropConnectionMidBody("PUT", "/v2/dropped/blobs/uploads/", 1, 100_000);
      proxy.dropConnectionMidBody("GET", "/v2/dropped/manifests/", 1, 10);
      Reference ref = Reference.parse(proxy.host() + "/dropped:v1");
      assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, opts()));
      Artifact pulled = Remote.open(ref, opts());
      assertEquals(0, proxy.pendingFaults());
      TestImages.assertSameImage(img, pulled.image());
    }
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 32, 2000);
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.throttleNext("PUT", "/v2/throttled/manifests/", 1, 1);
      proxy.throttleNext("POST", "/v2/throttled/blobs/uploads/", 1, 1);
      Reference ref = Reference.parse(proxy.host() + "/throttled:v1");
      long t0 = System.nanoTime();
      Remote.write(Artifact.of(img), ref, opts().withParallelism(1));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 2000, "two Retry-After: 1 waits, took " + ms + " ms");
      assertEquals(0, proxy.pendingFaults());
    }
  }

  @Test
  void retryBudgetEndsInATemporaryError(TestRegistry registry) throws IOException {
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.failNext("GET", "/v2/busy/manifests/", 10, 503);
      Reference ref = Reference.parse(proxy.host() + "/busy:v1");
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  Remote.open(
                      ref, opts().withRetries(2, Duration.ofMillis(1), Duration.ofMillis(5))));
      assertEquals(
          "UNAVAILABLE: injected by FaultProxy (" + proxy.host() + "/busy:v1)", e.getMessage());
      assertTrue(e.isTemporary());
      assertEquals(3, proxy.count("GET", "/v2/busy/manifests/v1"));
    }
  }

  @Test
  void corruptedBlobFromALyingServerIsADigestMismatch(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 33, 50_000);
    Reference ref = Reference.parse(registry.host() + "/lying:v1");
    Remote.write(Artifact.of(img), ref, opts());
    Layer layer = img.layers().get(0);
    try (CorruptingProxy proxy = new CorruptingProxy(registry.host())) {
      proxy.corrupt("/blobs/" + layer.digest());
      Image lied = Remote.open(Reference.parse(proxy.host() + "/lying:v1"), opts()).image();
      DigestMismatchException e =
          assertThrows(
              DigestMismatchException.class,
              () -> CorruptingProxy.readAll(lied.layers().get(0).compressed()));
      assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
      assertThrows(
          DigestMismatchException.class,
          () -> {
            try (InputStream in =
                RegistryClient.create(proxy.host(), opts()).getBlob("lying", layer.descriptor())) {
              in.readAllBytes();
            }
          });

      proxy.corrupt("/manifests/");
      DigestMismatchException m =
          assertThrows(
              DigestMismatchException.class,
              () -> Remote.open(Reference.parse(proxy.host() + "/lying@" + img.digest()), opts()));
      assertTrue(
          m.getMessage().startsWith(proxy.host() + "/lying@" + img.digest() + ": digest mismatch"),
          m.getMessage());
      DigestMismatchException byTag =
          assertThrows(
              DigestMismatchException.class,
              () -> Remote.open(Reference.parse(proxy.host() + "/lying:v1"), opts()));
      assertTrue(
          byTag.getMessage().contains("(Docker-Content-Digest): digest mismatch"),
          byTag.getMessage());
    }
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private List<String> warningTexts() {
    return events.stream()
        .filter(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN)
        .map(e -> ((Event.Log) e).message())
        .toList();
  }

  @Test
  void aRegistryThatDripsOneByteAtATimeFailsAtTheDeadline(TestRegistry registry)
      throws IOException {
    Image img = TestImages.image(tmp, 34, 2000);
    Remote.write(Artifact.of(img), Reference.parse(registry.host() + "/drip:v1"), opts());
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      // a byte every 50 ms never trips the 30 s idle timeout; the manifest response would take ~40
      // s
      proxy.dripNext("GET", "/v2/drip/manifests/", 10, Duration.ofMillis(50));
      long t0 = System.nanoTime();
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  Remote.open(
                      Reference.parse(proxy.host() + "/drip:v1"),
                      opts().withDeadline(Duration.ofMillis(1500))));
      long ms = millisSince(t0);
      assertTrue(ms < 5000, "took " + ms + " ms");
      assertTrue(
          e.getMessage().contains("did not finish GET within the 1.5 s deadline"), e.getMessage());
      assertTrue(e.getMessage().contains("--deadline"), e.getMessage());
      assertTrue(!e.isTemporary());
      assertEquals(1, proxy.count("GET", "/v2/drip/manifests/"), "a deadline is not retried");
    }
  }

  @Test
  void aBlobThatDripsFailsAtItsDeadlineWhileItIsRead(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 35, 50_000);
    Remote.write(Artifact.of(img), Reference.parse(registry.host() + "/dripblob:v1"), opts());
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      Image remote =
          Remote.open(
                  Reference.parse(proxy.host() + "/dripblob:v1"),
                  opts().withDeadline(Duration.ofMillis(1500)))
              .image();
      proxy.dripNext("GET", "/blobs/" + img.layers().get(0).digest(), 10, Duration.ofMillis(5));
      long t0 = System.nanoTime();
      IOException e =
          assertThrows(
              IOException.class,
              () -> CorruptingProxy.readAll(remote.layers().get(0).compressed()));
      long ms = millisSince(t0);
      assertTrue(ms < 5000, "took " + ms + " ms");
      assertTrue(
          String.valueOf(e.getMessage()).contains("deadline"), String.valueOf(e.getMessage()));
    }
  }

  @Test
  void aStalledResponseTripsTheIdleTimeoutAndTheDeadlineBoundsTheRetries(TestRegistry registry)
      throws IOException {
    Image img = TestImages.image(tmp, 36, 2000);
    Remote.write(Artifact.of(img), Reference.parse(registry.host() + "/stall:v1"), opts());
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.stallMidBody("GET", "/v2/stall/manifests/", 1, 10, Duration.ofSeconds(60));
      long t0 = System.nanoTime();
      Artifact a =
          Remote.open(
              Reference.parse(proxy.host() + "/stall:v1"),
              opts().withTimeout(Duration.ofMillis(500)));
      assertEquals(img.digest(), a.digest());
      assertTrue(millisSince(t0) < 5000, "one stall costs one idle timeout");
      assertTrue(
          warningTexts().stream()
              .anyMatch(w -> w.startsWith("retrying GET") && w.contains("timeout")),
          warningTexts().toString());

      proxy.stallMidBody("GET", "/v2/stall/manifests/", 100, 10, Duration.ofSeconds(60));
      t0 = System.nanoTime();
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  Remote.open(
                      Reference.parse(proxy.host() + "/stall:v1"),
                      opts()
                          .withTimeout(Duration.ofMillis(400))
                          .withRetries(100, Duration.ofMillis(10), Duration.ofMillis(20))
                          .withDeadline(Duration.ofMillis(1500))));
      long ms = millisSince(t0);
      assertTrue(ms < 4000, "took " + ms + " ms");
      assertTrue(e.getMessage().contains("1.5 s deadline"), e.getMessage());
    }
  }

  @Test
  void aHugeRetryAfterIsCappedAndEachWaitIsLogged(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 37, 2000);
    Remote.write(Artifact.of(img), Reference.parse(registry.host() + "/later:v1"), opts());
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.failNext("GET", "/v2/later/manifests/", 2, 503, Map.of("Retry-After", "99999"));
      long t0 = System.nanoTime();
      Artifact a =
          Remote.open(
              Reference.parse(proxy.host() + "/later:v1"),
              opts().withRetries(4, Duration.ofMillis(10), Duration.ofMillis(700)));
      long ms = millisSince(t0);
      assertEquals(img.digest(), a.digest());
      assertTrue(ms >= 1400 && ms < 5000, "two waits capped at 700 ms, took " + ms + " ms");
      List<String> waits = warningTexts().stream().filter(w -> w.contains("Retry-After")).toList();
      assertEquals(2, waits.size(), warningTexts().toString());
      assertTrue(
          waits
              .get(0)
              .contains(
                  "after HTTP 503 (Retry-After 99999.0 s, capped at 700 ms) in 700 ms (retry 1 of 4)"),
          waits.get(0));

      // a wait that would end past the deadline ends the request at once
      proxy.failNext("GET", "/v2/later/manifests/", 10, 503, Map.of("Retry-After", "99999"));
      t0 = System.nanoTime();
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  Remote.open(
                      Reference.parse(proxy.host() + "/later:v1"),
                      opts()
                          .withRetries(4, Duration.ofMillis(10), Duration.ofSeconds(60))
                          .withDeadline(Duration.ofSeconds(2))));
      assertTrue(millisSince(t0) < 1500, "took " + millisSince(t0) + " ms");
      assertTrue(
          e.getMessage()
              .contains("gave up on GET after HTTP 503 (Retry-After 99999.0 s, capped at 60.0 s)"),
          e.getMessage());
      assertTrue(e.getMessage().contains("2.0 s deadline"), e.getMessage());
    }
  }

  @Test
  void anOversizedResponseHeadAndA431AreNotRetried(TestRegistry registry) throws IOException {
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.failNext(
          "GET", "/v2/bighead/manifests/", 10, 503, Map.of("X-Padding", "a".repeat(500_000)));
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> Remote.open(Reference.parse(proxy.host() + "/bighead:v1"), opts()));
      // HttpURLConnection itself sends a request again once when a reused connection fails; caulk
      // never does
      assertTrue(
          proxy.count("GET", "/v2/bighead/manifests/") <= 2,
          "Header size too big is permanent: " + proxy.count("GET", "/v2/bighead/"));
      assertEquals(List.of(), warningTexts());
      assertTrue(
          e.getMessage().contains("response head larger than caulk accepts"), e.getMessage());
      assertTrue(!e.isTemporary());

      proxy.reset();
      proxy.failNext("GET", "/v2/big431/manifests/", 10, 431);
      RegistryException h =
          assertThrows(
              RegistryException.class,
              () -> Remote.open(Reference.parse(proxy.host() + "/big431:v1"), opts()));
      assertEquals(1, proxy.count("GET", "/v2/big431/manifests/"));
      assertEquals(List.of(), warningTexts());
      assertEquals(431, h.status());
      assertTrue(!h.isTemporary());
    }
  }
}
