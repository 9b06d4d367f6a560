package dev.caulk.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Semaphore;

/**
 * The probe's way into a container's own network namespace. {@link RelayProcess} starts this
 * class's {@link #main} in a small JVM under {@code nsenter --net=/proc/PID/ns/net}: its sockets
 * are created inside the container's namespace, where the service listens on 127.0.0.1, while its
 * Unix socket lives in the host's file system (Unix sockets named by a path cross network
 * namespaces), mode 0600 in the container's private directory. The container itself has only its
 * loopback interface and no route anywhere; nothing here listens inside it.
 *
 * <p>Protocol, per accepted Unix connection: connect to 127.0.0.1:PORT inside; send one byte, 1
 * when that worked (then copy both ways until both sides close) or 0 when the port refused. Relays
 * at most {@link #MAX_CONNECTIONS} connections at once; exits when its standard input closes (the
 * caulk process that started it has gone). Uses only the JDK.
 */
public final class NetnsRelay {
  /** How long a connection to the service may take inside the namespace. */
  static final int CONNECT_MILLIS = 1000;

  /** Connections relayed at once. */
  static final int MAX_CONNECTIONS = 16;

  /** Printed on stdout once the Unix socket listens. */
  static final String READY = "caulk-relay-ready";

  private NetnsRelay() {}

  /**
   * {@code NetnsRelay SOCKET PORT}: relays connections on the Unix socket SOCKET to 127.0.0.1:PORT.
   *
   * @param args the socket path and the port
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: NetnsRelay SOCKET PORT");
      System.exit(2);
    }
    Path socket = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Thread watch =
        new Thread(
            () -> {
              try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                  // input is never sent: only its end matters
                }
              } catch (IOException ignored) {
                // the parent is gone either way
              }
              System.exit(0);
            },
            "stdin-watch");
    watch.setDaemon(true);
    watch.start();
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    System.out.println(READY);
    System.out.flush();
    Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    while (true) {
      SocketChannel client = server.accept();
      if (!slots.tryAcquire()) {
        client.close();
        continue;
      }
      Thread t =
          new Thread(
              () -> {
                try {
                  relay(client, port);
                } finally {
                  slots.release();
                }
              },
              "relay");
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * One connection. The Unix side is used through the channel's own read and write, never through
   * {@code Channels} streams: those hold the channel's blocking lock while they wait, so one thread
   * reading would stop the other from writing.
   */
  private static void relay(SocketChannel client, int port) {
    try (client;
        Socket service = new Socket()) {
      try {
        service.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_MILLIS);
      } catch (IOException e) {
        writeFully(client, new byte[] {0}, 1);
        return;
      }
      writeFully(client, new byte[] {1}, 1);
      Thread up = new Thread(() -> up(client, service), "relay-up");
      up.setDaemon(true);
      up.start();
      try {
        InputStream in = service.getInputStream();
        byte[] b = new byte[16 * 1024];
        for (int n = in.read(b); n >= 0; n = in.read(b)) writeFully(client, b, n);
      } catch (IOException ignored) {
        // either side went away
      }
      client.shutdownOutput();
      up.join();
    } catch (IOException | InterruptedException ignored) {
      // a relayed connection ends however its peers end it
    }
  }

  /**
   * Client to service; the probe never half-closes, so the client's end is the end of the exchange.
   */
  private static void up(SocketChannel client, Socket service) {
    try {
      OutputStream out = service.getOutputStream();
      ByteBuffer b = ByteBuffer.allocate(16 * 1024);
      while (client.read(b) >= 0) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
    } catch (IOException ignored) {
      // either side went away
    }
    try {
      service.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static void writeFully(SocketChannel ch, byte[] b, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b, 0, n);
    while (buf.hasRemaining()) ch.write(buf);
  }
}
