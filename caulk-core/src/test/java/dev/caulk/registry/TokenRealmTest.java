package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.auth.Credential;
import dev.caulk.auth.Keychains;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.name.Reference;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where credentials may go, with the real registry and its token server (a plain-HTTP realm at
 * {@code http://127.0.0.1:PORT/token}): to the realm on the machine of a loopback registry, yes; to
 * a plain-HTTP realm on any other host, never.
 */
class TokenRealmTest {
  @RegisterExtension
  static final RegistryExtension BEARER =
      RegistryExtension.of(
          TestRegistry.Options.of(TestRegistry.Mode.BEARER).withAnonymousPull(true));

  @TempDir Path tmp;

  private static RegistryOptions withCredentials(TestRegistry r, String registry) {
    Credential c = Credential.basic(r.credentials().username(), r.credentials().password());
    return RegistryOptions.defaults().withKeychain(Keychains.fixed(registry, c));
  }

  @Test
  void aPlainHttpRealmOnTheLoopbackRegistrysMachineGetsTheCredentials() throws IOException {
    TestRegistry r = BEARER.registry();
    Image img = TestImages.image(tmp, 80, 1000);
    Reference ref = Reference.parse(r.host() + "/realm/app:v1");
    assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, withCredentials(r, r.host())));
    assertTrue(
        r.tokenRequests().stream().anyMatch(t -> r.credentials().username().equals(t.username())),
        r.tokenRequests().toString());
  }

  @Test
  void aPlainHttpRealmOnAnotherHostNeverSeesThem() throws IOException {
    TestRegistry r = BEARER.registry();
    Image img = TestImages.image(tmp, 81, 1000);
    Remote.write(
        Artifact.of(img),
        Reference.parse(r.host() + "/realm/other:v1"),
        withCredentials(r, r.host()));
    // the same registry named localhost: its realm, 127.0.0.1, is another host, over plain HTTP
    String other = "localhost:" + r.port();
    int before = r.tokenRequestCount();
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () ->
                Remote.open(Reference.parse(other + "/realm/other:v1"), withCredentials(r, other)));
    assertEquals(
        "token server of registry "
            + other
            + " (127.0.0.1:"
            + r.tokenRealm().getPort()
            + ") is plain HTTP on another host; refusing to send credentials to it",
        e.getMessage());
    assertFalse(e.isTemporary());
    assertEquals(before, r.tokenRequestCount(), "no token request was made");

    // without credentials there is nothing to protect: an anonymous pull token is fetched
    assertEquals(
        img.digest(),
        Remote.open(Reference.parse(other + "/realm/other:v1"), RegistryOptions.defaults())
            .digest());
    assertEquals(before + 1, r.tokenRequestCount());
  }
}
