package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.testing.FaultProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * {@code --creds} on a command line that names two registries is a usage error (exit 2) before any
 * request: the password of one registry never reaches the other. Two proxies stand for the two
 * registries and count what they receive.
 */
class RegistryFlagsTest {
  private static final String PASSWORD = "only-for-the-destination-" + System.nanoTime();

  private static FaultProxy registry() throws IOException {
    return FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
  }

  @Test
  void credsWithASourceAndADestinationOnTwoRegistriesIsRefused() throws IOException {
    try (FaultProxy source = registry();
        FaultProxy destination = registry()) {
      Cli.Run r =
          Cli.run(
              "copy",
              "--creds",
              "user:" + PASSWORD,
              "docker://" + source.host() + "/app:1",
              "docker://" + destination.host() + "/app:1");
      assertEquals(2, r.exit(), r.toString());
      assertTrue(
          r.err().contains("--creds is for one registry, and this command reaches 2 (")
              && r.err().contains("--src-creds")
              && r.err().contains("--dest-creds"),
          r.err());
      assertFalse(r.err().contains(PASSWORD) || r.out().contains(PASSWORD), r.toString());
      assertEquals(0, source.requests().size(), "the source registry was not contacted");
      assertEquals(0, destination.requests().size(), "nor the destination");
    }
  }

  @Test
  void credsForTheOneRegistryNamedIsAccepted() throws IOException {
    try (FaultProxy only = registry()) {
      // the upstream refuses connections: the request is made (with --creds accepted), then fails
      // on I/O
      Cli.Run r =
          Cli.run(
              "digest",
              "--creds",
              "user:" + PASSWORD,
              "--retries",
              "0",
              "docker://" + only.host() + "/app:1");
      assertEquals(1, r.exit(), r.toString());
      assertFalse(r.err().contains("--creds is for one registry"), r.err());
      assertFalse(r.err().contains(PASSWORD), r.err());
      assertTrue(only.requests().size() >= 1, "the named registry was contacted");
    }
  }
}
