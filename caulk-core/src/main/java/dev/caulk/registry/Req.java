package dev.caulk.registry;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One request as the client means it, before auth, retries and redirects.
 *
 * @param scopes the token scopes the request needs (atomic {@code repository:NAME:ACTION}), or null
 *     for a request that must carry no registry credentials (token server, ping)
 * @param context what is being done, for error messages, e.g. {@code 127.0.0.1:5000/app:v1}
 * @param ok the statuses that mean success; anything else becomes a {@link RegistryException}
 */
record Req(
    String method,
    URI uri,
    Map<String, String> headers,
    Body body,
    Set<String> scopes,
    String context,
    Set<Integer> ok) {
  Req {
    headers = Map.copyOf(headers);
  }

  static Req of(String method, URI uri, Set<String> scopes, String context, Integer... ok) {
    return new Req(method, uri, Map.of(), Body.NONE, scopes, context, Set.of(ok));
  }

  Req header(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Req(method, uri, h, body, scopes, context, ok);
  }

  Req body(Body b) {
    return new Req(method, uri, headers, b, scopes, context, ok);
  }

  /** A request body: none, bytes (replayable), or a stream of known length (sent once). */
  record Body(byte[] bytes, InputStream stream, long length) {
    static final Body NONE = new Body(null, null, 0);

    static Body of(byte[] b) {
      return new Body(b, null, b.length);
    }

    static Body stream(InputStream in, long length) {
      return new Body(null, in, length);
    }

    boolean replayable() {
      return stream == null;
    }

    BodyPublisher publisher() {
      if (bytes != null) return BodyPublishers.ofByteArray(bytes);
      if (stream == null) return BodyPublishers.noBody();
      if (length == 0) return BodyPublishers.noBody();
      return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> stream), length);
    }
  }
}
