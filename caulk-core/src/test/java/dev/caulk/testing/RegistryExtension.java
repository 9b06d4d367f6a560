package dev.caulk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension that owns one {@link TestRegistry} per test class: started in {@code
 * beforeAll}, closed in {@code afterAll}, shared with {@code @Nested} classes, and injected into
 * {@code TestRegistry} parameters.
 *
 * <p>Two ways to use it: annotate the class with {@link RegistryTest}, or register it in a static
 * field when the test needs the registry from a field or wants several modes (then read each
 * through {@link #registry()}; with more than one registered, do not ask for {@code TestRegistry}
 * parameters, JUnit cannot tell which one is meant):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RegistryExtension REGISTRY = RegistryExtension.of(TestRegistry.Mode.TLS);
 * }</pre>
 *
 * <p>When the registry binary (or openssl, for TLS and Bearer) is missing the class is skipped
 * through an assumption, except when the environment has {@code CI=true}: there a missing tool
 * fails the class, so a CI machine without the apt packages cannot pass by skipping everything.
 */
public final class RegistryExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {
  private final TestRegistry.Options fixed;
  private volatile TestRegistry registry;
  private volatile String ownerId;

  /** For {@link RegistryTest}: the options come from the annotation on the test class. */
  public RegistryExtension() {
    this.fixed = null;
  }

  private RegistryExtension(TestRegistry.Options options) {
    this.fixed = options;
  }

  /** An extension for a registry in {@code mode} with default options. */
  public static RegistryExtension of(TestRegistry.Mode mode) {
    return new RegistryExtension(TestRegistry.Options.of(mode));
  }

  /** An extension for a registry with the given options. */
  public static RegistryExtension of(TestRegistry.Options options) {
    return new RegistryExtension(options);
  }

  /**
   * The running registry.
   *
   * @throws IllegalStateException before {@code beforeAll} or after {@code afterAll}
   */
  public TestRegistry registry() {
    TestRegistry r = registry;
    if (r == null) {
      throw new IllegalStateException(
          "registry not running: register RegistryExtension in a static field");
    }
    return r;
  }

  /**
   * Skips the calling test (an assumption) when the tools for {@code mode} are missing, or fails it
   * when the environment variable {@code CI} is {@code true}. Use it before starting a {@link
   * TestRegistry} by hand.
   */
  public static void assumeInstalled(TestRegistry.Mode mode) {
    if (TestRegistry.isInstalled(mode)) {
      return;
    }
    String why =
        "docker-registry ("
            + TestRegistry.binary()
            + ")"
            + (mode.tls() || mode.auth() == TestRegistry.Auth.BEARER ? " or openssl" : "")
            + " not installed: apt-get install docker-registry apache2-utils openssl";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(why + " (required when CI=true)");
    }
    Assumptions.abort(why);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (registry != null) {
      return; // started for an enclosing class; @Nested classes share it
    }
    TestRegistry.Options options = fixed != null ? fixed : fromAnnotation(context);
    assumeInstalled(options.mode());
    try {
      registry = TestRegistry.start(options);
      ownerId = context.getUniqueId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (registry == null) {
      throw new ExtensionConfigurationException(
          "RegistryExtension must be registered on the class (static field or @RegistryTest)");
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (registry != null && context.getUniqueId().equals(ownerId)) {
      TestRegistry r = registry;
      registry = null;
      ownerId = null;
      r.close();
    }
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == TestRegistry.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return registry();
  }

  private static TestRegistry.Options fromAnnotation(ExtensionContext context) {
    Class<?> cls = context.getRequiredTestClass();
    RegistryTest ann = null;
    for (Class<?> c = cls; c != null && ann == null; c = c.getEnclosingClass()) {
      ann = AnnotationSupport.findAnnotation(c, RegistryTest.class).orElse(null);
    }
    if (ann == null) {
      return TestRegistry.Options.of(TestRegistry.Mode.PLAIN);
    }
    return TestRegistry.Options.of(ann.value())
        .withTokenLifetime(Duration.ofSeconds(ann.tokenLifetimeSeconds()))
        .withAnonymousPull(ann.anonymousPull());
  }
}
