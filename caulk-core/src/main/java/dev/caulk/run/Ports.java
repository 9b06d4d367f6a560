package dev.caulk.run;

import dev.caulk.spec.ContainerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Port choices for probing. In its own network namespace a container's port is its own; with the
 * host's network, the port a service listens on inside is the port on 127.0.0.1 outside.
 */
public final class Ports {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern PORT_NUMBER =
      com.google.re2j.Pattern.compile("[0-9]{1,5}");

  private Ports() {}

  /**
   * The first TCP port of the config's {@code ExposedPorts} (config.md: keys {@code port/tcp},
   * {@code port/udp}, or a bare {@code port} meaning tcp), in the order the config lists them.
   */
  public static OptionalInt exposedTcpPort(ContainerConfig config) {
    Map<String, Map<String, Object>> exposed = config == null ? null : config.exposedPorts();
    if (exposed == null) return OptionalInt.empty();
    for (String key : exposed.keySet()) {
      String k = key.trim();
      int slash = k.indexOf('/');
      String proto = slash < 0 ? "tcp" : k.substring(slash + 1);
      String number = slash < 0 ? k : k.substring(0, slash);
      if (!proto.equalsIgnoreCase("tcp") || !PORT_NUMBER.matches(number)) continue;
      int p = Integer.parseInt(number);
      if (p >= 1 && p <= 65535) return OptionalInt.of(p);
    }
    return OptionalInt.empty();
  }

  /**
   * A TCP port that was free on 127.0.0.1 a moment ago (the kernel's pick); another process may
   * take it before the container binds it, which the caller sees as a probe failure.
   */
  public static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** True when something already accepts connections on 127.0.0.1:port. */
  static boolean accepting(int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
