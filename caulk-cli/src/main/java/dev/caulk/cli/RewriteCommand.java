package dev.caulk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caulk.audit.Auditor;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.report.Report;
import dev.caulk.run.Probe;
import dev.caulk.run.ProbeException;
import dev.caulk.slim.Comparison;
import dev.caulk.slim.Prover;
import dev.caulk.slim.Slimmer;
import dev.caulk.spec.Platform;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code caulk harden} and {@code caulk slim} share: source and destination, the probe, the
 * before/after report. The report is data, so it goes to stdout (as {@code caulk audit}'s does),
 * followed by {@code DST@DIGEST} on its own last line in table format (inside the JSON as {@code
 * result}); with {@code -o FILE} the report goes to FILE and stdout carries only {@code DST@DIGEST}.
 */
abstract class RewriteCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  Console console;

  @Parameters(index = "0", paramLabel = "SRC", converter = LocationConverter.class, description = "The image to rewrite.")
  ImageLocation source;

  @Option(names = "--to", required = true, paramLabel = "DST", converter = LocationConverter.class,
      description = "Where to write the result (written only when every step, and the probe, passed).")
  ImageLocation destination;

  @Option(names = "--platform", converter = PlatformConverter.class, paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to pick from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "Report format: table or json (default: table).")
  OutputFormat format = OutputFormat.table;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(names = "--probe", description = "Run the original and the result under runc (host network) and compare their answers; "
      + "write nothing unless both pass. Needs root and runc. Any --probe-* option implies it.")
  boolean probe;

  @Option(names = "--probe-http", paramLabel = "PATH", description = "The HTTP path to GET (default: /).")
  String probeHttp;

  @Option(names = "--probe-tcp", description = "Only connect to the port instead of sending an HTTP request.")
  boolean probeTcp;

  @Option(names = "--probe-body", description = "The result's response body must equal the original's (the status always must).")
  boolean probeBody;

  @Option(names = "--probe-port", paramLabel = "PORT", description = "The port to probe (default: the image's first exposed TCP port).")
  Integer probePort;

  @Option(names = "--probe-env", paramLabel = "NAME=VALUE", description = "An environment variable for both runs, e.g. PORT=8080. Repeatable.")
  List<String> probeEnv = new ArrayList<>();

  @Option(names = "--probe-timeout", paramLabel = "SECONDS", description = "How long each run may take to accept connections (default: 20).")
  Integer probeTimeout;

  @Option(names = "--max-spool", paramLabel = "SIZE", description = "The most the image's files may take in the temporary folder "
      + "while they are rewritten, e.g. 8G or 500M (default: 10 times the image's compressed layers, at least 2G).")
  String maxSpool;

  @Option(names = "--runc", paramLabel = "PATH", description = "The runc binary (default: runc on the PATH, else /usr/sbin/runc).")
  Path runc;

  @Option(names = "--trace", description = "Run the original under strace -f during the probe and keep every file it used "
      + "(implies --probe; needs strace).")
  boolean trace;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  /** The verb's rewrite. */
  abstract Slimmer.Result rewrite(Image image, Slimmer.Options options) throws IOException;

  /** The verb's options on top of the defaults. */
  abstract Slimmer.Options options(Slimmer.Options defaults) throws UsageException;

  @Override
  public Integer call() throws Exception {
    Prover.Options checked = probeOptions();
    boolean probing = probing();
    Artifact a = Locations.open(source, registry.sourceOptions(console, source));
    Image image = a.isIndex() ? a.image(platform) : a.image();
    Path tmp = Files.createTempDirectory("caulk-rewrite-");
    // Ctrl-C skips finally blocks: the spool of file contents must not stay behind.
    Thread cleanup = new Thread(() -> deleteQuietly(tmp), "caulk-rewrite-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    Auditor.Options ao = Auditor.Options.defaults().withListener(console);
    // The original's audit reads the layers a second time: run it beside the rewrite.
    java.util.concurrent.FutureTask<Report> before = new java.util.concurrent.FutureTask<>(
        () -> Auditor.audit(image, ao.withName(Locations.describe(source), null)));
    Thread auditor = new Thread(before, "caulk-audit-original");
    auditor.setDaemon(true);
    auditor.start();
    try {
      Prover.Options po = checked.withTempDir(tmp).withListener(console);
      Prover.Run original = null;
      if (probing) original = probeFailing(() -> Prover.original(image, po, trace));
      Slimmer.Options so = options(Slimmer.Options.defaults()).withTempDir(tmp).withListener(console)
          .withMaxSpoolBytes(maxSpool == null ? 0 : size("--max-spool", maxSpool))
          .withMtime(ReproducibleLayerBuilder.mtimeFromEnvironment(System.getenv()));
      if (original != null && !original.traced().isEmpty()) {
        console.status("trace: the original used " + original.traced().size() + " paths; keeping them");
        so = so.withExtraPaths(original.traced());
      }
      Slimmer.Result r = rewrite(image, so);
      Prover.Outcome outcome = null;
      if (probing) {
        Prover.Run o = original;
        outcome = probeFailing(() -> Prover.result(r.image(), o.result(), po));
      }
      Report after = Auditor.audit(r.image(), ao.withName(Locations.describe(destination), null));
      Report beforeReport = original(before);
      Digest d = Locations.write(Artifact.of(r.image()), destination, registry.destinationOptions(console, destination));
      String dst = Locations.describe(destination) + "@" + d;
      Comparison c = new Comparison(Locations.describe(source), dst, r.summary(), beforeReport, after, outcome);
      report(c, dst);
      return ExitCodes.OK;
    } finally {
      before.cancel(true);
      deleteQuietly(tmp);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook runs
      }
    }
  }

  /** Removes the temporary directory (bundles are gone already; the new layer was copied to DST). */
  private void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      console.onEvent(new dev.caulk.event.Event.Log(dev.caulk.event.Event.Level.WARN, "could not remove " + dir + ": " + e.getMessage()));
    }
  }

  /** The original's audit, waited for; its failure is this command's. */
  private static Report original(java.util.concurrent.FutureTask<Report> before) throws Exception {
    try {
      return before.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception x) throw x;
      throw e;
    }
  }

  private interface ProbeStep<T> {
    T run() throws IOException;
  }

  /** Runs a probe step; when it fails, prints the container's output on stderr before the one-line error. */
  private <T> T probeFailing(ProbeStep<T> step) throws IOException {
    try {
      return step.run();
    } catch (ProbeException e) {
      if (!e.outputTail().isBlank()) {
        console.err().println("probe output (end):");
        for (String l : e.outputTail().strip().split("\n")) console.err().println("  " + l);
      }
      throw e;
    }
  }

  /** Whether this run probes: {@code --probe}, {@code --trace}, or any {@code --probe-*} option (naming a probe asks for one). */
  boolean probing() {
    return probe || trace || probeHttp != null || probeTcp || probeBody || probePort != null || !probeEnv.isEmpty() || probeTimeout != null;
  }

  Prover.Options probeOptions() throws UsageException {
    if (probeTcp && (probeHttp != null || probeBody)) throw new UsageException("--probe-tcp cannot be combined with --probe-http or --probe-body");
    if (probePort != null && (probePort < 1 || probePort > 65535)) throw new UsageException("--probe-port must be between 1 and 65535");
    int timeout = probeTimeout == null ? 20 : probeTimeout;
    if (timeout <= 0 || timeout > 3600) throw new UsageException("--probe-timeout must be between 1 and 3600 seconds");
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
    return Prover.Options.defaults().withCheck(check).withCompareBody(probeBody).withPort(probePort == null ? 0 : probePort).withEnv(env)
        .withTimeout(Duration.ofSeconds(timeout)).withRunc(runc);
  }

  private void report(Comparison c, String dst) throws IOException {
    String text;
    if (format == OutputFormat.json) {
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      text = m.writeValueAsString(c.toJson(m)) + "\n";
    } else {
      text = c.table();
    }
    if (output == null) {
      console.out().print(text);
      if (format == OutputFormat.table) console.out().println(dst);
    } else {
      OutputFile.write(output, text.getBytes(StandardCharsets.UTF_8));
      console.out().println(dst);
    }
    console.out().flush();
  }

  /** {@code 500M}, {@code 8G}, {@code 1T} or a number of bytes (suffixes K, M, G, T are powers of 1024). */
  static long size(String flag, String value) {
    String v = value.trim().toUpperCase(java.util.Locale.ROOT);
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
