package dev.caulk.registry;

import dev.caulk.event.EventListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends requests the way every registry call needs: credentials added for the registry's own host
 * only, 401 challenges answered, redirects followed by hand (so that {@code Authorization} never
 * reaches another host, spec.md "Pulling blobs"), temporary failures retried with backoff, and
 * error responses turned into {@link RegistryException}s. Requests whose body is a stream cannot be
 * replayed here; their temporary failures go up to the blob uploader, which restarts the upload.
 */
final class Transport {
  private static final int MAX_REDIRECTS = 10;
  private static final int MAX_AUTH_RETRIES = 2;

  final String registry;
  final String apiHost;
  final RegistryOptions opts;
  private SSLContext registryTls;
  private SSLContext otherTls;
  private final boolean registryInsecure;
  private final Backoff backoff;
  private volatile String scheme;
  private volatile Auth auth;

  static {
    // The JDK client moves bodies in buffers of jdk.httpclient.bufsize bytes (16 KiB by default);
    // layers are tens to hundreds of megabytes, and 256 KiB buffers halve the time a blob takes
    // through the client (measured with bench/copy). Read once, when the client classes load, so
    // it is set here unless the user chose a value.
    if (System.getProperty("jdk.httpclient.bufsize") == null) System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
  }

  Transport(String registry, String apiHost, RegistryOptions opts) throws IOException {
    this.registry = registry;
    this.apiHost = apiHost;
    this.opts = opts;
    // TLS set-up (the JSSE provider, and a context) waits for the first HTTPS request, except
    // that a CA file given by the user is read now so that a bad one is reported at once.
    SSLContext verified = opts.caCertificates() == null ? null : Tls.verified(opts.caCertificates());
    this.registryInsecure = opts.isInsecure(registry) || opts.isInsecure(apiHost);
    this.otherTls = verified;

    this.backoff = new Backoff(opts.backoff(), opts.maxRetryWait());
  }

  private java.net.http.HttpClient registryHttp;
  private java.net.http.HttpClient otherHttp;

