package dev.caulk.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.spec.ContainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of a probe that need no runtime: HTTP exchange, ports, the port lock, output tails,
 * runc lookup.
 */
class ProbePartsTest {
  @TempDir Path tmp;

  /**
   * A one-shot server on a free loopback port answering with {@code response}; returns the port,
   * records the request.
   */
  private static int serveOnce(byte[] response, AtomicReference<String> request)
      throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (server;
                  Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder b = new StringBuilder();
                while (!b.toString().endsWith("\r\n\r\n")) {
                  int c = in.read();
                  if (c < 0) break;
                  b.append((char) c);
                }
                request.set(b.toString());
                OutputStream out = s.getOutputStream();
                out.write(response);
                out.flush();
              } catch (IOException ignored) {
                // the client went away
              }
            });
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }

  @Test
  void httpGetSendsHttp10AndReadsStatusAndBody() throws Exception {
    AtomicReference<String> req = new AtomicReference<>();
    int port =
        serveOnce(
            "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnope\n"
                .getBytes(StandardCharsets.US_ASCII),
            req);
    HttpGet.Response r = HttpGet.get(port, "/health?x=1", 2000, 1024);
    assertEquals(404, r.status());
    assertArrayEquals("nope\n".getBytes(StandardCharsets.US_ASCII), r.body());
    assertFalse(r.truncated());
    assertTrue(
        req.get().startsWith("GET /health?x=1 HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\n"),
        req.get());
  }

  @Test
  void bodyIsBounded() throws Exception {
    byte[] body = new byte[5000];
    java.util.Arrays.fill(body, (byte) 'a');
    byte[] head = "HTTP/1.1 200 OK\n\n".getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    HttpGet.Response r = HttpGet.get(serveOnce(all, new AtomicReference<>()), "/", 2000, 100);
    assertEquals(200, r.status());
    assertEquals(100, r.body().length);
    assertTrue(r.truncated());
  }

  @Test
  void notHttpAndEndlessHeadersAreErrors() throws Exception {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                HttpGet.get(
                    serveOnce(
                        "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        new AtomicReference<>()),
                    "/",
                    2000,
                    100));
    assertTrue(
        e.getMessage().startsWith("not an HTTP response: 'SSH-2.0-OpenSSH'"), e.getMessage());
    byte[] endless =
        ("HTTP/1.0 200 OK\r\nX: " + "y".repeat(HttpGet.MAX_HEAD))
            .getBytes(StandardCharsets.US_ASCII);
    IOException h =
        assertThrows(
            IOException.class,
            () -> HttpGet.get(serveOnce(endless, new AtomicReference<>()), "/", 2000, 100));
    assertTrue(h.getMessage().contains("headers longer than"), h.getMessage());
    IOException closed =
        assertThrows(
            IOException.class,
            () -> HttpGet.get(serveOnce(new byte[0], new AtomicReference<>()), "/", 2000, 100));
    assertEquals("connection closed without a response", closed.getMessage());
  }

  @Test
  void probePathsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> Probe.Check.http("health"));
    assertThrows(IllegalArgumentException.class, () -> Probe.Check.http("/a b"));
    assertThrows(IllegalArgumentException.class, () -> Probe.Check.http("/a\r\nX-Injected: 1"));
    assertEquals("/ok", ((Probe.Http) Probe.Check.http("/ok")).path());
  }

  @Test
  void firstExposedTcpPortInConfigOrder() {
    ContainerConfig c =
        ContainerConfig.EMPTY.toBuilder()
            .exposePort("53/udp")
            .exposePort("8080/tcp")
            .exposePort("3000")
            .build();
    assertEquals(OptionalInt.of(8080), Ports.exposedTcpPort(c));
    assertEquals(
        OptionalInt.of(3000),
        Ports.exposedTcpPort(ContainerConfig.EMPTY.toBuilder().exposePort("3000").build()));
    assertEquals(
        OptionalInt.empty(),
        Ports.exposedTcpPort(
            ContainerConfig.EMPTY.toBuilder().exposePort("70000/tcp").exposePort("x/tcp").build()));
    assertEquals(OptionalInt.empty(), Ports.exposedTcpPort(ContainerConfig.EMPTY));
  }

  @Test
  void portLockSerialisesAndReleases() throws Exception {
    int port = Ports.freeLoopbackPort();
    try (PortLock first = PortLock.acquire(port, Duration.ofSeconds(1))) {
      long start = System.nanoTime();
      RunException e =
          assertThrows(RunException.class, () -> PortLock.acquire(port, Duration.ofMillis(200)));
      assertTrue((System.nanoTime() - start) / 1_000_000 >= 190);
      assertTrue(
          e.getMessage().startsWith("port " + port + ": another caulk container"), e.getMessage());
      assertEquals(port, first.port());
    }
    try (PortLock again = PortLock.acquire(port, Duration.ofMillis(200))) {
      assertEquals(port, again.port());
    }
  }

  @Test
  void outputTailIsBoundedAndSafeToPrint() throws Exception {
    Path f = tmp.resolve("out.log");
    Files.writeString(
        f, "first line\n" + "x".repeat(100) + "\nlast \u001b[31mred\u001b[0m line\r\n");
    String tail = OutputTail.read(f, 40);
    assertEquals("last ?[31mred?[0m line\n", tail);
    assertEquals("", OutputTail.read(tmp.resolve("missing"), 40));
    assertEquals("a | b", Probe.oneLine("\na\n\nb\n"));
  }

  @Test
  void runcErrorsAreReducedToTheirMessage() {
    String log =
        "time=\"2026-01-01T00:00:00Z\" level=warning msg=\"x\"\n"
            + "time=\"2026-01-01T00:00:00Z\" level=error msg=\"runc run failed: exec: \\\"/app/x\\\": no such file\"\n";
    assertEquals("runc run failed: exec: \"/app/x\": no such file", Runc.errorMessage(log));
    assertEquals("plain failure", Runc.errorMessage("noise\nplain failure\n"));
  }

  @Test
  void missingRuncIsAClearError() throws Exception {
    RunException e =
        assertThrows(RunException.class, () -> Runc.locate(Path.of("/nonexistent"), null));
    assertEquals(
        "runc not found at /nonexistent: install the runc package (apt-get install runc) to use --probe",
        e.getMessage());
    assertEquals(
        "runc not found: install the runc package (apt-get install runc) to use --probe",
        Runc.NOT_FOUND);
    RunException viaStart =
        assertThrows(
            RunException.class,
            () ->
                Container.start(
                    TestImages.of(null, TestImages.config(List.of("/x"), ""), tmp),
                    Container.Options.defaults().withRunc(Path.of("/nonexistent"))));
    assertEquals(e.getMessage(), viaStart.getMessage());
  }

  @Test
  void runcFoundOnThePathOrInSbin() throws Exception {
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    Path fake = Files.writeString(bin.resolve("runc"), "#!/bin/sh\n");
    fake.toFile().setExecutable(true);
    assertEquals(fake, Runc.locate(null, "relative:" + bin));
  }
}
