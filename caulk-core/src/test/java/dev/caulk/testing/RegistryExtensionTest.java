package dev.caulk.testing;

import static dev.caulk.testing.TestRegistryTest.get;
import static dev.caulk.testing.TestRegistryTest.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.caulk.testing.TestRegistry.Mode;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * {@link RegistryTest}: one registry per class, injected everywhere, shared with nested classes.
 */
@RegistryTest(Mode.BASIC)
class RegistryExtensionTest {
  private static TestRegistry fromBeforeAll;

  @BeforeAll
  static void remember(TestRegistry registry) {
    fromBeforeAll = registry;
  }

  @Test
  void injectsTheClassRegistry(TestRegistry registry) throws Exception {
    assertSame(fromBeforeAll, registry);
    assertEquals(Mode.BASIC, registry.mode());
    assertEquals(401, get(registry.httpClientBuilder().build(), v2(registry), null).statusCode());
  }

  @Nested
  class Inner {
    @Test
    void sharesTheOuterRegistry(TestRegistry registry) {
      assertSame(fromBeforeAll, registry);
    }
  }

  /**
   * Drives the callbacks by hand to see the stop in afterAll, which a test inside the class cannot
   * observe.
   */
  @Test
  void startsInBeforeAllAndStopsInAfterAllOfTheOwningClassOnly() throws Exception {
    RegistryExtension ext = RegistryExtension.of(Mode.PLAIN);
    assertThrows(IllegalStateException.class, ext::registry);
    ExtensionContext outer = context("[class:Outer]");
    ExtensionContext nested = context("[class:Outer]/[nested-class:Inner]");
    ext.beforeAll(outer);
    TestRegistry r = ext.registry();
    ext.beforeAll(nested);
    assertSame(r, ext.registry(), "nested classes reuse the registry");
    ext.afterAll(nested);
    assertEquals(
        200, get(r.httpClientBuilder().build(), v2(r), null).statusCode(), "still running");
    int port = r.port();
    ext.afterAll(outer);
    assertThrows(IllegalStateException.class, ext::registry);
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  @Test
  void missingBinarySkipsLocallyAndFailsInCi() {
    String old = System.getProperty(TestRegistry.BINARY_PROPERTY);
    System.setProperty(TestRegistry.BINARY_PROPERTY, "/nonexistent/docker-registry");
    try {
      Class<? extends Throwable> expected =
          "true".equals(System.getenv("CI"))
              ? AssertionFailedError.class
              : TestAbortedException.class;
      assertThrows(expected, () -> RegistryExtension.assumeInstalled(Mode.PLAIN));
    } finally {
      if (old == null) {
        System.clearProperty(TestRegistry.BINARY_PROPERTY);
      } else {
        System.setProperty(TestRegistry.BINARY_PROPERTY, old);
      }
    }
  }

  private static ExtensionContext context(String uniqueId) {
    return (ExtensionContext)
        Proxy.newProxyInstance(
            RegistryExtensionTest.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getUniqueId" -> uniqueId;
                  case "getRequiredTestClass" -> RegistryExtensionTest.class;
                  case "toString" -> "ExtensionContext[" + uniqueId + "]";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