  /** Sends a request with java.net.http (created on first use: most commands never need it). */
  private Response viaHttpClient(Req req, URI uri, Map<String, String> extra, String authorization, Duration timeout) throws IOException {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri).method(req.method(), req.body().publisher())
        .header("User-Agent", opts.userAgent()).timeout(timeout);
    extra.forEach(b::header);
    if (authorization != null) b.header("Authorization", authorization);
    try {
      java.net.http.HttpResponse<InputStream> raw = httpClient(sameMachine(uri)).send(b.build(),
          java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      return new Response(raw.statusCode(), raw.headers(), raw.uri(), raw.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted: " + req.method() + " " + Redact.url(uri));
    }
  }

  private synchronized java.net.http.HttpClient httpClient(boolean registryHost) throws IOException {
    if (otherHttp == null) {
      otherHttp = client(tls(false));
      registryHttp = registryInsecure ? client(tls(true)) : otherHttp;
    }
    return registryHost ? registryHttp : otherHttp;
  }

  private java.net.http.HttpClient client(SSLContext ssl) {
    return java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
        .connectTimeout(opts.timeout())
        .sslContext(ssl)
        .build();
  }

  /** The TLS context for the registry's host (relaxed when insecure) or for any other host. */
  private synchronized SSLContext tls(boolean registryHost) throws IOException {
    if (otherTls == null) otherTls = Tls.verified(null);
    if (registryTls == null) registryTls = registryInsecure ? Tls.trustAll() : otherTls;
    return registryHost ? registryTls : otherTls;
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

  /** {@code scheme://apiHost} + path (path must start with /). */
  URI uri(String pathAndQuery) {
    return URI.create(Objects.requireNonNull(scheme, "not pinged") + "://" + apiHost + pathAndQuery);
  }

  boolean isRegistryHost(URI u) {
    return scheme != null && scheme.equalsIgnoreCase(u.getScheme()) && apiHost.equalsIgnoreCase(u.getRawAuthority());
  }

  /**
   * True when {@code u} is on the registry's host name, whatever the port: an insecure registry's
   * token server on the same machine gets the same relaxed TLS (skopeo does the same); storage
   * hosts a blob redirects to are always verified.
   */
  private boolean sameMachine(URI u) {
    String host = apiHost.startsWith("[") ? apiHost.substring(0, apiHost.indexOf(']') + 1) : apiHost.replaceFirst(":[0-9]+$", "");
    return u.getHost() != null && u.getHost().equalsIgnoreCase(host);
  }

  /** Sends the request; the caller closes the response. */
  Response send(Req req) throws IOException {
    URI uri = req.uri();
    Map<String, String> extra = req.headers();
    int attempt = 0;
    int authRetries = 0;
    int redirects = 0;
    while (true) {
      String authorization = req.scopes() != null && auth != null && isRegistryHost(uri) ? auth.header(req.scopes()) : null;
      Duration timeout = req.body().replayable() ? opts.timeout()
          : opts.timeout().plusSeconds(req.body().length() / (64 * 1024));
      Response resp;
      try {
        // HttpURLConnection cannot send PATCH (the chunks of a chunked upload): those go through
        // java.net.http, everything else through the faster blocking client.
        resp = req.method().equals("PATCH") ? viaHttpClient(req, uri, extra, authorization, timeout)
            : viaUrlConnection(req, uri, extra, authorization, timeout);
      } catch (IOException e) {
        boolean temporary = isTemporary(e);
        if (temporary && req.body().replayable() && attempt < opts.retries()) {
          Duration d = backoff.delay(attempt++, null);
          listener().warn("retrying " + req.method() + " (" + req.context() + ") after " + describe(e) + " in "
              + millis(d) + " (retry " + attempt + " of " + opts.retries() + ")");
          Backoff.sleep(d);
          continue;
        }
        throw transportError(req, uri, e, temporary);
      }
      int status = resp.status();
      listener().debug(req.method() + " " + Redact.url(uri) + " -> " + status);
      for (String w : resp.headers("Warning")) listener().warn("registry " + registry + " warns: " + clip(w));
      if (isRedirect(status) && resp.header("Location") != null && !req.ok().contains(status)) {
        resp.close();
        if (++redirects > MAX_REDIRECTS) throw transportError(req, uri, new IOException("too many redirects"), false);
        URI next;
        try {
          next = uri.resolve(resp.header("Location").trim());
        } catch (IllegalArgumentException e) {
          next = null;
        }
        if (next == null || next.getRawAuthority() == null || !("https".equals(next.getScheme()) || "http".equals(next.getScheme()))) {
          throw transportError(req, uri, new IOException("invalid redirect Location"), false);
        }
        if (!next.getRawAuthority().equalsIgnoreCase(uri.getRawAuthority())) extra = withoutAuthorization(extra);
        uri = next;
        continue;
      }
      if (status == 401 && req.scopes() != null && auth != null && isRegistryHost(uri) && authRetries < MAX_AUTH_RETRIES
          && req.body().replayable()) {
        List<String> challenges = resp.headers("WWW-Authenticate");
        if (auth.onUnauthorized(challenges, req.scopes(), authorization)) {
          resp.close();
          authRetries++;
          continue;
        }
      }
      if (req.ok().contains(status)) return resp;
      RegistryException err = errorOf(req, uri, resp);
      if (err.isTemporary() && req.body().replayable() && attempt < opts.retries()) {
        Duration d = backoff.delay(attempt++, err.retryAfter());
        listener().warn("retrying " + req.method() + " (" + req.context() + ") after HTTP " + status + " in " + millis(d)
            + " (retry " + attempt + " of " + opts.retries() + ")");
        Backoff.sleep(d);
        continue;
      }
      throw err;
    }
  }

  /**
   * Sends a request and reads its whole body, up to {@code max} bytes, inside the retry loop: a
   * connection dropped half-way through a manifest, tag list or token is retried like one dropped
   * before the response.
   */
  Fetched fetch(Req req, int max) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Response r = send(req);
      try (r) {
        byte[] body = r.body().readNBytes(max + 1);
        if (body.length > max) {
          throw RegistryException.ofTransport(req.method(), Redact.url(r.uri()),
              "response larger than " + max + " bytes (" + req.context() + ")", false, null);
        }
        return new Fetched(r.status(), r.headers, r.uri(), body);
      } catch (RegistryException e) {
        throw e;
      } catch (IOException e) {
        if (!req.body().replayable() || attempt >= opts.retries() || !isTemporary(e)) throw transportError(req, r.uri(), e, isTemporary(e));
        Duration d = backoff.delay(attempt, null);
        listener().warn("retrying " + req.method() + " (" + req.context() + ") after the response broke off: " + describe(e)
            + " (retry " + (attempt + 1) + " of " + opts.retries() + ")");
        Backoff.sleep(d);
      }
    }
  }

