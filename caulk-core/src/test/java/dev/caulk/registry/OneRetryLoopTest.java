package dev.caulk.registry;

import static dev.caulk.registry.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.name.Reference;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly one retry loop per request, through the fault proxy in front of the real registry: a
 * request that keeps failing, whichever way, runs at most {@code retries + 1} times in all.
 * (Before, a fetch retried around a send that retried too, (retries + 1)^2 times, and a blob upload
 * retried around requests that each retried.)
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class OneRetryLoopTest {
  private static final int RETRIES = 2;
  @TempDir Path tmp;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private RegistryOptions opts() {
    return RegistryOptions.defaults()
        .withListener(events::add)
        .withChunkSize(MIB)
        .withRetries(RETRIES, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  private long retryWarnings() {
    return events.stream()
        .filter(
            e ->
                e instanceof Event.Log l
                    && l.level() == Event.Level.WARN
                    && l.message().startsWith("retrying "))
        .count();
  }

  @Test
  void aManifestThatFailsBeforeAndDuringItsBodyRunsRetriesPlusOneTimes(TestRegistry registry)
      throws IOException {
    Image img = TestImages.image(tmp, 60, 2000);
    Remote.write(Artifact.of(img), Reference.parse(registry.host() + "/once/app:v1"), opts());
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      // per try of the old send: two 503s, then a response cut off mid-body (which the old fetch
      // retried)
      for (int i = 0; i <= RETRIES; i++) {
        proxy.failNext("GET", "/v2/once/app/manifests/", 2, 503);
        proxy.dropConnectionMidBody("GET", "/v2/once/app/manifests/", 1, 10);
      }
      Reference ref = Reference.parse(proxy.host() + "/once/app:v1");
      RegistryException e = assertThrows(RegistryException.class, () -> Remote.open(ref, opts()));
      assertTrue(e.isTemporary(), e.getMessage());
      assertEquals(
          RETRIES + 1,
          proxy.count("GET", "/v2/once/app/manifests/v1"),
          proxy.requests().toString());
      assertEquals(RETRIES, retryWarnings(), "each wait is logged once");
    }
  }

  @Test
  void aBodyThatBreaksOffEveryTimeRunsRetriesPlusOneTimes(TestRegistry registry)
      throws IOException {
    Image img = TestImages.image(tmp, 61, 2000);
    Remote.write(Artifact.of(img), Reference.parse(registry.host() + "/broken/app:v1"), opts());
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.dropConnectionMidBody("GET", "/v2/broken/app/manifests/", 10, 10);
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> Remote.open(Reference.parse(proxy.host() + "/broken/app:v1"), opts()));
      assertTrue(e.getMessage().startsWith("GET failed: "), e.getMessage());
      assertEquals(RETRIES + 1, proxy.count("GET", "/v2/broken/app/manifests/v1"));
    }
  }

  @Test
  void anUploadWhoseSessionNeverOpensRunsRetriesPlusOneTimes(TestRegistry registry)
      throws IOException {
    Image img = TestImages.image(tmp, 62, 5000);
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.failNext("POST", "/v2/upload/app/blobs/uploads/", 100, 503);
      Layer layer = img.layers().get(0);
      RegistryClient client = RegistryClient.create(proxy.host(), opts());
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> client.pushBlob("upload/app", layer.descriptor(), layer::compressed, null));
      assertEquals(503, e.status());
      // retries + 1, not (retries + 1)^2 as when both the POST and the upload around it retried
      assertEquals(
          RETRIES + 1,
          proxy.count("POST", "/v2/upload/app/blobs/uploads/"),
          proxy.requests().toString());
    }
  }

  @Test
  void anUploadThatFailsMidBodyIsRestartedWholeWithinTheSameBudget(TestRegistry registry)
      throws IOException {
    Image img = TestImages.image(tmp, 63, 300_000);
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      proxy.failNext("PUT", "/v2/restart/app/blobs/uploads/", 100, 502);
      Layer layer = img.layers().get(0);
      RegistryClient client = RegistryClient.create(proxy.host(), opts());
      assertThrows(
          RegistryException.class,
          () -> client.pushBlob("restart/app", layer.descriptor(), layer::compressed, null));
      assertEquals(RETRIES + 1, proxy.count("PUT", "/v2/restart/app/blobs/uploads/"));
      assertEquals(
          RETRIES + 1,
          proxy.count("POST", "/v2/restart/app/blobs/uploads/"),
          "a new session for each restart");
    }
  }
}
