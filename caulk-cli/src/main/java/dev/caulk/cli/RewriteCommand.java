package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import dev.caulk.run.Probe;
import dev.caulk.run.ProbeException;
import dev.caulk.run.Sandbox;
import dev.caulk.slim.Prover;
import dev.caulk.spec.Platform;
import dev.caulk.tar.ReproducibleLayerBuilder;
import dev.caulk.verbs.Rewrite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code caulk harden} and {@code caulk slim} share: source and destination, the probe, the
 * before/after report. The report is data, so it goes to stdout (as {@code caulk audit}'s does),
 * followed by {@code DST@DIGEST} on its own last line in table format (inside the JSON as {@code
 * result}); with {@code -o FILE} the report goes to FILE and stdout carries only {@code
 * DST@DIGEST}.
 */
abstract class RewriteCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  Console console;

  @Parameters(
      index = "0",
      paramLabel = "SRC",
      converter = LocationConverter.class,
      description = "The image to rewrite.")
  ImageLocation source;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DST",
      converter = LocationConverter.class,
      description =
          "Where to write the result (written only when every step, and the probe, passed).")
  ImageLocation destination;

  @Option(
      names = "--platform",
      converter = PlatformConverter.class,
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to pick from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "Report format: table or json (default: table).")
  OutputFormat format = OutputFormat.table;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(
      names = "--probe",
      description =
          "Run the original and the result under runc and compare their answers; write nothing unless "
              + "both pass. Each run is sandboxed: the image's user (never root unless --probe-as-root), a user namespace where the kernel "
              + "allows it, memory/pids/CPU limits, no new privileges, seccomp, a read-only root and its own network namespace. "
              + "Needs root and runc. Any --probe-* option implies it.")
  boolean probe;

  @Option(
      names = "--probe-as-root",
      description =
          "Allow probing an image that runs as root (uid 0 or no USER); it still gets no capabilities.")
  boolean probeAsRoot;

  @Option(
      names = "--probe-host-network",
      description =
          "Run the probed containers on the host's network (for a service that calls "
              + "an upstream on this machine) instead of a network namespace of their own.")
  boolean probeHostNetwork;

  @Option(
      names = "--probe-http",
      paramLabel = "PATH",
      description = "The HTTP path to GET (default: /).")
  String probeHttp;

  @Option(
      names = "--probe-tcp",
      description = "Only connect to the port instead of sending an HTTP request.")
  boolean probeTcp;

  @Option(
      names = "--probe-body",
      description =
          "The result's response body must equal the original's (the status always must).")
  boolean probeBody;

  @Option(
      names = "--probe-port",
      paramLabel = "PORT",
      description = "The port to probe (default: the image's first exposed TCP port).")
  Integer probePort;

  @Option(
      names = "--probe-env",
      paramLabel = "NAME=VALUE",
      description = "An environment variable for both runs, e.g. PORT=8080. Repeatable.")
  List<String> probeEnv = new ArrayList<>();

  @Option(
      names = "--probe-timeout",
      paramLabel = "SECONDS",
      description = "How long each run may take to accept connections (default: 20).")
  Integer probeTimeout;

  @Option(
      names = "--max-spool",
      paramLabel = "SIZE",
      description =
          "The most the image's files may take in the temporary folder "
              + "while they are rewritten, e.g. 8G or 500M (default: 10 times the image's compressed layers, at least 2G).")
  String maxSpool;

  @Option(
      names = "--runc",
      paramLabel = "PATH",
      description = "The runc binary (default: runc on the PATH, else /usr/sbin/runc).")
  Path runc;

  @Option(
      names = "--trace",
      description =
          "Run the original under strace -f during the probe and keep every file it used "
              + "(implies --probe; needs strace).")
  boolean trace;

  @Option(
      names = "--secret-config",
      paramLabel = "FILE",
      description =
          "Secret rules for the before and after audits, as audit --secret-config takes them"
              + " (default: .caulk/secrets.yaml in the working directory, when present).")
  Path secretConfig;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  /** The verb's mode and its own options. */
  abstract Rewrite.Builder verb(Rewrite.Builder options);

  @Override
  public Integer call() throws Exception {
    Prover.Options checked = probeOptions();
    Rewrite.Options options =
        verb(Rewrite.options())
            .source(source)
            .destination(destination)
            .platform(platform)
            .format(format == OutputFormat.json ? Rewrite.Format.JSON : Rewrite.Format.TABLE)
            .output(output)
            .probe(probing() ? checked : null)
            .trace(trace)
            .maxSpoolBytes(maxSpool == null ? 0 : size("--max-spool", maxSpool))
            .mtime(ReproducibleLayerBuilder.mtimeFromEnvironment(System.getenv()))
            .secretConfig(secretConfig)
            .searchSecretConfigIn(Path.of(""))
            .build();
    Rewrite.Result r;
    try {
      r = Rewrite.run(options, registry.session(console));
    } catch (ProbeException e) {
      // the container's last words, before the one-line error
      if (!e.outputTail().isBlank()) {
        console.err().println("probe output (end):");
        for (String l : e.outputTail().strip().split("\n")) console.err().println("  " + l);
      }
      throw e;
    }
    if (output == null) {
      console.out().write(r.document());
      if (format == OutputFormat.table) console.out().println(r.destination());
    } else {
      console.out().println(r.destination());
    }
    console.out().flush();
    return ExitCodes.OK;
  }

  /**
   * Whether this run probes: {@code --probe}, {@code --trace}, or any {@code --probe-*} option
   * (naming a probe asks for one).
   */
  boolean probing() {
    return probe
        || trace
        || probeHttp != null
        || probeTcp
        || probeBody
        || probePort != null
        || !probeEnv.isEmpty()
        || probeTimeout != null
        || probeAsRoot
        || probeHostNetwork;
  }

  Prover.Options probeOptions() throws UsageException {
    if (probeTcp && (probeHttp != null || probeBody))
      throw new UsageException("--probe-tcp cannot be combined with --probe-http or --probe-body");
    if (probePort != null && (probePort < 1 || probePort > 65535))
      throw new UsageException("--probe-port must be between 1 and 65535");
    int timeout = probeTimeout == null ? 20 : probeTimeout;
    if (timeout <= 0 || timeout > 3600)
      throw new UsageException("--probe-timeout must be between 1 and 3600 seconds");
    Probe.Check check;
    try {
      check = probeTcp ? Probe.Check.tcp() : Probe.Check.http(probeHttp == null ? "/" : probeHttp);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--probe-http: " + e.getMessage());
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : probeEnv) {
      int eq = e.indexOf('=');
      if (eq <= 0) throw new UsageException("--probe-env must be NAME=VALUE: '" + e + "'");
      env.put(e.substring(0, eq), e.substring(eq + 1));
    }
    return Prover.Options.defaults()
        .withCheck(check)
        .withCompareBody(probeBody)
        .withPort(probePort == null ? 0 : probePort)
        .withEnv(env)
        .withTimeout(Duration.ofSeconds(timeout))
        .withRunc(runc)
        .withSandbox(
            Sandbox.defaults().withProbeAsRoot(probeAsRoot).withProbeHostNetwork(probeHostNetwork));
  }

  /**
   * {@code 500M}, {@code 8G}, {@code 1T} or a number of bytes (suffixes K, M, G, T are powers of
   * 1024).
   */
  static long size(String flag, String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("B")) v = v.substring(0, v.length() - 1);
    if (!v.isEmpty()) {
      switch (v.charAt(v.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        case 'T' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit != 1) v = v.substring(0, v.length() - 1);
    }
    if (v.isEmpty() || v.length() > 12 || !v.chars().allMatch(Character::isDigit)) {
      throw new UsageException(flag + ": expected a size such as 500M or 8G");
    }
    long n = Long.parseLong(v);
    if (n == 0) throw new UsageException(flag + " must be positive");
    if (n > Long.MAX_VALUE / unit) throw new UsageException(flag + ": too large");
    return n * unit;
  }
}
