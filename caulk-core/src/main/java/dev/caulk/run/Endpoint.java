package dev.caulk.run;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a probe reaches a container's port: straight to 127.0.0.1 when the container shares the
 * host's network, or through the {@link NetnsRelay} in its own network namespace, over a Unix
 * socket in the container's private directory.
 */
sealed interface Endpoint permits Endpoint.Tcp, Endpoint.Relay {
  /**
   * A connection to the port, or null when nothing accepts connections on it yet.
   *
   * @param timeoutMillis how long the connection attempt may take
   */
  Connection connect(int timeoutMillis) throws IOException;

  /** The port on 127.0.0.1 of the host. */
  record Tcp(int port) implements Endpoint {
    @Override
    public Connection connect(int timeoutMillis) throws IOException {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
      } catch (IOException e) {
        s.close();
        return null;
      }
      return new Connection(s.getInputStream(), s.getOutputStream(), s, s::setSoTimeout);
    }
  }

  /**
   * The port on 127.0.0.1 inside a network namespace, through the relay listening on {@code
   * socket}: it answers each connection with one byte, 1 once it has connected to the port (then
   * relays both ways), 0 when the port refused.
   */
  record Relay(Path socket) implements Endpoint {
    @Override
    public Connection connect(int timeoutMillis) throws IOException {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        ch.close();
        return null;
      }
      Connection c =
          new Connection(Channels.newInputStream(ch), Channels.newOutputStream(ch), ch, null);
      try {
        c.deadline(Math.max(timeoutMillis, NetnsRelay.CONNECT_MILLIS + 1000));
        ByteBuffer b = ByteBuffer.allocate(1);
        int n = ch.read(b);
        if (n != 1 || b.get(0) != 1) {
          c.close();
          return null;
        }
        return c;
      } catch (IOException e) {
        c.close();
        return null;
      }
    }
  }

  /**
   * An open connection. {@link #deadline} bounds every later read: a socket's read timeout, or for
   * a channel (which has none) a timer that closes it when the time is up.
   */
  final class Connection implements Closeable {
    private static final ScheduledExecutorService TIMER =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "caulk-probe-deadline");
              t.setDaemon(true);
              return t;
            });

    /** A socket's read timeout setter. */
    @FunctionalInterface
    interface ReadTimeout {
      void set(int millis) throws IOException;
    }

    private final InputStream in;
    private final OutputStream out;
    private final Closeable resource;
    private final ReadTimeout readTimeout;
    private ScheduledFuture<?> timer;

    Connection(InputStream in, OutputStream out, Closeable resource, ReadTimeout readTimeout) {
      this.in = in;
      this.out = out;
      this.resource = resource;
      this.readTimeout = readTimeout;
    }

    InputStream in() {
      return in;
    }

    OutputStream out() {
      return out;
    }

    /**
     * From now on, reads end after at most {@code millis} each (socket), or the whole connection
     * does (channel).
     */
    synchronized void deadline(int millis) throws IOException {
      if (readTimeout != null) {
        readTimeout.set(millis);
        return;
      }
      if (timer != null) timer.cancel(false);
      timer =
          TIMER.schedule(
              () -> {
                try {
                  resource.close();
                } catch (IOException ignored) {
                  // closing is all the timer does
                }
              },
              millis,
              TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() throws IOException {
      if (timer != null) timer.cancel(false);
      resource.close();
    }
  }
}
