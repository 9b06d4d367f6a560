package dev.caulk.registry;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * The innermost step: one HTTP exchange with one URI, nothing more (no auth, redirects or retries).
 * It picks the client, the TLS context and the timeouts, and bounds the body by the request's
 * deadline.
 *
 * <p>Two clients (docs/architecture.md): {@code PATCH} (chunks of a chunked upload), which {@link
 * HttpURLConnection} cannot send, goes through {@code java.net.http}; everything else through
 * {@link HttpURLConnection}, which streams blobs several times faster (about 2 GB/s against 0.4 to
 * 0.7 GB/s for a local 278 MB blob). TLS: the registry's machine (any port, so its token server
 * too) gets relaxed checks when the registry is insecure; every other host is verified.
 */
final class Wire implements Exchange {
  static {
    // The JDK client moves bodies in buffers of jdk.httpclient.bufsize bytes (16 KiB by default);
    // layers are tens to hundreds of megabytes, and 256 KiB buffers halve the time a blob takes
    // through the client (measured with bench/copy). Read once, when the client classes load, so
    // it is set here unless the user chose a value.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
    }
  }

  private final String registry;
  private final String apiHost;
  private final RegistryOptions opts;
  private final ErrorMapping errors;
  private final boolean registryInsecure;
  private SSLContext registryTls;
  private SSLContext otherTls;
  private HttpClient registryHttp;
  private HttpClient otherHttp;

  Wire(String registry, String apiHost, RegistryOptions opts, ErrorMapping errors)
      throws IOException {
    this.registry = registry;
    this.apiHost = apiHost;
    this.opts = opts;
    this.errors = errors;
    this.registryInsecure = opts.isInsecure(registry) || opts.isInsecure(apiHost);
    // TLS set-up (the JSSE provider, and a context) waits for the first HTTPS request, except
    // that a CA file given by the user is read now so that a bad one is reported at once.
    this.otherTls = opts.caCertificates() == null ? null : Tls.verified(opts.caCertificates());
  }

  @Override
  public Response send(Call call) throws IOException {
    Req req = call.req();
    if (call.deadline().passed()) {
      throw errors.deadline(req, call.uri(), call.deadline(), null);
    }
    // a streamed upload's answer waits for the registry to hash the blob: 1 s more per 64 KiB sent
    Duration timeout =
        req.body().replayable()
            ? opts.timeout()
            : opts.timeout().plusSeconds(req.body().length() / (64 * 1024));
    timeout = min(timeout, call.deadline().remaining());
    Response resp =
        req.method().equals("PATCH")
            ? viaHttpClient(call, timeout)
            : viaUrlConnection(call, timeout);
    opts.listener().debug(req.method() + " " + Redact.url(call.uri()) + " -> " + resp.status());
    for (String w : resp.headers("Warning")) {
      opts.listener().warn("registry " + registry + " warns: " + ErrorMapping.clip(w));
    }
    return resp;
  }

  /**
   * True when {@code u} is on the registry's host name, whatever the port: an insecure registry's
   * token server on the same machine gets the same relaxed TLS (skopeo does the same); storage
   * hosts a blob redirects to are always verified.
   */
  boolean sameMachine(URI u) {
    String host =
        apiHost.startsWith("[")
            ? apiHost.substring(0, apiHost.indexOf(']') + 1)
            : apiHost.replaceFirst(":[0-9]+$", "");
    return u.getHost() != null && u.getHost().equalsIgnoreCase(host);
  }

  private Response viaHttpClient(Call call, Duration timeout) throws IOException {
    Req req = call.req();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(call.uri())
            .method(req.method(), req.body().publisher())
            .header("User-Agent", opts.userAgent())
            .timeout(timeout);
    call.headers().forEach(b::header);
    try {
      HttpResponse<InputStream> raw =
          httpClient(sameMachine(call.uri()))
              .send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Response(raw.statusCode(), raw.headers(), raw.uri(), raw.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "interrupted: " + req.method() + " " + Redact.url(call.uri()));
    }
  }

  /** The java.net.http client, created on first use (most commands never need it). */
  private synchronized HttpClient httpClient(boolean registryHost) throws IOException {
    if (otherHttp == null) {
      otherHttp = client(tls(false));
      registryHttp = registryInsecure ? client(tls(true)) : otherHttp;
    }
    return registryHost ? registryHttp : otherHttp;
  }

  private HttpClient client(SSLContext ssl) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(opts.timeout())
        .sslContext(ssl)
        .build();
  }

  /** The TLS context for the registry's machine (relaxed when insecure) or for any other host. */
  private synchronized SSLContext tls(boolean registryHost) throws IOException {
    if (otherTls == null) {
      otherTls = Tls.verified(null);
    }
    if (registryTls == null) {
      registryTls = registryInsecure ? Tls.trustAll() : otherTls;
    }
    return registryHost ? registryTls : otherTls;
  }

  /**
   * Sends with {@link HttpURLConnection}, whose body streams in fixed-length mode and is read under
   * the deadline.
   */
  private Response viaUrlConnection(Call call, Duration timeout) throws IOException {
    HttpURLConnection c = (HttpURLConnection) call.uri().toURL().openConnection();
    Future<?> watch = call.deadline().onExpiry(c::disconnect);
    try {
      Response r = exchange(c, call, timeout);
      if (call.deadline().passed()) {
        throw new InterruptedIOException("deadline passed");
      }
      return new Response(r.status, r.headers, r.uri, new DeadlineStream(r.body, call, watch));
    } catch (IOException | RuntimeException e) {
      watch.cancel(false);
      c.disconnect();
      throw e;
    }
  }

  private Response exchange(HttpURLConnection c, Call call, Duration timeout) throws IOException {
    Req req = call.req();
    if (c instanceof HttpsURLConnection https) {
      boolean registryHost = sameMachine(call.uri());
      https.setSSLSocketFactory(tls(registryHost).getSocketFactory());
      if (registryHost && registryInsecure) {
        https.setHostnameVerifier((host, session) -> true);
      }
    }
    c.setRequestMethod(req.method());
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout(
        (int) Math.min(Integer.MAX_VALUE, Math.min(opts.timeout().toMillis(), timeout.toMillis())));
    c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    c.setRequestProperty("User-Agent", opts.userAgent());
    call.headers().forEach(c::setRequestProperty);
    writeBody(c, req);
    int status = c.getResponseCode();
    Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    c.getHeaderFields()
        .forEach(
            (k, v) -> {
              if (k != null) {
                fields.put(k, v);
              }
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
    HttpHeaders headers = HttpHeaders.of(fields, (k, v) -> true);
    long length = headers.firstValueAsLong("Content-Length").orElse(-1);
    if (length >= 0 && !req.method().equals("HEAD")) {
      body = new ExactLength(body, length);
    }
    return new Response(status, headers, call.uri(), body);
  }

  private static void writeBody(HttpURLConnection c, Req req) throws IOException {
    Req.Body body = req.body();
    boolean hasBody = body.bytes() != null || body.stream() != null;
    if (!hasBody
        && !req.method().equals("POST")
        && !req.method().equals("PUT")
        && !req.method().equals("PATCH")) {
      return;
    }
    long length =
        body.bytes() != null ? body.bytes().length : body.stream() != null ? body.length() : 0;
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(length);
    try (OutputStream out = c.getOutputStream()) {
      if (body.bytes() != null) {
        out.write(body.bytes());
      } else if (body.stream() != null) {
        byte[] buf = new byte[256 * 1024];
        long left = length;
        while (left > 0) {
          int n = body.stream().read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new EOFException("request body ended " + left + " bytes early");
          }
          out.write(buf, 0, n);
          left -= n;
        }
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    Duration m = a.compareTo(b) <= 0 ? a : b;
    return m.toMillis() < 1 ? Duration.ofMillis(1) : m;
  }

  /**
   * A response body read under the request's deadline: every read checks it (a registry that drips
   * one byte at a time fails at the deadline), the watchdog closes the connection when a read
   * blocks past it, and either way the reader gets one clear error, never a retryable one. Closing
   * the body, or reading it to the end, cancels the watchdog.
   */
  private final class DeadlineStream extends FilterInputStream {
    private final Call call;
    private final Future<?> watch;

    DeadlineStream(InputStream in, Call call, Future<?> watch) {
      super(in);
      this.call = call;
      this.watch = watch;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (call.deadline().passed()) {
        throw expired(null);
      }
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException e) {
        if (call.deadline().passed()) {
          throw expired(e);
        }
        throw e;
      }
      if (n < 0) {
        watch.cancel(false);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      if (call.deadline().passed()) {
        throw expired(null);
      }
      return super.skip(n);
    }

    private IOException expired(IOException cause) {
      return errors.deadline(call.req(), call.uri(), call.deadline(), cause);
    }

    @Override
    public void close() throws IOException {
      watch.cancel(false);
      super.close();
    }
  }

  /**
   * Fails a body that ends before its Content-Length. HttpURLConnection reports a connection
   * dropped mid-body as a quiet end of stream; this turns it into the EOFException that the retry
   * logic (and any reader) must see.
   */
  private static final class ExactLength extends FilterInputStream {
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
      if (n > 0) {
        count += n;
      } else if (n < 0 && count < length) {
        throw new EOFException("connection closed after " + count + " of " + length + " bytes");
      }
      return n;
    }
  }
}
