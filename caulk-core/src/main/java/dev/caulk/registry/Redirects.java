package dev.caulk.registry;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Follows redirects by hand (both clients are told not to): at most {@value #MAX_HOPS} hops, only
 * to absolute {@code http}/{@code https} targets, and {@code Authorization} is dropped as soon as a
 * hop leaves the scheme and {@code host:port} of the previous hop, so credentials never reach a
 * storage host or go from HTTPS to plain HTTP (spec.md "Pulling blobs"). A redirect status the
 * request expects (in {@code ok}) is returned as it is.
 */
final class Redirects implements Exchange {
  static final int MAX_HOPS = 10;

  private final Exchange next;
  private final ErrorMapping errors;

  Redirects(Exchange next, ErrorMapping errors) {
    this.next = next;
    this.errors = errors;
  }

  @Override
  public Response send(Call call) throws IOException {
    Call c = call;
    for (int hops = 0; ; hops++) {
      Response resp = next.send(c);
      String location = resp.header("Location");
      if (!isRedirect(resp.status()) || location == null || c.req().ok().contains(resp.status())) {
        return resp;
      }
      resp.close();
      if (hops == MAX_HOPS) {
        throw errors.transport(c.req(), c.uri(), new IOException("too many redirects"), false);
      }
      URI target = target(c.uri(), location);
      if (target == null) {
        throw errors.transport(
            c.req(), c.uri(), new IOException("invalid redirect Location"), false);
      }
      Map<String, String> headers =
          sameOrigin(c.uri(), target) ? c.headers() : Call.without(c.headers(), "Authorization");
      c = c.to(target, headers);
    }
  }

  /**
   * Where a {@code Location} points, resolved against the URI that sent it; null unless absolute
   * http(s).
   */
  static URI target(URI from, String location) {
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
    boolean web = "https".equals(next.getScheme()) || "http".equals(next.getScheme());
    return web && next.getRawAuthority() != null ? next : null;
  }

  /** Same scheme and same {@code host:port}: the only hops {@code Authorization} follows. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getRawAuthority() != null
        && a.getRawAuthority().equalsIgnoreCase(b.getRawAuthority())
        && String.valueOf(a.getScheme()).equalsIgnoreCase(b.getScheme());
  }

  static boolean isRedirect(int s) {
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
  }
}
