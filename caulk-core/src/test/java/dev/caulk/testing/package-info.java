/**
 * The shared test harness of caulk, shipped in caulk-core's test-jar for caulk-cli's tests and the
 * benchmarks.
 *
 * <ul>
 *   <li>{@link dev.caulk.testing.TestRegistry}: Debian's real {@code docker-registry} on a free
 *       loopback port, plain, Basic, TLS (throwaway CA) or Bearer (in-process token server);
 *   <li>{@link dev.caulk.testing.RegistryTest} / {@link dev.caulk.testing.RegistryExtension}: one
 *       registry per JUnit test class, skipped when the binary is missing except under {@code
 *       CI=true};
 *   <li>{@link dev.caulk.testing.FaultProxy}: a streaming HTTP/1.1 proxy that injects failures,
 *       drops and delays;
 *   <li>{@link dev.caulk.testing.ImageFixtures}: deterministic bytes, tar and gzip content.
 * </ul>
 *
 * <p>It depends on the JDK, JUnit 5 and commons-compress only, never on caulk's production classes,
 * so it can test them without bias. See docs/testing.md.
 */
package dev.caulk.testing;
