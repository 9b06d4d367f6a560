package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.caulk.auth.Credential;
import dev.caulk.auth.Keychains;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.name.Reference;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients and their tokens belong to the caller's {@link RegistrySession}, never to the process.
 */
class RegistrySessionTest {
  @RegisterExtension
  static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  @RegisterExtension
  static final RegistryExtension BEARER = RegistryExtension.of(TestRegistry.Mode.BEARER);

  @TempDir Path tmp;

  private static RegistryOptions bearer(TestRegistry r) {
    Credential c = Credential.basic(r.credentials().username(), r.credentials().password());
    return RegistryOptions.defaults().withKeychain(Keychains.fixed(r.host(), c));
  }

  @Test
  void twoSessionsNeverShareATokenAndOneSessionReusesItsOwn() throws IOException {
    TestRegistry r = BEARER.registry();
    Image img = TestImages.image(tmp, 70, 1000);
    Reference ref = Reference.parse(r.host() + "/session/app:v1");
    RegistryOptions base = bearer(r);
    Remote.write(Artifact.of(img), ref, base);

    RegistrySession a = RegistrySession.create();
    RegistrySession b = RegistrySession.create();
    RegistryOptions inA = base.withSession(a);
    int before = r.tokenRequestCount();
    Remote.open(ref, inA).image().config();
    Remote.open(ref, inA).image().config();
    assertEquals(1, r.tokenRequestCount() - before, "one session: one token for both opens");
    assertSame(
        a.client(r.host(), inA),
        a.client(r.host(), base.withSession(a)),
        "equal options, one client");

    Remote.open(ref, base.withSession(b)).image().config();
    assertEquals(2, r.tokenRequestCount() - before, "another session asks for its own token");
    assertNotSame(a.client(r.host(), inA), b.client(r.host(), base.withSession(b)));

    Remote.open(ref, base).digest();
    assertEquals(
        3, r.tokenRequestCount() - before, "options without a session share nothing either");

    a.close();
    assertEquals(0, a.size());
    Remote.open(ref, inA).digest();
    assertEquals(4, r.tokenRequestCount() - before, "a closed session forgot its tokens");
  }

  @Test
  void pushingTwoImagesThroughOneSessionMountsTheSharedLayer() throws IOException {
    Image first = TestImages.image(tmp, 71, 40_000, 2000);
    Layer shared = first.layers().get(0);
    try (FaultProxy proxy = FaultProxy.start(PLAIN.registry())) {
      RegistryOptions opts =
          RegistryOptions.defaults().withParallelism(1).withSession(RegistrySession.create());
      Remote.write(Artifact.of(first), Reference.parse(proxy.host() + "/svc/one:v1"), opts);
      proxy.reset();
      Remote.write(Artifact.of(first), Reference.parse(proxy.host() + "/svc/two:v1"), opts);
      List<FaultProxy.SeenRequest> mounts =
          proxy.requests().stream()
              .filter(
                  q ->
                      q.method().equals("POST")
                          && q.target()
                              .contains("mount=" + shared.digest().toString().replace(":", "%3A"))
                          && q.target().contains("from=svc%2Fone"))
              .toList();
      assertEquals(
          1,
          mounts.size(),
          "the shared layer is mounted from the first repository: " + proxy.requests());
      for (Layer l : first.layers()) {
        String digest = "digest=" + l.digest().toString().replace(":", "%3A");
        assertEquals(
            0,
            proxy.requests().stream()
                .filter(q -> q.method().equals("PUT") && q.target().contains(digest))
                .count(),
            "no layer is uploaded again: " + proxy.requests());
      }

      proxy.reset();
      Remote.write(
          Artifact.of(first),
          Reference.parse(proxy.host() + "/svc/three:v1"),
          opts.withSession(RegistrySession.create()));
      assertEquals(
          0,
          proxy.requests().stream().filter(q -> q.target().contains("mount=")).count(),
          "a new session knows nothing of what the other pushed");
    }
  }
}
