package dev.caulk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The {@code docker-registry serve CONFIG} process behind a {@link TestRegistry}: picks a free
 * port, starts, waits for {@code /v2/}, retries when another process grabbed the port first, and
 * stops the process tree.
 */
final class RegistryProcess {
  private static final int ATTEMPTS = 5;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;

  private RegistryProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  int port() {
    return port;
  }

  static RegistryProcess start(
      Path binary,
      Path workDir,
      Path log,
      Pki.TlsFiles tls,
      RegistryConfig.Auth auth,
      SSLContext ssl)
      throws IOException {
    Path storage = Files.createDirectories(workDir.resolve("storage"));
    Path config = workDir.resolve("config.yml");
    HttpClient.Builder cb =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2));
    HttpClient probe = (ssl != null ? cb.sslContext(ssl) : cb).build();
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // Free port by bind-and-release: another process may take it before the registry binds, so a
      // bind failure below is retried with a fresh port.
      int port = freePort();
      RegistryConfig.write(config, port, storage, tls, auth);
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      ProcessBuilder pb =
          new ProcessBuilder(binary.toString(), "serve", config.toString())
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Processes.scrubEnvironment(pb.environment());
      Process p = pb.start();
      p.getOutputStream().close();
      URI ping = URI.create((tls != null ? "https" : "http") + "://127.0.0.1:" + port + "/v2/");
      try {
        if (awaitReady(p, probe, ping)) {
          return new RegistryProcess(p, port);
        }
      } catch (IOException e) {
        destroy(p);
        throw e;
      }
      destroy(p);
      String tail = tail(log, logStart);
      last =
          new IOException(
              "docker-registry did not start on port " + port + " (log " + log + "): " + tail);
      if (!tail.contains("address already in use")) {
        throw last;
      }
    }
    throw last;
  }

  /** Polls {@code ping} until the registry answers 200 or 401; false if the process died first. */
  private static boolean awaitReady(Process p, HttpClient probe, URI ping) throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest req = HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return false;
      }
      try {
        HttpResponse<Void> r = probe.send(req, HttpResponse.BodyHandlers.discarding());
        // The header and a live process tell our registry from anything else that took the port.
        boolean registry = r.headers().firstValue("Docker-Distribution-Api-Version").isPresent();
        if ((r.statusCode() == 200 || r.statusCode() == 401) && registry && p.isAlive()) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for docker-registry", e);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for docker-registry", e);
      }
    }
    throw new IOException(
        "docker-registry did not answer " + ping + " within " + READY_TIMEOUT.toSeconds() + " s");
  }

  /** Stops the registry and anything it started: TERM, then KILL after 5 s. */
  void stop() {
    destroy(process);
  }

  private static void destroy(Process p) {
    List<ProcessHandle> children = p.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The last lines the registry logged since {@code from}, at most 2 KiB, on one line. */
  private static String tail(Path log, long from) {
    try (InputStream in = Files.newInputStream(log)) {
      long size = Files.size(log);
      long start = Math.max(from, size - 2048);
      in.skipNBytes(start);
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "(empty log)" : text.replace('\n', ' ');
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
