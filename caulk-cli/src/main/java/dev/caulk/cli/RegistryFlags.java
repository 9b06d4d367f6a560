package dev.caulk.cli;

import dev.caulk.auth.Credential;
import dev.caulk.auth.DockerConfigKeychain;
import dev.caulk.auth.Keychain;
import dev.caulk.auth.Keychains;
import dev.caulk.location.ImageLocation;
import dev.caulk.registry.RegistryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** Registry access flags, skopeo style; {@code --src-*} and {@code --dest-*} override the shared ones. */
final class RegistryFlags {
  @Option(names = "--creds", paramLabel = "USER[:PASS]", description = "Credentials for every registry this command talks to.")
  String creds;

  @Option(names = "--src-creds", paramLabel = "USER[:PASS]", description = "Credentials for the source registry.")
  String srcCreds;

  @Option(names = "--dest-creds", paramLabel = "USER[:PASS]", description = "Credentials for the destination registry.")
  String destCreds;

  @Option(names = "--authfile", paramLabel = "FILE",
      description = "Read credentials from this Docker config.json / auth.json instead of the default files.")
  Path authfile;

  private boolean tlsVerify = true;
  private boolean tlsVerifyGiven;

  @Option(names = "--tls-verify", arity = "1", paramLabel = "BOOL",
      description = {"Verify TLS of the registries named on this command line (default true); false also allows plain HTTP.",
          "true on a loopback registry forces HTTPS (loopback is otherwise plain HTTP)."})
  void tlsVerify(boolean v) {
    tlsVerify = v;
    tlsVerifyGiven = true;
  }

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "A registry reached without TLS verification (and over plain HTTP when TLS fails). Repeatable.")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--ca-cert", paramLabel = "PEM", description = "Trust the CA certificates in this PEM file too.")
  Path caCert;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "5", description = "Retries on 429, 5xx and dropped connections (default 5).")
  int retries = 5;

  @Option(names = "--deadline", paramLabel = "DURATION",
      description = {"Overall deadline of each registry request, retries and their waits included (default 3m;"
          + " blobs get 1 s more per MiB). E.g. 90s, 10m, 1h."})
  String deadline;

  @Option(names = "--registry-timeout", paramLabel = "DURATION",
      description = "Connect timeout, and the longest wait for a registry's next byte (default 30s).")
  String registryTimeout;

  @Option(names = "--max-retry-wait", paramLabel = "DURATION",
      description = "Longest wait before a retry, whatever the registry's Retry-After asks (default 60s).")
  String maxRetryWait;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "4", description = "Blobs transferred in parallel (default 4).")
  int jobs = 4;

  /**
   * Options for reading from the registries of {@code locations} (the ones this command names,
   * which {@code --tls-verify} applies to).
   */
  RegistryOptions sourceOptions(Console console, ImageLocation... locations) {
    return options(srcCreds != null ? srcCreds : creds, console, locations);
  }

  /** Options for writing to the registries of {@code locations}. */
  RegistryOptions destinationOptions(Console console, ImageLocation... locations) {
    return options(destCreds != null ? destCreds : creds, console, locations);
  }

  private RegistryOptions options(String credsFlag, Console console, ImageLocation... locations) {
    Keychain files = authfile != null ? DockerConfigKeychain.ofFile(authfile, System.getenv()) : Keychains.defaults();
    Keychain keychain = files;
    if (credsFlag != null) {
      Credential c = Credential.parse(credsFlag);
      keychain = Keychains.chain(host -> Optional.of(c), files);
    }
    Set<String> insecureHosts = new HashSet<>(insecure);
    Set<String> tlsHosts = new HashSet<>();
    for (ImageLocation l : locations) {
      if (l instanceof ImageLocation.Registry r) {
        if (!tlsVerify) insecureHosts.add(r.reference().registry());
        else if (tlsVerifyGiven && r.reference().isLoopback()) tlsHosts.add(r.reference().registry());
      }
    }
    RegistryOptions o = RegistryOptions.defaults()
        .withKeychain(keychain)
        .withInsecureHosts(insecureHosts)
        .withTlsHosts(tlsHosts)
        .withUserAgent("caulk/" + VersionProvider.version())
        .withParallelism(Math.max(1, jobs))
        .withListener(console);
    if (caCert != null) o = o.withCaCertificates(caCert);
    if (deadline != null) o = o.withDeadline(duration("--deadline", deadline));
    if (registryTimeout != null) o = o.withTimeout(duration("--registry-timeout", registryTimeout));
    Duration wait = maxRetryWait != null ? duration("--max-retry-wait", maxRetryWait) : o.maxRetryWait();
    return o.withRetries(Math.max(0, retries), o.backoff(), wait);
  }

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

  /** {@code 500ms}, {@code 90s}, {@code 90} (seconds), {@code 10m} or {@code 1h}; positive, at most 7 days. */
  static Duration duration(String flag, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) throw new UsageException(flag + ": expected a duration such as 90s, 10m or 1h");
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.isZero()) throw new UsageException(flag + " must be positive");
    if (d.compareTo(Duration.ofDays(7)) > 0) throw new UsageException(flag + " must be at most 7 days");
    return d;
  }
}
