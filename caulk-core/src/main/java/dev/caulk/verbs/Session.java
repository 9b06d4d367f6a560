package dev.caulk.verbs;

import dev.caulk.auth.Credential;
import dev.caulk.auth.DockerConfigKeychain;
import dev.caulk.auth.Keychain;
import dev.caulk.auth.Keychains;
import dev.caulk.event.EventListener;
import dev.caulk.location.ImageLocation;
import dev.caulk.registry.RegistryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How the verbs of one caller reach registries, and where they report progress. Built once (the
 * CLI makes one per command line from its registry flags), used by every verb call.
 *
 * <p>Credentials: {@code credentials} applies to every registry, {@code sourceCredentials} and
 * {@code destinationCredentials} to the registries read from and written to; otherwise the Docker
 * config files ({@code authFile}, else the default ones and their credential helpers).
 */
public final class Session {
  private final Builder b;

  private Session(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A session with default settings (anonymous unless the Docker config files say otherwise). */
  public static Session defaults(EventListener events) {
    return builder().events(events).build();
  }

  /** Where progress and logs go. */
  public EventListener events() {
    return b.events;
  }

  /**
   * Options for reading from registries; {@code named} are the locations the caller named (the
   * ones {@code tlsVerify} applies to).
   */
  public RegistryOptions source(ImageLocation... named) {
    return options(b.sourceCredentials != null ? b.sourceCredentials : b.credentials, named);
  }

  /** Options for writing to registries; see {@link #source}. */
  public RegistryOptions destination(ImageLocation... named) {
    return options(b.destinationCredentials != null ? b.destinationCredentials : b.credentials, named);
  }

  private RegistryOptions options(Credential credential, ImageLocation... named) {
    Keychain files = b.authFile != null ? DockerConfigKeychain.ofFile(b.authFile, System.getenv()) : Keychains.defaults();
    Keychain keychain = files;
    if (credential != null) keychain = Keychains.chain(host -> Optional.of(credential), files);
    Set<String> insecureHosts = new HashSet<>(b.insecure);
    Set<String> tlsHosts = new HashSet<>();
    for (ImageLocation l : named) {
      if (l instanceof ImageLocation.Registry r) {
        if (b.tlsVerify != null && !b.tlsVerify) insecureHosts.add(r.reference().registry());
        else if (b.tlsVerify != null && r.reference().isLoopback()) tlsHosts.add(r.reference().registry());
      }
    }
    RegistryOptions o = RegistryOptions.defaults()
        .withKeychain(keychain)
        .withInsecureHosts(insecureHosts)
        .withTlsHosts(tlsHosts)
        .withUserAgent(b.userAgent)
        .withParallelism(b.jobs)
        .withListener(b.events);
    if (b.caCertificates != null) o = o.withCaCertificates(b.caCertificates);
    if (b.deadline != null) o = o.withDeadline(b.deadline);
    if (b.timeout != null) o = o.withTimeout(b.timeout);
    Duration wait = b.maxRetryWait != null ? b.maxRetryWait : o.maxRetryWait();
    return o.withRetries(b.retries != null ? b.retries : o.retries(), o.backoff(), wait);
  }

  /** Builds a {@link Session}; every setting is optional. */
  public static final class Builder {
    private EventListener events = EventListener.NONE;
    private Credential credentials;
    private Credential sourceCredentials;
    private Credential destinationCredentials;
    private Path authFile;
    private Boolean tlsVerify;
    private final Set<String> insecure = new LinkedHashSet<>();
    private Path caCertificates;
    private Integer retries;
    private Duration deadline;
    private Duration timeout;
    private Duration maxRetryWait;
    private int jobs = 4;
    private String userAgent = "caulk";

    private Builder() {}

    public Builder events(EventListener e) {
      this.events = e == null ? EventListener.NONE : e;
      return this;
    }

    /** {@code USER[:PASS]} for every registry (null: none). */
    public Builder credentials(String userPass) {
      this.credentials = parse("--creds", userPass);
      return this;
    }

    public Builder sourceCredentials(String userPass) {
      this.sourceCredentials = parse("--src-creds", userPass);
      return this;
    }

    public Builder destinationCredentials(String userPass) {
      this.destinationCredentials = parse("--dest-creds", userPass);
      return this;
    }

    /** A Docker {@code config.json} / {@code auth.json} read instead of the default files. */
    public Builder authFile(Path f) {
      this.authFile = f;
      return this;
    }

    /**
     * Verify TLS of the registries the caller names (false also allows plain HTTP; true on a
     * loopback registry forces HTTPS). Not calling this keeps the defaults.
     */
    public Builder tlsVerify(boolean v) {
      this.tlsVerify = v;
      return this;
    }

    /** A {@code host[:port]} reached without TLS verification. */
    public Builder insecureRegistry(String hostPort) {
      this.insecure.add(hostPort);
      return this;
    }

    public Builder caCertificates(Path pem) {
      this.caCertificates = pem;
      return this;
    }

    public Builder retries(int n) {
      if (n < 0) throw new InvalidOptionsException("--retries must be 0 or more");
      this.retries = n;
      return this;
    }

    public Builder deadline(Duration d) {
      this.deadline = d;
      return this;
    }

    public Builder timeout(Duration d) {
      this.timeout = d;
      return this;
    }

    public Builder maxRetryWait(Duration d) {
      this.maxRetryWait = d;
      return this;
    }

    /** Blobs transferred in parallel (at least 1). */
    public Builder jobs(int n) {
      this.jobs = Math.max(1, n);
      return this;
    }

    public Builder userAgent(String ua) {
      this.userAgent = ua;
      return this;
    }

    public Session build() {
      return new Session(this);
    }

    private static Credential parse(String flag, String userPass) {
      if (userPass == null) return null;
      try {
        return Credential.parse(userPass);
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionsException(flag + ": " + e.getMessage());
      }
    }
  }
}
