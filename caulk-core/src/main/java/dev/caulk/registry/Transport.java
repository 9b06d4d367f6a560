package dev.caulk.registry;

import dev.caulk.event.EventListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * Sends the requests of one registry client through a chain of small {@link Exchange} steps:
 *
 * <ol>
 *   <li>{@link ErrorMapping#statusErrors}: a status the request does not expect becomes a one-line
 *       {@link RegistryException};
 *   <li>{@link Authenticate}: credentials for the registry's own host only, re-authentication on a
 *       401 with a new challenge;
 *   <li>{@link Redirects}: followed by hand, bounded, {@code Authorization} never across hosts;
 *   <li>{@link ErrorMapping#transportErrors}: I/O failures become one-line {@link
 *       RegistryException}s, temporary or not;
 *   <li>{@link Wire}: one exchange through one of the two HTTP clients, under the request's
 *       deadline.
 * </ol>
 *
 * {@link Retry} runs around it: once per request ({@link #send}, {@link #fetch}), never inside a
 * blob upload, whose requests go through {@link #once} and whose whole upload is retried instead.
 */
final class Transport {
  final String registry;
  final String apiHost;
  final RegistryOptions opts;
  private final ErrorMapping errors;
  private final Wire wire;
  private final Exchange chain;
  private final Retry retry;
  private volatile String scheme;
  private volatile Auth auth;

  Transport(String registry, String apiHost, RegistryOptions opts) throws IOException {
    this.registry = registry;
    this.apiHost = apiHost;
    this.opts = opts;
    this.errors =
        new ErrorMapping(registry, opts.timeout(), () -> auth != null && auth.hasCredential());
    this.wire = new Wire(registry, apiHost, opts, errors);
    this.chain =
        errors.statusErrors(
            new Authenticate(
                new Redirects(errors.transportErrors(wire), errors),
                () -> auth,
                this::isRegistryHost));
    this.retry = new Retry(registry, opts);
  }

  void auth(Auth a) {
    this.auth = a;
  }

  void scheme(String s) {
    this.scheme = s;
  }

  String scheme() {
    return scheme;
  }

  EventListener listener() {
    return opts.listener();
  }

  Retry retry() {
    return retry;
  }

  /** {@code scheme://apiHost} + path (path must start with /). */
  URI uri(String pathAndQuery) {
    return URI.create(
        Objects.requireNonNull(scheme, "not pinged") + "://" + apiHost + pathAndQuery);
  }

  boolean isRegistryHost(URI u) {
    return scheme != null
        && scheme.equalsIgnoreCase(u.getScheme())
        && apiHost.equalsIgnoreCase(u.getRawAuthority());
  }

  /** True when {@code u} is on the registry's machine (its host name, any port). */
  boolean sameMachine(URI u) {
    return wire.sameMachine(u);
  }

  /** Sends the request, retried when it fails for a while; the caller closes the response. */
  Response send(Req req) throws IOException {
    return send(req, 0);
  }

  /**
   * Sends a request whose response body is expected to hold about {@code expectedBytes} (a blob's
   * size), which scales the overall deadline; the caller closes the response.
   */
  Response send(Req req, long expectedBytes) throws IOException {
    Deadline deadline =
        new Deadline(opts.deadlineFor(Math.max(expectedBytes, req.body().length())));
    if (!req.body().replayable()) {
      return chain.send(Exchange.Call.of(req, deadline));
    }
    return retry.run(
        action(req), req.context(), deadline, () -> chain.send(Exchange.Call.of(req, deadline)));
  }

  /**
   * Sends the request once, never retried: a step of a blob upload, which {@link Retry} restarts
   * whole.
   */
  Response once(Req req) throws IOException {
    return chain.send(Exchange.Call.of(req, new Deadline(opts.deadlineFor(req.body().length()))));
  }

  /**
   * Sends a request and reads its whole body, up to {@code max} bytes, inside the one retry loop: a
   * connection dropped half-way through a manifest, tag list or token is retried like one dropped
   * before the response, from the same budget.
   */
  Fetched fetch(Req req, int max) throws IOException {
    Deadline deadline = new Deadline(opts.deadlineFor(req.body().length()));
    Retry.Attempt<Fetched> attempt =
        () -> read(chain.send(Exchange.Call.of(req, deadline)), req, deadline, max);
    return req.body().replayable()
        ? retry.run(action(req), req.context(), deadline, attempt)
        : attempt.run();
  }

  private Fetched read(Response r, Req req, Deadline deadline, int max) throws IOException {
    try (r) {
      byte[] body = r.body().readNBytes(max + 1);
      if (body.length > max) {
        throw RegistryException.ofTransport(
            req.method(),
            Redact.url(r.uri()),
            "response larger than " + max + " bytes (" + req.context() + ")",
            false,
            null);
      }
      return new Fetched(r.status(), r.headers, r.uri(), body);
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      if (deadline.passed()) {
        throw errors.deadline(req, r.uri(), deadline, e);
      }
      throw errors.transport(req, r.uri(), e, ErrorMapping.isTemporary(e)).brokeOff(true);
    }
  }

  private static String action(Req req) {
    return req.method() + " (" + req.context() + ")";
  }

  /** A response read whole. */
  record Fetched(int status, HttpHeaders headers, URI uri, byte[] body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    long contentLength() {
      return headers.firstValueAsLong("Content-Length").orElse(-1);
    }
  }
}
