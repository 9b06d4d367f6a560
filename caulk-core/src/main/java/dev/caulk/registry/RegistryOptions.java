package dev.caulk.registry;

import dev.caulk.auth.Keychain;
import dev.caulk.auth.Keychains;
import dev.caulk.event.EventListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How caulk talks to registries. Start from {@link #defaults()} and change what you need with the
 * {@code with…} methods; the record is immutable and shared by all clients it creates.
 *
 * <p>Scheme: HTTPS with verified certificates, except that a loopback registry ({@code localhost},
 * {@code 127.0.0.0/8}, {@code [::1]}) is spoken to in plain HTTP, as Docker does, unless it is
 * listed in {@code tlsHosts}. A host in {@code insecureHosts} ({@code --tls-verify=false}, {@code
 * --insecure-registry}) gets HTTPS without certificate or name checks, and plain HTTP when the TLS
 * handshake fails (skopeo's behaviour).
 *
 * @param keychain where credentials come from
 * @param insecureHosts {@code host[:port]} names whose TLS certificates are not verified
 * @param tlsHosts loopback {@code host[:port]} names that must be spoken to over HTTPS
 * @param caCertificates a PEM file of extra CA certificates trusted besides the JDK's, or null
 * @param userAgent the User-Agent header
 * @param retries how many times a failed request or blob upload is retried (0 = never)
 * @param backoff the first retry's delay; it doubles with each retry, with random jitter
 * @param maxRetryWait the longest wait before a retry, whatever {@code Retry-After} asks
 * @param timeout the connect timeout, and the idle read timeout: the longest a request waits for
 *     the registry's next byte
 * @param deadline the overall deadline of one request, retries and their waits included, for a
 *     request that moves no more than {@value #DEADLINE_BYTES_PER_SECOND} bytes; larger blobs get
 *     one more second per {@value #DEADLINE_BYTES_PER_SECOND} bytes (see {@link #deadlineFor})
 * @param chunkSize blobs up to this size are uploaded in one PUT; larger ones in PATCH chunks of
 *     this size
 * @param parallelism how many blobs are transferred at once
 * @param listener receives progress (one {@code Event.Progress} unit per blob) and logs
 * @param session the caller's registry clients (tokens, scheme probes, blobs known to be in each
 *     registry), shared by every call made with these options; null for none, in which case each
 *     {@link Remote} call makes its own client and nothing carries over from one call to the next
 */
public record RegistryOptions(
    Keychain keychain,
    Set<String> insecureHosts,
    Set<String> tlsHosts,
    Path caCertificates,
    String userAgent,
    int retries,
    Duration backoff,
    Duration maxRetryWait,
    Duration timeout,
    Duration deadline,
    long chunkSize,
    int parallelism,
    EventListener listener,
    RegistrySession session) {

  /**
   * The default chunk size and monolithic-upload threshold: 64 MiB (fewer round trips for large
   * layers; measured with bench/copy).
   */
  public static final long DEFAULT_CHUNK_SIZE = 64L * 1024 * 1024;

  /**
   * The default overall deadline of a request: 3 minutes, plus the time a blob takes at 1 MiB/s.
   */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(3);

  /** The slowest transfer rate the deadline allows for: 1 MiB/s. */
  public static final long DEADLINE_BYTES_PER_SECOND = 1024L * 1024;

  public RegistryOptions {
    Objects.requireNonNull(keychain, "keychain");
    insecureHosts = Set.copyOf(insecureHosts);
    tlsHosts = Set.copyOf(tlsHosts);
    Objects.requireNonNull(userAgent, "userAgent");
    if (retries < 0) throw new IllegalArgumentException("retries must be >= 0");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxRetryWait, "maxRetryWait");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(deadline, "deadline");
    if (timeout.isNegative() || timeout.isZero())
      throw new IllegalArgumentException("timeout must be positive");
    if (deadline.isNegative() || deadline.isZero())
      throw new IllegalArgumentException("deadline must be positive");
    if (chunkSize < 1) throw new IllegalArgumentException("chunkSize must be positive");
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be positive");
    Objects.requireNonNull(listener, "listener");
  }

  /**
   * Anonymous access, verified HTTPS, 5 retries from 500 ms (waits capped at 60 s), 30 s connect
   * and idle timeout, a 3 min deadline per request (plus 1 s per MiB of blob), 64 MiB chunks, 4
   * parallel transfers, no listener.
   */
  public static RegistryOptions defaults() {
    return new RegistryOptions(
        Keychains.anonymous(),
        Set.of(),
        Set.of(),
        null,
        "caulk/0.1",
        5,
        Duration.ofMillis(500),
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        DEFAULT_DEADLINE,
        DEFAULT_CHUNK_SIZE,
        4,
        EventListener.NONE,
        null);
  }

  /** Where credentials come from, e.g. {@code Keychains.fixed(host, cred)} for {@code --creds}. */
  public RegistryOptions withKeychain(Keychain k) {
    return new RegistryOptions(
        k,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /** Hosts whose TLS certificates are not verified and which may fall back to plain HTTP. */
  public RegistryOptions withInsecureHosts(Set<String> hosts) {
    return new RegistryOptions(
        keychain,
        hosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /** Loopback hosts that must be spoken to over HTTPS (a local registry with TLS). */
  public RegistryOptions withTlsHosts(Set<String> hosts) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        hosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /** A PEM file of CA certificates trusted besides the JDK's, or null. */
  public RegistryOptions withCaCertificates(Path pem) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        pem,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /** The User-Agent header. */
  public RegistryOptions withUserAgent(String ua) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        ua,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /**
   * Retry budget: {@code n} retries, the first after about {@code firstBackoff}, no wait longer
   * than {@code maxWait}.
   */
  public RegistryOptions withRetries(int n, Duration firstBackoff, Duration maxWait) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        n,
        firstBackoff,
        maxWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /** Connect timeout and idle read timeout (the longest wait for the registry's next byte). */
  public RegistryOptions withTimeout(Duration t) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        t,
        deadline,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /**
   * The overall deadline of one request (connection, headers, body, retries and their waits) that
   * moves up to {@value #DEADLINE_BYTES_PER_SECOND} bytes; see {@link #deadlineFor}.
   */
  public RegistryOptions withDeadline(Duration d) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        d,
        chunkSize,
        parallelism,
        listener,
        session);
  }

  /**
   * The overall deadline of a request that moves {@code bytes} (a blob's size, a chunk's, or 0 for
   * manifests, tags and tokens): the deadline plus one second per {@value
   * #DEADLINE_BYTES_PER_SECOND} bytes, so that a 1 GiB layer gets 3 min + 17 min by default.
   */
  public Duration deadlineFor(long bytes) {
    long extra = Math.max(0, bytes) / DEADLINE_BYTES_PER_SECOND;
    return deadline.plusSeconds(extra);
  }

  /** Monolithic-upload threshold and PATCH chunk size, in bytes. */
  public RegistryOptions withChunkSize(long bytes) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        bytes,
        parallelism,
        listener,
        session);
  }

  /** How many blobs are transferred at once. */
  public RegistryOptions withParallelism(int n) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        n,
        listener,
        session);
  }

  /** Where progress and log events go. */
  public RegistryOptions withListener(EventListener l) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        l,
        session);
  }

  /**
   * The caller's registry clients: calls made with options that carry the same session share each
   * registry's client, so its tokens, its scheme probe and the blobs known to be there (which lets
   * a push of several images mount a shared layer instead of uploading it again). Two sessions
   * share nothing. Null: none.
   */
  public RegistryOptions withSession(RegistrySession s) {
    return new RegistryOptions(
        keychain,
        insecureHosts,
        tlsHosts,
        caCertificates,
        userAgent,
        retries,
        backoff,
        maxRetryWait,
        timeout,
        deadline,
        chunkSize,
        parallelism,
        listener,
        s);
  }

  /** True when {@code registry}'s certificates are not checked. */
  public boolean isInsecure(String registry) {
    return insecureHosts.contains(registry);
  }
}
