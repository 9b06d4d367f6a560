package dev.caulk.registry;

import java.io.IOException;
import java.net.URI;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Adds the registry's credentials to a request that needs them (one with scopes, going to the
 * registry's own scheme://host:port) and answers a 401 that brings a new challenge (an expired
 * token, {@code insufficient_scope}) by authenticating again, at most {@value #MAX_REAUTH} times
 * per request, only for a body that can be sent again. Requests without scopes (the ping, the token
 * server) and requests to other hosts pass untouched.
 *
 * <p>A token request that fails is reported as a permanent failure of this request: it has had its
 * own retries already, and retrying the request around it would multiply them.
 */
final class Authenticate implements Exchange {
  static final int MAX_REAUTH = 2;

  private final Exchange next;
  private final Supplier<Auth> auth;
  private final Predicate<URI> registryHost;

  /**
   * @param auth the registry's auth state (null until the client made one)
   * @param registryHost true for URIs on the registry's own scheme://host:port
   */
  Authenticate(Exchange next, Supplier<Auth> auth, Predicate<URI> registryHost) {
    this.next = next;
    this.auth = auth;
    this.registryHost = registryHost;
  }

  @Override
  public Response send(Call call) throws IOException {
    Auth a = auth.get();
    Req req = call.req();
    if (req.scopes() == null || a == null || !registryHost.test(call.uri())) {
      return next.send(call);
    }
    for (int reauth = 0; ; reauth++) {
      String authorization = permanent(() -> a.header(req.scopes()));
      Response resp =
          next.send(authorization == null ? call : call.withHeader("Authorization", authorization));
      if (resp.status() != 401
          || reauth == MAX_REAUTH
          || !req.body().replayable()
          || !registryHost.test(resp.uri())) {
        return resp;
      }
      boolean again =
          permanent(
              () ->
                  a.onUnauthorized(resp.headers("WWW-Authenticate"), req.scopes(), authorization));
      if (!again) {
        return resp;
      }
      resp.close();
    }
  }

  @FunctionalInterface
  private interface AuthCall<T> {
    T run() throws IOException;
  }

  private static <T> T permanent(AuthCall<T> c) throws IOException {
    try {
      return c.run();
    } catch (RegistryException e) {
      throw e.isTemporary() ? e.permanent() : e;
    }
  }
}