  /** A response read whole. */
  record Fetched(int status, java.net.http.HttpHeaders headers, URI uri, byte[] body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    long contentLength() {
      return headers.firstValueAsLong("Content-Length").orElse(-1);
    }
  }

  /** Builds the exception for an unexpected status; reads at most 64 KiB of the body and closes it. */
  RegistryException errorOf(Req req, URI uri, Response resp) {
    byte[] body = resp.readBounded(RegistryException.MAX_ERROR_BODY);
    int status = resp.status();
    String context = req.context();
    if (status == 401) {
      context = "registry " + registry;
      if (auth != null && !auth.hasCredential()) context += "; no credentials configured";
    }
    Duration retryAfter = Backoff.parseRetryAfter(resp.header("Retry-After"), Instant.now());
    return RegistryException.ofResponse(req.method(), Redact.url(uri), status, body, context, retryAfter);
  }

  RegistryException transportError(Req req, URI uri, IOException e, boolean temporary) {
    String where = "registry " + registry;
    String msg;
    if (e instanceof SSLHandshakeException || e instanceof SSLException) {
      msg = tlsMessage(e, where);
    } else if (e instanceof java.net.SocketTimeoutException && String.valueOf(e.getMessage()).contains("connect")) {
      msg = "cannot connect to " + where + ": timed out";
    } else if (e instanceof ConnectException) {
      msg = "cannot connect to " + where + ": connection refused";
    } else if (e instanceof HttpTimeoutException || e instanceof java.net.SocketTimeoutException) {
      msg = where + " did not answer " + req.method() + " in time (" + req.context() + ")";
    } else {
      msg = req.method() + " failed: " + describe(e) + " (" + req.context() + ")";
    }
    return RegistryException.ofTransport(req.method(), Redact.url(uri), msg, temporary, e);
  }

  private static String tlsMessage(IOException e, String where) {
    String chain = causes(e);
    if (chain.contains("PKIX") || chain.contains("unable to find valid certification path")) {
      return "TLS certificate of " + where + " is not trusted (unknown certificate authority); "
          + "add its CA certificate, or use --tls-verify=false";
    }
    if (chain.contains("No subject alternative") || chain.contains("No name matching")) {
      return "TLS certificate of " + where + " does not match its name; use --tls-verify=false to skip the check";
    }
    if (chain.contains("Unsupported or unrecognized SSL message") || chain.contains("plaintext")) {
      return "TLS handshake with " + where + " failed: it does not speak TLS (plain HTTP?); use --tls-verify=false to allow HTTP";
    }
    return "TLS handshake with " + where + " failed: " + clip(e.getMessage());
  }

  /** Dropped connections, resets and timeouts are worth retrying; refused connections and TLS failures are not. */
  static boolean isTemporary(IOException e) {
    if (e instanceof SSLException) return false;
    if (e instanceof java.net.SocketTimeoutException || e instanceof HttpTimeoutException) return true;
    if (e instanceof java.net.http.HttpConnectTimeoutException) return true;
    if (e instanceof InterruptedIOException) return false;
    return !(e instanceof ConnectException);
  }

