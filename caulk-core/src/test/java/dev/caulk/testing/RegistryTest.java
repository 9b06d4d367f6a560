package dev.caulk.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against one {@link TestRegistry} started before its first test and stopped
 * after its last; test methods, constructors and {@code @BeforeAll} methods get it as a {@code
 * TestRegistry} parameter. Without {@code /usr/bin/docker-registry} the class is skipped, unless
 * {@code CI=true}, where it fails.
 *
 * <pre>{@code
 * @RegistryTest(TestRegistry.Mode.BASIC)
 * class PushTest {
 *     @Test void pushes(TestRegistry registry) { ... registry.url() ... registry.credentials() ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RegistryExtension.class)
public @interface RegistryTest {
  /** The transport and auth mode; plain HTTP by default. */
  TestRegistry.Mode value() default TestRegistry.Mode.PLAIN;

  /** {@code expires_in} of tokens in Bearer modes, in seconds. */
  int tokenLifetimeSeconds() default 60;

  /** Whether the token server grants {@code pull} without credentials (Bearer modes). */
  boolean anonymousPull() default false;
}
