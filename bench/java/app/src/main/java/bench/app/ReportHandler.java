package bench.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Answers the configured routes with a {@link Report}; 404 for anything else. */
final class ReportHandler implements HttpHandler {
  private final ObjectMapper json = new ObjectMapper();
  private final Settings settings;

  ReportHandler(Settings settings) {
    this.settings = settings;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body;
    int status;
    if (settings.routes().contains(path)) {
      Report r = new Report(settings.greeting(), System.getProperty("java.version"),
          System.getProperty("user.name"), Report.codeRevision());
      body = json.writeValueAsBytes(r);
      status = 200;
    } else {
      body = ("{\"error\":\"no route " + path.replace("\"", "") + "\"}").getBytes(StandardCharsets.UTF_8);
      status = 404;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
