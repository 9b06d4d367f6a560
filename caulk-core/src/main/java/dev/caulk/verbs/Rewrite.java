package dev.caulk.verbs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caulk.audit.Auditor;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.digest.Digest;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.report.Report;
import dev.caulk.slim.Comparison;
import dev.caulk.slim.Prover;
import dev.caulk.slim.Slimmer;
import dev.caulk.spec.Platform;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code harden} and {@code slim}: open the image, audit the original (on a thread of its own,
 * beside the rewrite, since it reads the layers a second time), probe the original, rewrite, probe
 * the result, audit the result, compare, and write the result only when every step passed. The
 * before/after report is the result's document.
 */
public final class Rewrite {
  private Rewrite() {}

  /** Which rewrite. */
  public enum Mode {
    /** Take away what an attacker would use, keep what the entrypoint needs. */
    HARDEN,
    /** Keep only what the entrypoint needs. */
    SLIM
  }

  /** How the before/after report is rendered. */
  public enum Format {
    TABLE,
    JSON
  }

  public static Builder options() {
    return new Builder();
  }

  /**
   * What to rewrite, where to, and how to check it.
   *
   * @param mode harden or slim
   * @param source the image to rewrite
   * @param destination where the result is written (only when every step, and the probe, passed)
   * @param platform the image to pick from an index
   * @param format the report's format
   * @param output where the report is written atomically, or null (the caller prints the document)
   * @param probe how to run and compare the original and the result, or null for no probe
   * @param trace run the original under strace during the probe and keep every file it used (needs
   *     a probe)
   * @param keep paths and globs kept whatever the rules say ({@code harden --keep}, {@code slim
   *     --include})
   * @param includeExe {@code slim}: programs kept with their ELF closure
   * @param user {@code harden}: the user to run as, or null
   * @param fixAccounts {@code harden}: remove accounts other than root with uid 0
   * @param maxSpoolBytes the most the image's files may take in the temporary folder, 0 for the
   *     default
   * @param mtime the file times of the new layer
   * @param secretRules the secret rules of both audits ({@code --secret-config}, else {@code
   *     .caulk/secrets.yaml} when present, else the built-in ones)
   */
  public record Options(
      Mode mode,
      ImageLocation source,
      ImageLocation destination,
      Platform platform,
      Format format,
      Path output,
      Prover.Options probe,
      boolean trace,
      List<String> keep,
      List<String> includeExe,
      String user,
      boolean fixAccounts,
      long maxSpoolBytes,
      Instant mtime,
      SecretRuleBook secretRules) {}

  /**
   * What was written.
   *
   * @param destination where, {@code LOCATION@DIGEST}
   * @param digest the result's digest
   * @param comparison the before/after report
   * @param document the rendered report
   * @param output the file it was written to, or null
   */
  public record Result(
      String destination, Digest digest, Comparison comparison, byte[] document, Path output) {}

