package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.verbs.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Registry access flags, skopeo style; {@code --src-*} and {@code --dest-*} override the shared
 * ones.
 */
final class RegistryFlags {
  @Option(
      names = "--creds",
      paramLabel = "USER[:PASS]",
      description = {
        "Credentials for the one registry named on this command line (never sent to another).",
        "A command naming two registries (a copy between them) needs --src-creds and --dest-creds instead."
      })
  String creds;

  @Option(
      names = "--src-creds",
      paramLabel = "USER[:PASS]",
      description = "Credentials for the source registry (only).")
  String srcCreds;

  @Option(
      names = "--dest-creds",
      paramLabel = "USER[:PASS]",
      description = "Credentials for the destination registry (only).")
  String destCreds;

  @Option(
      names = "--authfile",
      paramLabel = "FILE",
      description =
          "Read credentials from this Docker config.json / auth.json instead of the default files.")
  Path authfile;

  private boolean tlsVerify = true;
  private boolean tlsVerifyGiven;

  @Option(
      names = "--tls-verify",
      arity = "1",
      paramLabel = "BOOL",
      description = {
        "Verify TLS of the registries named on this command line (default true); false also allows plain HTTP.",
        "true on a loopback registry forces HTTPS (loopback is otherwise plain HTTP)."
      })
  void tlsVerify(boolean v) {
    tlsVerify = v;
    tlsVerifyGiven = true;
  }

  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description =
          "A registry reached without TLS verification (and over plain HTTP when TLS fails). Repeatable.")
  List<String> insecure = new ArrayList<>();

  @Option(
      names = "--ca-cert",
      paramLabel = "PEM",
      description = "Trust the CA certificates in this PEM file too.")
  Path caCert;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "5",
      description = "Retries on 429, 5xx and dropped connections (default 5).")
  int retries = 5;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      description = {
        "Overall deadline of each registry request, retries and their waits included (default 3m;"
            + " blobs get 1 s more per MiB). E.g. 90s, 10m, 1h."
      })
  String deadline;

  @Option(
      names = "--registry-timeout",
      paramLabel = "DURATION",
      description =
          "Connect timeout, and the longest wait for a registry's next byte (default 30s).")
  String registryTimeout;

  @Option(
      names = "--max-retry-wait",
      paramLabel = "DURATION",
      description =
          "Longest wait before a retry, whatever the registry's Retry-After asks (default 60s).")
  String maxRetryWait;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "4",
      description = "Blobs transferred in parallel (default 4).")
  int jobs = 4;

  /** The command these flags are mixed into: its parsed arguments name the images. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  private Session session;

  /**
   * The session these flags describe: how every registry of this command is reached. One per
   * command line (made on first use), so all its registry calls share one set of clients and
   * tokens.
   */
  synchronized Session session(Console console) {
    if (session == null) {
      session = newSession(console);
    }
    return session;
  }

  private Session newSession(Console console) {
    Session.Builder b =
        Session.builder()
            .events(console)
            .named(named(command))
            .credentials(creds)
            .sourceCredentials(srcCreds)
            .destinationCredentials(destCreds)
            .authFile(authfile)
            .caCertificates(caCert)
            .userAgent("caulk/" + VersionProvider.version())
            .jobs(jobs)
            .retries(Math.max(0, retries));
    if (tlsVerifyGiven) b.tlsVerify(tlsVerify);
    for (String h : insecure) b.insecureRegistry(h);
    if (deadline != null) b.deadline(duration("--deadline", deadline));
    if (registryTimeout != null) b.timeout(duration("--registry-timeout", registryTimeout));
    if (maxRetryWait != null) b.maxRetryWait(duration("--max-retry-wait", maxRetryWait));
    return b.build();
  }

  /** Every image location among the command's parsed arguments and options (lists included). */
  static ImageLocation[] named(CommandSpec spec) {
    List<ImageLocation> out = new ArrayList<>();
    if (spec != null) {
      List<ArgSpec> args = new ArrayList<>(spec.positionalParameters());
      args.addAll(spec.options());
      for (ArgSpec a : args) {
        Object v = a.getValue();
        if (v instanceof ImageLocation l) {
          out.add(l);
        } else if (v instanceof Collection<?> c) {
          for (Object o : c) {
            if (o instanceof ImageLocation l) {
              out.add(l);
            }
          }
        }
      }
    }
    return out.toArray(ImageLocation[]::new);
  }

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

  /**
   * {@code 500ms}, {@code 90s}, {@code 90} (seconds), {@code 10m} or {@code 1h}; positive, at most
   * 7 days.
   */
  static Duration duration(String flag, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches())
      throw new UsageException(flag + ": expected a duration such as 90s, 10m or 1h");
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero()) throw new UsageException(flag + " must be positive");
    if (d.compareTo(Duration.ofDays(7)) > 0)
      throw new UsageException(flag + " must be at most 7 days");
    return d;
  }
}
