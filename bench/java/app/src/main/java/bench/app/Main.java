package bench.app;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/** Serves {@code GET /} (a JSON report) and {@code GET /health} on {@code PORT} (default 8080). */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    Settings settings = Settings.load();
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/", new ReportHandler(settings));
    server.start();
    System.err.println("listening on " + port);
  }
}
