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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RegistryTest(TestRegistry.Mode.PLAIN)
class RemoteFaultTest {
  @TempDir Path tmp;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private RegistryOptions opts() {
    return RegistryOptions.defaults().withChunkSize(MIB).withListener(events::add)
        .withRetries(4, Duration.ofMillis(20), Duration.ofSeconds(5));
  }

  private long warnings() {
    return events.stream().filter(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN).count();
  }

  @Test
  void serverErrorsOnPatchAndPutAreRetriedAndThePushIsComplete(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 30, 3 * MIB, 40_000);
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.failNext("PATCH", "/v2/faulty/blobs/uploads/", 2, 503);
      proxy.failNext("PUT", "/v2/faulty/blobs/uploads/", 2, 503);
      proxy.failNext("PUT", "/v2/faulty/manifests/", 1, 502);
      Reference ref = Reference.parse(proxy.host() + "/faulty:v1");
      assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, opts().withParallelism(1)));
      assertEquals(0, proxy.pendingFaults());
      assertTrue(proxy.count("POST", "/v2/faulty/blobs/uploads/") >= 3 + 4, "each failed upload restarts with a new session");
      TestImages.assertSameImage(img, Remote.open(Reference.parse(registry.host() + "/faulty:v1"), opts()).image());
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
      RegistryException e = assertThrows(RegistryException.class,
          () -> Remote.open(ref, opts().withRetries(2, Duration.ofMillis(1), Duration.ofMillis(5))));
      assertEquals("UNAVAILABLE: injected by FaultProxy (" + proxy.host() + "/busy:v1)", e.getMessage());
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
      DigestMismatchException e = assertThrows(DigestMismatchException.class,
          () -> CorruptingProxy.readAll(lied.layers().get(0).compressed()));
      assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
      assertThrows(DigestMismatchException.class, () -> {
        try (InputStream in = RegistryClient.create(proxy.host(), opts()).getBlob("lying", layer.descriptor())) {
          in.readAllBytes();
        }
      });

      proxy.corrupt("/manifests/");
      DigestMismatchException m = assertThrows(DigestMismatchException.class,
          () -> Remote.open(Reference.parse(proxy.host() + "/lying@" + img.digest()), opts()));
      assertTrue(m.getMessage().startsWith(proxy.host() + "/lying@" + img.digest() + ": digest mismatch"), m.getMessage());
      DigestMismatchException byTag = assertThrows(DigestMismatchException.class,
          () -> Remote.open(Reference.parse(proxy.host() + "/lying:v1"), opts()));
      assertTrue(byTag.getMessage().contains("(Docker-Content-Digest): digest mismatch"), byTag.getMessage());
    }
  }
}