  static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof HttpTimeoutException || e instanceof java.net.SocketTimeoutException) return "timeout";
    if (m == null || m.isBlank()) return e.getClass().getSimpleName();
    return clip(m);
  }

  private static String causes(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; t != null && i < 8; t = t.getCause(), i++) b.append(t.getMessage()).append(" | ");
    return b.toString();
  }

  private static String clip(String s) {
    if (s == null) return "";
    String t = s.replaceAll("\\p{Cntrl}", " ");
    return t.length() > 160 ? t.substring(0, 160) + "…" : t;
  }

  private static String millis(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static boolean isRedirect(int s) {
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
  }

  private static Map<String, String> withoutAuthorization(Map<String, String> h) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>(h);
    m.keySet().removeIf(k -> k.equalsIgnoreCase("Authorization"));
    return m;
  }

  /** A response whose body is a stream; close it (or read it to the end) to free the connection. */
  /**
   * Sends a request with {@link HttpURLConnection}. Blobs are the bulk of what caulk moves, and
   * the JDK's blocking client streams them several times faster than {@code java.net.http} does
   * (measured on a 278 MB blob from a local registry: about 2 GB/s against 0.4 to 0.7 GB/s).
   * A body streams in fixed-length mode, never buffered whole. Redirects, auth and retries stay
   * in {@link #send}.
   */
  private Response viaUrlConnection(Req req, URI uri, Map<String, String> extra, String authorization, Duration timeout) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    if (c instanceof HttpsURLConnection https) {
      boolean registryHost = sameMachine(uri);
      https.setSSLSocketFactory(tls(registryHost).getSocketFactory());
      if (registryHost && registryInsecure) https.setHostnameVerifier((host, session) -> true);
    }
    c.setRequestMethod(req.method());
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, opts.timeout().toMillis()));
    c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    c.setRequestProperty("User-Agent", opts.userAgent());
    extra.forEach(c::setRequestProperty);
    if (authorization != null) c.setRequestProperty("Authorization", authorization);
    Req.Body body0 = req.body();
    if (body0.bytes() != null || body0.stream() != null || req.method().equals("POST") || req.method().equals("PUT")
        || req.method().equals("PATCH")) {
      long length = body0.bytes() != null ? body0.bytes().length : body0.stream() != null ? body0.length() : 0;
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(length);
      try (java.io.OutputStream out = c.getOutputStream()) {
        if (body0.bytes() != null) {
          out.write(body0.bytes());
        } else if (body0.stream() != null) {
          byte[] buf = new byte[256 * 1024];
          long left = length;
          while (left > 0) {
            int n = body0.stream().read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new java.io.EOFException("request body ended " + left + " bytes early");
            out.write(buf, 0, n);
            left -= n;
          }
        }
      }
    }
    int status = c.getResponseCode();
    Map<String, List<String>> fields = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    c.getHeaderFields().forEach((k, v) -> {
      if (k != null) fields.put(k, v);
    });
    InputStream body;
    if (req.method().equals("HEAD")) {
      body = InputStream.nullInputStream();
    } else if (status >= 400) {
      InputStream err = c.getErrorStream();
      body = err == null ? InputStream.nullInputStream() : err;
    } else {
      body = c.getInputStream();
    }
    java.net.http.HttpHeaders headers = java.net.http.HttpHeaders.of(fields, (k, v) -> true);
    long length = headers.firstValueAsLong("Content-Length").orElse(-1);
    if (length >= 0 && !req.method().equals("HEAD")) body = new ExactLength(body, length);
    return new Response(status, headers, uri, body);
  }

  /**
   * Fails a body that ends before its Content-Length. HttpURLConnection reports a connection
   * dropped mid-body as a quiet end of stream; this turns it into the EOFException that the
   * retry logic (and any reader) must see.
   */
  private static final class ExactLength extends java.io.FilterInputStream {
    private final long length;
    private long count;

    ExactLength(InputStream in, long length) {
      super(in);
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) count += n;
      else if (n < 0 && count < length) throw new java.io.EOFException("connection closed after " + count + " of " + length + " bytes");
      return n;
    }
  }

  /** A response's status, headers and streaming body, from either HTTP client. */
  static final class Response implements AutoCloseable {
    final int status;
    final java.net.http.HttpHeaders headers;
    final URI uri;
    final InputStream body;

    Response(int status, java.net.http.HttpHeaders headers, URI uri, InputStream body) {
      this.status = status;
      this.headers = headers;
      this.uri = uri;
      this.body = body;
    }

    int status() {
      return status;
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    List<String> headers(String name) {
      return headers.allValues(name);
    }

    long contentLength() {
      return headers.firstValueAsLong("Content-Length").orElse(-1);
    }

    URI uri() {
      return uri;
    }

    InputStream body() {
      return body;
    }

    /** Reads up to {@code max} bytes (the rest is dropped) and closes; an unreadable body gives no bytes. */
    byte[] readBounded(int max) {
      try (InputStream in = body) {
        byte[] b = in.readNBytes(max + 1);
        return b.length > max ? java.util.Arrays.copyOf(b, max) : b;
      } catch (IOException e) {
        return new byte[0];
      }
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException ignored) {
        // nothing left to free
      }
    }
  }
}
