package dev.caulk.registry;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of sending a registry request. {@link Transport} chains them, outermost first: {@link
 * ErrorMapping#statusErrors} (an unexpected status becomes a {@link RegistryException}), {@link
 * Authenticate} (credentials for the registry's own host, one re-authentication after a 401),
 * {@link Redirects} (bounded hops, no {@code Authorization} across hosts), {@link
 * ErrorMapping#transportErrors} (an I/O failure becomes a one-line {@link RegistryException}) and
 * {@link Wire} (one HTTP exchange through one of the two clients). {@link Retry}, the one retry
 * loop, runs around the whole chain (and around a whole blob upload). Each step knows only the next
 * one, so each can be tested alone with a lambda behind it.
 */
@FunctionalInterface
interface Exchange {
  /** Sends the call and returns the response (the caller closes it), or fails. */
  Response send(Call call) throws IOException;

  /**
   * A request on its way: what the client meant ({@link Req}), where it goes now (after redirects),
   * the headers it carries now (with {@code Authorization} once a step added it) and the deadline
   * it runs under.
   */
  record Call(Req req, URI uri, Map<String, String> headers, Deadline deadline) {
    public Call {
      headers = Map.copyOf(headers);
    }

    static Call of(Req req, Deadline deadline) {
      return new Call(req, req.uri(), req.headers(), deadline);
    }

    /** The same call with a header set (replacing one of the same name, in any case). */
    Call withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(without(headers, name));
      h.put(name, value);
      return new Call(req, uri, h, deadline);
    }

    /** The same call to another URI with these headers. */
    Call to(URI next, Map<String, String> h) {
      return new Call(req, next, h, deadline);
    }

    /** The value of a header, whatever its case, or null. */
    String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    static Map<String, String> without(Map<String, String> h, String name) {
      Map<String, String> m = new LinkedHashMap<>(h);
      m.keySet().removeIf(k -> k.equalsIgnoreCase(name));
      return m;
    }
  }
}
