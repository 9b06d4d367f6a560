package dev.caulk.testing;

import static dev.caulk.testing.TestRegistryTest.get;
import static dev.caulk.testing.TestRegistryTest.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.caulk.testing.TestRegistry.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Static-field registration: several registries in one class, each read through its field. */
class RegistryExtensionFieldTest {
  @RegisterExtension static final RegistryExtension PLAIN = RegistryExtension.of(Mode.PLAIN);

  @RegisterExtension
  static final RegistryExtension TLS =
      RegistryExtension.of(
          TestRegistry.Options.of(Mode.TLS_BEARER).withTokenLifetime(Duration.ofSeconds(2)));

  @Test
  void bothRunSideBySide() throws Exception {
    TestRegistry plain = PLAIN.registry();
    TestRegistry tls = TLS.registry();
    assertNotEquals(plain.port(), tls.port());
    assertEquals(200, get(plain.httpClientBuilder().build(), v2(plain), null).statusCode());
    assertEquals(401, get(tls.httpClientBuilder().build(), v2(tls), null).statusCode());
    assertEquals(Duration.ofSeconds(2), tls.options().tokenLifetime());
  }
}
