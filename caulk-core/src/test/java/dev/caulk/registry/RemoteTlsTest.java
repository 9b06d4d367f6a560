package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RemoteTlsTest {
  @RegisterExtension
  static final RegistryExtension TLS = RegistryExtension.of(TestRegistry.Mode.TLS_BASIC);

  @RegisterExtension
  static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  @RegisterExtension
  static final RegistryExtension TLS_BEARER = RegistryExtension.of(TestRegistry.Mode.TLS_BEARER);

  @TempDir Path tmp;

  private static RegistryOptions opts(TestRegistry r) {
    return RegistryOptions.defaults()
        .withKeychain(
            Keychains.fixed(
                r.host(), Credential.basic(r.credentials().username(), r.credentials().password())))
        .withRetries(3, Duration.ofMillis(10), Duration.ofSeconds(1));
  }

  @Test
  void trustedThroughTheCaFile() throws IOException {
    TestRegistry r = TLS.registry();
    Image img = TestImages.image(tmp, 20, 5000);
    Reference ref = Reference.parse(r.host() + "/tls/app:v1");
    RegistryOptions o =
        opts(r).withTlsHosts(Set.of(r.host())).withCaCertificates(r.caCertificate());
    assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, o));
    TestImages.assertSameImage(img, Remote.open(ref, o).image());
  }

  /**
   * A loopback registry is spoken to in plain HTTP unless told: when it is a TLS server, the error
   * says what to add.
   */
  @Test
  void plainHttpToATlsRegistryHintsAtTlsVerify() {
    TestRegistry r = TLS.registry();
    Reference ref = Reference.parse(r.host() + "/tls/app:v1");
    long t0 = System.nanoTime();
    RegistryException e = assertThrows(RegistryException.class, () -> Remote.open(ref, opts(r)));
    assertTrue(
        e.getMessage()
            .startsWith(
                "the registry speaks HTTPS, and this request was plain HTTP: add --tls-verify=true"),
        e.getMessage());
    assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "not retried");
  }

  @Test
  void unknownCaIsAClearErrorAndNotRetried() {
    TestRegistry r = TLS.registry();
    Reference ref = Reference.parse(r.host() + "/tls/app:v1");
    long t0 = System.nanoTime();
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () -> Remote.open(ref, opts(r).withTlsHosts(Set.of(r.host()))));
    assertEquals(
        "TLS certificate of registry "
            + r.host()
            + " is not trusted (unknown certificate authority); "
            + "add its CA certificate, or use --tls-verify=false",
        e.getMessage());
    assertEquals(0, e.status());
    assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "a TLS failure is not retried");
  }

  @Test
  void tlsVerifyFalseTrustsAnyCertificate() throws IOException {
    TestRegistry r = TLS.registry();
    Image img = TestImages.image(tmp, 21, 6000);
    Reference ref = Reference.parse(r.host() + "/tls/insecure:v1");
    RegistryOptions o = opts(r).withInsecureHosts(Set.of(r.host()));
    assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, o));
    TestImages.assertSameImage(img, Remote.open(ref, o).image());
  }

  @Test
  void tlsVerifyFalseWithBearerTokens() throws IOException {
    TestRegistry r = TLS_BEARER.registry();
    Image img = TestImages.image(tmp, 23, 4000);
    Reference ref = Reference.parse(r.host() + "/tls/bearer:v1");
    RegistryOptions o = opts(r).withInsecureHosts(Set.of(r.host()));
    assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, o));
    TestImages.assertSameImage(img, Remote.open(ref, o).image());
    RegistryOptions verified =
        opts(r).withTlsHosts(Set.of(r.host())).withCaCertificates(r.caCertificate());
    TestImages.assertSameImage(img, Remote.open(ref, verified).image());
  }

  @Test
  void insecureHostFallsBackToPlainHttp() throws IOException {
    TestRegistry r = PLAIN.registry();
    Image img = TestImages.image(tmp, 22, 7000);
    Reference ref = Reference.parse(r.host() + "/fallback:v1");
    RegistryOptions o = RegistryOptions.defaults().withInsecureHosts(Set.of(r.host()));
    assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, o));
    TestImages.assertSameImage(img, Remote.open(ref, o).image());
  }

  @Test
  void unreadableCaFileIsAClearError() throws IOException {
    Path bad = Files.writeString(tmp.resolve("bad.pem"), "not a certificate");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                RegistryClient.create(
                    "example.com", RegistryOptions.defaults().withCaCertificates(bad)));
    assertTrue(
        e.getMessage().startsWith("cannot read CA certificates from " + bad), e.getMessage());
  }
}