  /**
   * Runs the whole rewrite; see the class comment. A failed step (a probe included) writes nothing.
   */
  public static Result run(Options options, Session session) throws IOException {
    EventListener events = session.events();
    ImageLocation source = options.source();
    ImageLocation destination = options.destination();
    Artifact a = Locations.open(source, session.source(source));
    Image image = a.isIndex() ? a.image(options.platform()) : a.image();
    Path tmp = Files.createTempDirectory("caulk-rewrite-");
    // Ctrl-C skips finally blocks: the spool of file contents must not stay behind.
    Thread cleanup = new Thread(() -> deleteQuietly(tmp, events), "caulk-rewrite-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    Auditor.Options ao =
        Auditor.Options.defaults().withListener(events).withSecretRules(options.secretRules());
    ExecutorService auditor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "caulk-audit-original");
              t.setDaemon(true);
              return t;
            });
    Future<Report> before =
        auditor.submit(() -> Auditor.audit(image, ao.withName(Locations.describe(source), null)));
    try {
      boolean probing = options.probe() != null;
      Prover.Options po = probing ? options.probe().withTempDir(tmp).withListener(events) : null;
      Prover.Run original = probing ? Prover.original(image, po, options.trace()) : null;
      Slimmer.Options so =
          slimmerOptions(options)
              .withTempDir(tmp)
              .withListener(events)
              .withMaxSpoolBytes(options.maxSpoolBytes())
              .withMtime(options.mtime());
      if (original != null && !original.traced().isEmpty()) {
        events.info(
            "trace: the original used " + original.traced().size() + " paths; keeping them");
        so = so.withExtraPaths(original.traced());
      }
      Slimmer.Result r =
          options.mode() == Mode.HARDEN ? Slimmer.harden(image, so) : Slimmer.slim(image, so);
      Prover.Outcome outcome = probing ? Prover.result(r.image(), original.result(), po) : null;
      Report after = Auditor.audit(r.image(), ao.withName(Locations.describe(destination), null));
      Report beforeReport = awaited(before);
      Digest d =
          Locations.write(Artifact.of(r.image()), destination, session.destination(destination));
      String dst = Locations.describe(destination) + "@" + d;
      Comparison c =
          new Comparison(
              Locations.describe(source), dst, r.summary(), beforeReport, after, outcome);
      byte[] document = render(c, options.format());
      ReportOutput.write(options.output(), document);
      return new Result(dst, d, c, document, options.output());
    } finally {
      before.cancel(true);
      auditor.shutdownNow();
      deleteQuietly(tmp, events);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook runs
      }
    }
  }

  private static Slimmer.Options slimmerOptions(Options o) {
    Slimmer.Options d = Slimmer.Options.defaults();
    if (o.mode() == Mode.HARDEN) {
      return d.withKeep(o.keep()).withUser(o.user()).withFixAccounts(o.fixAccounts());
    }
    return d.withKeep(o.keep()).withIncludeExe(o.includeExe());
  }

  private static byte[] render(Comparison c, Format format) throws IOException {
    if (format == Format.JSON) {
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      return (m.writeValueAsString(c.toJson(m)) + "\n").getBytes(StandardCharsets.UTF_8);
    }
    return c.table().getBytes(StandardCharsets.UTF_8);
  }

  /** The original's audit, waited for; its failure is this verb's. */
  private static Report awaited(Future<Report> before) throws IOException {
    try {
      return before.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while auditing the original", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException x) {
        throw x;
      }
      if (cause instanceof RuntimeException x) {
        throw x;
      }
      if (cause instanceof Error x) {
        throw x;
      }
      throw new IOException(cause);
    }
  }

  /**
   * Removes the temporary directory (bundles are gone already; the new layer was copied to DST).
   */
  private static void deleteQuietly(Path dir, EventListener events) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      events.warn("could not remove " + dir + ": " + e.getMessage());
    }
  }

  /** Builds {@link Options}; {@link #build()} validates. */
  public static final class Builder implements SecretConfigSetters<Builder> {
    private Mode mode;
    private ImageLocation source;
    private ImageLocation destination;
    private Platform platform = Platform.LINUX_AMD64;
    private Format format = Format.TABLE;
    private Path output;
    private Prover.Options probe;
    private boolean trace;
    private final List<String> keep = new ArrayList<>();
    private final List<String> includeExe = new ArrayList<>();
    private String user;
    private boolean fixAccounts;
    private long maxSpoolBytes;
    private Instant mtime = ReproducibleLayerBuilder.DEFAULT_MTIME;
    private final SecretConfigSetters.Choice secretConfig = new SecretConfigSetters.Choice();

    private Builder() {}

    /** Both audits (of the original and of the result) scan with the secret rules. */
    @Override
    public SecretConfigSetters.Choice secretConfigChoice() {
      return secretConfig;
    }

    public Builder mode(Mode v) {
      this.mode = v;
      return this;
    }

    public Builder source(ImageLocation v) {
      this.source = v;
      return this;
    }

    public Builder destination(ImageLocation v) {
      this.destination = v;
      return this;
    }

    public Builder platform(Platform v) {
      this.platform = v;
      return this;
    }

    public Builder format(Format v) {
      this.format = v;
      return this;
    }

    public Builder output(Path v) {
      this.output = v;
      return this;
    }

    /** Probe the original and the result this way (null: no probe). */
    public Builder probe(Prover.Options v) {
      this.probe = v;
      return this;
    }

    public Builder trace(boolean v) {
      this.trace = v;
      return this;
    }

    /** {@code harden --keep}, {@code slim --include}: a path or glob kept. */
    public Builder keep(List<String> v) {
      this.keep.addAll(v);
      return this;
    }

    public Builder includeExe(List<String> v) {
      this.includeExe.addAll(v);
      return this;
    }

    public Builder user(String v) {
      this.user = v;
      return this;
    }

    public Builder fixAccounts(boolean v) {
      this.fixAccounts = v;
      return this;
    }

    /**
     * The spool limit in bytes (0: the default, ten times the compressed layers, at least 2 GiB).
     */
    public Builder maxSpoolBytes(long v) {
      this.maxSpoolBytes = v;
      return this;
    }

    public Builder mtime(Instant v) {
      this.mtime = v;
      return this;
    }

    public Options build() {
      if (mode == null) {
        throw new InvalidOptionsException("harden or slim must be chosen");
      }
      if (source == null) {
        throw new InvalidOptionsException("a source image is required");
      }
      if (destination == null) {
        throw new InvalidOptionsException("--to is required");
      }
      if (trace && probe == null) {
        throw new InvalidOptionsException("--trace needs a probe");
      }
      if (maxSpoolBytes < 0) {
        throw new InvalidOptionsException("--max-spool must be positive");
      }
      if (mode == Mode.SLIM && (user != null || fixAccounts)) {
        throw new InvalidOptionsException("--user and --fix-accounts are harden options");
      }
      if (mode == Mode.HARDEN && !includeExe.isEmpty()) {
        throw new InvalidOptionsException("--include-exe is a slim option");
      }
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(mtime, "mtime");
      return new Options(
          mode,
          source,
          destination,
          platform,
          format,
          output,
          probe,
          trace,
          List.copyOf(keep),
          List.copyOf(includeExe),
          user,
          fixAccounts,
          maxSpoolBytes,
          mtime,
          secretConfig.book());
    }
  }
}
