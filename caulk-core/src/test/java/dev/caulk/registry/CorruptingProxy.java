package dev.caulk.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A lying registry for reads: forwards GET and HEAD to a plain-HTTP registry and flips one byte in
 * the body of any response whose path contains {@code corruptPath}, keeping every header (so the
 * length and Docker-Content-Digest still claim the true content). The harness's FaultProxy has no
 * such fault, so this test adds it.
 */
final class CorruptingProxy implements AutoCloseable {
  private static final Set<String> HOP =
      Set.of("connection", "content-length", "transfer-encoding", "keep-alive", "date");
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String upstream;
  private volatile String corruptPath = "\u0000";

  CorruptingProxy(String upstreamHost) throws IOException {
    this.upstream = "http://" + upstreamHost;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  void corrupt(String pathPart) {
    corruptPath = pathPart;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
              .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
      for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
        if (h.getKey().equalsIgnoreCase("Accept") || h.getKey().equalsIgnoreCase("Authorization")) {
          for (String v : h.getValue()) b.header(h.getKey(), v);
        }
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] body = r.body();
      if (ex.getRequestURI().getPath().contains(corruptPath) && body.length > 0)
        body[body.length / 2] ^= 0x01;
      r.headers()
          .map()
          .forEach(
              (k, vs) -> {
                if (!HOP.contains(k.toLowerCase()))
                  vs.forEach(v -> ex.getResponseHeaders().add(k, v));
              });
      boolean head = ex.getRequestMethod().equals("HEAD");
      if (head)
        ex.getResponseHeaders()
            .set("Content-Length", r.headers().firstValue("Content-Length").orElse("0"));
      ex.sendResponseHeaders(r.statusCode(), head || body.length == 0 ? -1 : body.length);
      if (!head && body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
