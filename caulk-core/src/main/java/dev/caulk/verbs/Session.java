package dev.caulk.verbs;

import dev.caulk.auth.Credential;
import dev.caulk.auth.DockerConfigKeychain;
import dev.caulk.auth.Keychain;
import dev.caulk.auth.Keychains;
import dev.caulk.event.EventListener;
import dev.caulk.location.ImageLocation;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.registry.RegistrySession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the verbs of one caller reach registries, and where they report progress. Built once (the CLI
 * makes one per command line from its registry flags), used by every verb call.
 *
 * <p>A session owns its registry clients ({@link RegistrySession}): every {@link RegistryOptions}
 * it hands out carries them, so the verb calls of one session share each registry's tokens, scheme
 * probe and known blobs (pushing several services mounts their shared layer once uploaded), and two
 * sessions never share a token.
 *
 * <p>Credentials: {@code sourceCredentials} ({@code --src-creds}) serve the registries read from,
 * {@code destinationCredentials} ({@code --dest-creds}) the ones written to. {@code credentials}
 * ({@code --creds}) is for <em>one</em> registry, and is never sent to any other: the one the
 * caller names (see {@link Builder#named}); when the caller named its images but none is in a
 * registry (build and push, whose registries come from the project), the registry written to, so a
 * base image's registry never receives push credentials; when the caller named nothing, the first
 * registry a {@link #source}/{@link #destination} call names. Reaching two registries with it (a
 * copy between registries) is a usage error that asks for {@code --src-creds} and {@code
 * --dest-creds}, as skopeo, whose {@code copy} has only those two, does. Otherwise the Docker
 * config files ({@code authFile}, else the default ones and their credential helpers) answer.
 */
public final class Session {
  private final Builder b;
  private final RegistrySession clients = RegistrySession.create();
  private Keychain files;
  private String credentialsRegistry;
  private boolean boundByName;
  private final Map<String, Keychain> keychains = new HashMap<>();

  private Session(Builder b) {
    this.b = b;
    if (b.credentials != null
        && (b.sourceCredentials == null || b.destinationCredentials == null)) {
      Set<String> named = registries(b.named.toArray(ImageLocation[]::new));
      if (named.size() > 1) {
        throw new InvalidOptionsException(twoRegistries(named));
      }
      credentialsRegistry = named.isEmpty() ? null : named.iterator().next();
      boundByName = credentialsRegistry != null;
    }
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

  /** The registry clients this session owns (and every options object it hands out carries). */
  public RegistrySession registryClients() {
    return clients;
  }

  /**
   * Options for reading from registries; {@code named} are the locations the caller named (the ones
   * {@code tlsVerify} applies to).
   *
   * @throws InvalidOptionsException when {@code --creds} would reach a second registry
   */
  public RegistryOptions source(ImageLocation... named) {
    return options(b.sourceCredentials, false, named);
  }

  /** Options for writing to registries; see {@link #source}. */
  public RegistryOptions destination(ImageLocation... named) {
    return options(b.destinationCredentials, true, named);
  }

  private RegistryOptions options(Credential side, boolean destination, ImageLocation... named) {
    Set<String> insecureHosts = new HashSet<>(b.insecure);
    Set<String> tlsHosts = new HashSet<>();
    for (ImageLocation l : named) {
      for (Reference r : l.registryReference().stream().toList()) {
        if (b.tlsVerify != null && !b.tlsVerify) {
          insecureHosts.add(r.registry());
        } else if (b.tlsVerify != null && r.isLoopback()) {
          tlsHosts.add(r.registry());
        }
      }
    }
    RegistryOptions o =
        RegistryOptions.defaults()
            .withKeychain(keychain(side, destination, named))
            .withInsecureHosts(insecureHosts)
            .withTlsHosts(tlsHosts)
            .withUserAgent(b.userAgent)
            .withParallelism(b.jobs)
            .withListener(b.events)
            .withSession(clients);
    if (b.caCertificates != null) {
      o = o.withCaCertificates(b.caCertificates);
    }
    if (b.deadline != null) {
      o = o.withDeadline(b.deadline);
    }
    if (b.timeout != null) {
      o = o.withTimeout(b.timeout);
    }
    Duration wait = b.maxRetryWait != null ? b.maxRetryWait : o.maxRetryWait();
    return o.withRetries(b.retries != null ? b.retries : o.retries(), o.backoff(), wait);
  }

  /**
   * The keychain of one side: its own credential for every registry, else {@code --creds} for its
   * one registry only, then the config files. Made once per session and kind (equal options then
   * share one client of the session).
   *
   * <p>Which registry {@code --creds} is for: the one the caller named; when the caller named its
   * images but none is in a registry (build and push, whose registries come from the project), the
   * registry written to, so that a base image's registry never receives the push credentials; when
   * the caller named nothing (a library user), the registry of the first call that names one.
   */
  private synchronized Keychain keychain(
      Credential side, boolean destination, ImageLocation... named) {
    if (files == null) {
      files =
          b.authFile != null
              ? DockerConfigKeychain.ofFile(b.authFile, System.getenv())
              : Keychains.defaults();
    }
    if (side != null) {
      return keychains.computeIfAbsent(
          side == b.sourceCredentials ? "--src-creds" : "--dest-creds",
          k -> Keychains.chain(host -> Optional.of(side), files));
    }
    if (b.credentials == null) {
      return files;
    }
    if (boundByName) {
      // the registry the caller named; Keychains.fixed gives every other registry nothing
      return credsFor(credentialsRegistry);
    }
    if (b.namedGiven && !destination) {
      return files;
    }
    Set<String> reached = registries(named);
    if (credentialsRegistry != null) {
      reached.add(credentialsRegistry);
    }
    if (reached.size() > 1) {
      throw new InvalidOptionsException(twoRegistries(reached));
    }
    if (reached.isEmpty()) {
      return files;
    }
    credentialsRegistry = reached.iterator().next();
    return credsFor(credentialsRegistry);
  }

  private Keychain credsFor(String registry) {
    return keychains.computeIfAbsent(
        registry, r -> Keychains.chain(Keychains.fixed(r, b.credentials), files));
  }

  private static Set<String> registries(ImageLocation... named) {
    Set<String> out = new TreeSet<>();
    for (ImageLocation l : named) {
      l.registryReference().ifPresent(r -> out.add(r.registry()));
    }
    return out;
  }

  private static String twoRegistries(Set<String> registries) {
    return "--creds is for one registry, and this command reaches "
        + registries.size()
        + " ("
        + String.join(", ", registries)
        + "): use --src-creds for the source and --dest-creds for the destination";
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
    private final List<ImageLocation> named = new ArrayList<>();
    private boolean namedGiven;

    private Builder() {}

    public Builder events(EventListener e) {
      this.events = e == null ? EventListener.NONE : e;
      return this;
    }

    /**
     * The locations the caller names (a command line's images): {@code --creds} is for the one
     * registry among them, and naming two registries with it is refused when the session is built.
     */
    public Builder named(ImageLocation... locations) {
      this.named.addAll(List.of(locations));
      this.namedGiven = true;
      return this;
    }

    /**
     * {@code USER[:PASS]} for the one registry the caller names (null: none); see {@link Session}.
     */
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
