package dev.caulk.registry;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small values for testing the transport's steps alone: responses and calls without a network. */
final class StepTesting {
  private StepTesting() {}

  static Response response(int status, URI uri, Map<String, String> headers, String body) {
    Map<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> m.put(k, List.of(v)));
    return new Response(
        status,
        HttpHeaders.of(m, (k, v) -> true),
        uri,
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  static Response response(int status, URI uri) {
    return response(status, uri, Map.of(), "");
  }

  static Exchange.Call call(Req req) {
    return Exchange.Call.of(req, new Deadline(Duration.ofMinutes(1)));
  }
}
