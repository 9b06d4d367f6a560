package dev.caulk.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real registry for tests and benchmarks: Debian's {@code docker-registry} (distribution 2.8)
 * serving a throwaway filesystem store on a free 127.0.0.1 port, started by {@link #start(Mode)}
 * and stopped (process killed, store deleted) by {@link #close()}.
 *
 * <p>Why a real binary rather than a mock: the registry client must agree with the reference
 * implementation of the distribution spec, including its quirks (challenge formats, upload state in
 * {@code Location}, digest checks). Modes cover the transport and auth combinations a client meets:
 * plain HTTP, Basic (htpasswd), TLS with a throwaway CA, and Bearer tokens from a tiny in-process
 * token server. The registry's own output goes to {@link #logFile()}, never to the test output.
 *
 * <p>In JUnit tests prefer {@link RegistryExtension} / {@link RegistryTest}, which start one
 * registry per test class and skip or fail cleanly when the binary is missing.
 */
public final class TestRegistry implements AutoCloseable {
  /** System property naming another registry binary (default {@code /usr/bin/docker-registry}). */
  public static final String BINARY_PROPERTY = "caulk.test.registry.binary";

  /**
   * System property naming the directory for registry logs (default {@code target/registry-logs}).
   */
  public static final String LOG_DIR_PROPERTY = "caulk.test.logdir";

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** How clients authenticate to the registry. */
  public enum Auth {
    NONE,
    BASIC,
    BEARER
  }

  /** Transport and auth combination of a registry. */
  public enum Mode {
    /** HTTP, anonymous. */
    PLAIN(false, Auth.NONE),
    /** HTTP with htpasswd Basic auth. */
    BASIC(false, Auth.BASIC),
    /** HTTPS with a throwaway CA, anonymous. */
    TLS(true, Auth.NONE),
    /** HTTPS with a throwaway CA and Basic auth. */
    TLS_BASIC(true, Auth.BASIC),
    /** HTTP with Bearer token auth; the token server is plain HTTP on another port. */
    BEARER(false, Auth.BEARER),
    /** HTTPS with Bearer token auth. */
    TLS_BEARER(true, Auth.BEARER);

    private final boolean tls;
    private final Auth auth;

    Mode(boolean tls, Auth auth) {
      this.tls = tls;
      this.auth = auth;
    }

    /** Whether the registry speaks HTTPS. */
    public boolean tls() {
      return tls;
    }

    /** How the registry authenticates clients. */
    public Auth auth() {
      return auth;
    }
  }

  /** A user name and password; {@link #toString()} hides the password. */
  public record Credentials(String username, String password) {
    /** What Basic and Bearer modes use unless told otherwise. */
    public static final Credentials DEFAULT = new Credentials("caulk", "caulk-secret");

    /** Checks the values: htpasswd and Basic auth forbid a colon in the user name. */
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.isEmpty() || username.contains(":")) {
        throw new IllegalArgumentException("user name must be non-empty and without ':'");
      }
    }

    /** The value of an {@code Authorization} header for these credentials (RFC 7617). */
    public String basicAuthorization() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=***]";
    }
  }

  /**
   * What to start. {@code tokenLifetime} is the {@code expires_in} of issued tokens (Bearer modes;
   * keep it short, e.g. 2 s, to exercise refresh): the registry itself refuses a token after that
   * time, rounded up to a whole second. {@code anonymousPull} lets the token server grant {@code
   * pull} to requests without credentials, as public registries do.
   */
  public record Options(
      Mode mode, Credentials credentials, Duration tokenLifetime, boolean anonymousPull) {
    /** Checks the values. */
    public Options {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(tokenLifetime, "tokenLifetime");
      if (tokenLifetime.toSeconds() < 1) {
        throw new IllegalArgumentException(
            "token lifetime must be at least 1 s (JWT times are seconds)");
      }
    }

    /** Default options for a mode: default credentials, 60 s tokens, no anonymous pull. */
    public static Options of(Mode mode) {
      return new Options(mode, Credentials.DEFAULT, Duration.ofSeconds(60), false);
    }

    /** Same options with other credentials. */
    public Options withCredentials(String username, String password) {
      return new Options(mode, new Credentials(username, password), tokenLifetime, anonymousPull);
    }

    /** Same options with another token lifetime. */
    public Options withTokenLifetime(Duration lifetime) {
      return new Options(mode, credentials, lifetime, anonymousPull);
    }

    /** Same options with anonymous pull on or off. */
    public Options withAnonymousPull(boolean on) {
      return new Options(mode, credentials, tokenLifetime, on);
    }
  }

  /**
   * One request the token server answered: the user (null when anonymous), the scopes asked, the
   * status.
   */
  public record TokenRequest(String username, List<String> scopes, int status) {}

  private final Options options;
  private final Path workDir;
  private final Path logFile;
  private final boolean keepLog;
  private final RegistryProcess process;
  private final Pki.TlsFiles tls;
  private final SSLContext sslContext;
  private final TokenServer tokenServer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private TestRegistry(
      Options options,
      Path workDir,
      Path logFile,
      boolean keepLog,
      RegistryProcess process,
      Pki.TlsFiles tls,
      SSLContext sslContext,
      TokenServer tokenServer) {
    this.options = options;
    this.workDir = workDir;
    this.logFile = logFile;
    this.keepLog = keepLog;
    this.process = process;
    this.tls = tls;
    this.sslContext = sslContext;
    this.tokenServer = tokenServer;
    this.shutdownHook = new Thread(this::stopQuietly, "caulk-test-registry-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The registry binary: {@value #BINARY_PROPERTY} if set, else {@code /usr/bin/docker-registry}.
   */
  public static Path binary() {
    return Path.of(System.getProperty(BINARY_PROPERTY, "/usr/bin/docker-registry"));
  }

  /** Whether the registry binary and, for TLS and Bearer modes, openssl are installed. */
  public static boolean isInstalled(Mode mode) {
    return Files.isExecutable(binary())
        && (!(mode.tls() || mode.auth() == Auth.BEARER) || Pki.openssl().isPresent());
  }

  /** Starts a registry in {@code mode} with default options. */
  public static TestRegistry start(Mode mode) throws IOException {
    return start(Options.of(mode));
  }

  /**
   * Starts a registry and waits until {@code GET /v2/} answers (200 or 401).
   *
   * @throws IOException if a program is missing or the registry does not come up; the message
   *     carries the tail of the registry log
   */
  public static TestRegistry start(Options options) throws IOException {
    if (!Files.isExecutable(binary())) {
      throw new IOException(
          "docker-registry not found at " + binary() + " (apt-get install docker-registry)");
    }
    Mode mode = options.mode();
    Path workDir = Files.createTempDirectory("caulk-registry-");
    TokenServer tokenServer = null;
    try {
      Path logDir = logDirectory();
      boolean keepLog = logDir != null;
      Files.createDirectories(keepLog ? logDir : workDir);
      Path log =
          (keepLog ? logDir : workDir)
              .resolve(
                  String.format(
                      Locale.ROOT,
                      "registry-%s-%d-%d.log",
                      mode.name().toLowerCase(Locale.ROOT),
                      ProcessHandle.current().pid(),
                      SEQUENCE.incrementAndGet()));
      Pki.TlsFiles tls = mode.tls() ? Pki.tls(workDir) : null;
      SSLContext ssl = tls != null ? Pki.trusting(tls.caCert()) : null;
      RegistryConfig.Auth auth = new RegistryConfig.Auth(null, null, null);
      if (mode.auth() == Auth.BASIC) {
        auth = new RegistryConfig.Auth(Htpasswd.write(workDir, options.credentials()), null, null);
      } else if (mode.auth() == Auth.BEARER) {
        Pki.Signer signer = Pki.tokenSigner(workDir);
        tokenServer =
            TokenServer.start(
                signer, options.credentials(), options.tokenLifetime(), options.anonymousPull());
        auth = new RegistryConfig.Auth(null, tokenServer.realm(), signer.certFile());
      }
      RegistryProcess process = RegistryProcess.start(binary(), workDir, log, tls, auth, ssl);
      return new TestRegistry(options, workDir, log, keepLog, process, tls, ssl, tokenServer);
    } catch (IOException | RuntimeException e) {
      if (tokenServer != null) {
        tokenServer.close();
      }
      Processes.deleteTree(workDir);
      throw e;
    }
  }

  /** The options this registry was started with. */
  public Options options() {
    return options;
  }

  /** The transport and auth mode. */
  public Mode mode() {
    return options.mode();
  }

  /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + process.port();
  }

  /** The TCP port. */
  public int port() {
    return process.port();
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://…}, without a trailing slash. */
  public URI url() {
    return URI.create((mode().tls() ? "https://" : "http://") + host());
  }

  /**
   * The user name and password accepted in Basic and Bearer modes.
   *
   * @throws IllegalStateException in anonymous modes, where there are none
   */
  public Credentials credentials() {
    if (mode().auth() == Auth.NONE) {
      throw new IllegalStateException("registry in mode " + mode() + " has no credentials");
    }
    return options.credentials();
  }

  /**
   * The PEM file of the throwaway CA that signed the server certificate; trust it to reach the
   * registry.
   *
   * @throws IllegalStateException unless the mode is TLS
   */
  public Path caCertificate() {
    if (tls == null) {
      throw new IllegalStateException("registry in mode " + mode() + " has no TLS");
    }
    return tls.caCert();
  }

  /**
   * An SSLContext trusting only the throwaway CA.
   *
   * @throws IllegalStateException unless the mode is TLS
   */
  public SSLContext sslContext() {
    if (sslContext == null) {
      throw new IllegalStateException("registry in mode " + mode() + " has no TLS");
    }
    return sslContext;
  }

  /**
   * An HttpClient builder set for this registry: HTTP/1.1, 5 s connect timeout, the CA trusted in
   * TLS modes.
   */
  public HttpClient.Builder httpClientBuilder() {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5));
    return sslContext != null ? b.sslContext(sslContext) : b;
  }

  /**
   * Where the registry's stdout and stderr go (kept under target/registry-logs when run by Maven).
   */
  public Path logFile() {
    return logFile;
  }

  /** The registry's storage root (filesystem driver); deleted on close. */
  public Path storageDirectory() {
    return workDir.resolve("storage");
  }

  /**
   * The token server's URL (the {@code realm} of the Bearer challenge).
   *
   * @throws IllegalStateException unless the mode is a Bearer mode
   */
  public URI tokenRealm() {
    return requireTokenServer().realm();
  }

  /** The {@code service} the registry names in its challenge and the token server expects. */
  public String tokenService() {
    requireTokenServer();
    return TokenServer.SERVICE;
  }

  /**
   * How many requests the token server has answered (any status), to assert that clients cache
   * tokens.
   */
  public int tokenRequestCount() {
    return requireTokenServer().requests().size();
  }

  /** Every request the token server has answered, oldest first. */
  public List<TokenRequest> tokenRequests() {
    return requireTokenServer().requests();
  }

  private TokenServer requireTokenServer() {
    if (tokenServer == null) {
      throw new IllegalStateException("registry in mode " + mode() + " has no token server");
    }
    return tokenServer;
  }

  /** Stops the registry and the token server and deletes the store; idempotent. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // the JVM is already shutting down; the hook runs stopQuietly itself
    }
  }

  private void stopQuietly() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.stop();
    if (tokenServer != null) {
      tokenServer.close();
    }
    Processes.deleteTree(workDir);
  }

  @Override
  public String toString() {
    return "TestRegistry[" + mode() + " " + url() + (keepLog ? ", log " + logFile : "") + "]";
  }

  /**
   * {@value #LOG_DIR_PROPERTY}, else target/registry-logs when a target directory exists, else
   * none.
   */
  private static Path logDirectory() {
    String configured = System.getProperty(LOG_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path target = Path.of("target");
    return Files.isDirectory(target) ? target.resolve("registry-logs").toAbsolutePath() : null;
  }
}
