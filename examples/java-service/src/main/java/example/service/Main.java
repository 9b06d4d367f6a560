package example.service;

import com.google.re2j.Pattern;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import example.util.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Properties;
import java.util.TimeZone;
import javax.net.ssl.SSLHandshakeException;

/**
 * A small HTTP service on the JDK's own server. {@code GET /} answers with the service's uid, its
 * time zone and UTC offset, the Java version, and the result of an HTTPS request to {@code
 * $UPSTREAM_URL} verified against the runtime's trust store; {@code /healthz} answers {@code ok}.
 * It listens on {@code $PORT} (default 3000).
 */
public final class Main {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  private Main() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
    String service = System.getenv().getOrDefault("service_name", "hello");
    if (!NAME.matches(service)) {
      throw new IllegalArgumentException("service_name: " + service);
    }
    Properties greeting = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("greeting.properties")) {
      greeting.load(in);
    }
    HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext("/healthz", ex -> answer(ex, "ok\n"));
    server.createContext(
        "/",
        ex -> {
          Lines out = new Lines();
          out.add("service", service);
          out.add("greeting", greeting.getProperty("text", "?"));
          out.add("uid", uid());
          out.add("zone", TimeZone.getDefault().getID());
          out.add("utc_offset", ZonedDateTime.now().getOffset().getId());
          out.add("java.version", System.getProperty("java.version"));
          out.add("upstream", upstream(client));
          answer(ex, out.toString());
        });
    server.start();
    System.err.println(service + " listening on " + port);
  }

  /** The status of the upstream call and whether TLS verified, or why it failed. */
  private static String upstream(HttpClient client) {
    String url = System.getenv("UPSTREAM_URL");
    if (url == null || url.isEmpty()) {
      return "none";
    }
    try {
      HttpResponse<Void> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() + " tls=verified";
    } catch (SSLHandshakeException e) {
      return "failed tls=untrusted";
    } catch (IOException e) {
      return "failed " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The real uid, from the kernel's view of this process (no shell, no id(1) needed). */
  private static String uid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return line.substring(4).strip().split("\\s+")[0];
      }
    }
    return "?";
  }

  private static void answer(HttpExchange ex, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }
}
