package dev.caulk.verbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.event.EventListener;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.report.Finding;
import dev.caulk.report.Gate;
import dev.caulk.report.Ignore;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import dev.caulk.report.format.ReportWriters;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.db.VulnDb;
import dev.caulk.scan.sbom.SbomFormat;
import dev.caulk.scan.sbom.SbomReader;
import dev.caulk.scan.sbom.SbomSubject;
import dev.caulk.scan.sbom.SbomWriter;
import dev.caulk.scan.vex.Vex;
import dev.caulk.scan.vex.VexFormatException;
import dev.caulk.scan.vex.VexStatement;
import dev.caulk.scan.vuln.ScanOptions;
import dev.caulk.scan.vuln.ScanResult;
import dev.caulk.scan.vuln.Scanner;
import dev.caulk.scan.vuln.Vulnerability;
import dev.caulk.sign.SigningKeys;
import dev.caulk.sign.Statement;
import dev.caulk.sign.Verification;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code scan}: known vulnerabilities of an image or a stored SBOM, matched offline against the
 * local OSV database, gated after ignores, rendered as a report or as CycloneDX with
 * vulnerabilities.
 */
public final class Scan {
  /** A database older than this gets a warning. */
  public static final Duration STALE = Duration.ofDays(7);

  private static final String FORMATS = "table, json, sarif, junit, cyclonedx, openvex";

  /** OpenVEX's predicate types start so ({@code https://openvex.dev/ns}, {@code …/v0.2.0}). */
  static final String OPENVEX_NAMESPACE = "https://openvex.dev/ns";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Scan() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * What to scan and how to report it.
   *
   * @param target an image location, or a CycloneDX/SPDX JSON file
   * @param platform the image to pick from an index
   * @param format {@code table}, {@code json}, {@code sarif}, {@code junit} or {@code cyclonedx}
   * @param output where the result is written atomically, or null (the caller prints the document)
   * @param colour whether a table on the caller's terminal may carry colour (never in a file)
   * @param toolVersion the version SARIF and CycloneDX name
   * @param matching which vulnerabilities are matched and kept
   * @param database the vulnerability database directory
   * @param gating the gate (any vulnerability fails it when on) and its ignores
   * @param today the date ignore expiries are checked against, or null for today (UTC)
   * @param clock the clock of the database-age warning and of CycloneDX's timestamp
   * @param vex OpenVEX or CycloneDX VEX documents whose not_affected/fixed statements drop findings
   * @param vexFromRegistry also apply the VEX attestations attached to the image (both schemes)
   * @param vexKey the public key those attestations must verify with (required with {@code
   *     vexFromRegistry}); attestations that do not verify are ignored with a warning
   */
  public record Options(
      String target,
      Platform platform,
      String format,
      Path output,
      boolean colour,
      String toolVersion,
      ScanOptions matching,
      Path database,
      Gating gating,
      LocalDate today,
      Clock clock,
      List<Path> vex,
      boolean vexFromRegistry,
      Path vexKey) {
    public Options {
      vex = vex == null ? List.of() : List.copyOf(vex);
    }
  }

  /**
   * What the scan found.
   *
   * @param packages how many packages were matched
   * @param result the matching's outcome (all vulnerabilities, before ignores)
   * @param verdict what the gate decided; its report is the one rendered
   * @param gateFailed whether the gate is on and vulnerabilities remain
   * @param document the rendered result
   * @param output the file it was written to, or null
   */
  public record Result(
      int packages,
      ScanResult result,
      Gate.Verdict verdict,
      boolean gateFailed,
      byte[] document,
      Path output) {}

  /** What was scanned: its inventory, report subject, SBOM subject and location (null: a file). */
  private record Loaded(
      Inventory inventory,
      Map<String, String> subject,
      SbomSubject sbomSubject,
      ImageLocation location) {}

  /**
   * Opens the database, loads the target, matches, gates, renders and writes the output file if
   * any.
   */
  public static Result run(Options options, Session session) throws IOException {
    EventListener events = session.events();
    List<Ignore> ignores = options.gating().readIgnores();
    try (VulnDb store = VulnDb.open(options.database())) {
      if (store.status().isEmpty()) {
        throw new IOException(
            "no vulnerability database in "
                + store.directory()
                + ": run 'caulk db update' (online) or 'caulk db import all.zip' first");
      }
      Loaded loaded = load(options, session);
      ScanResult result =
          applyVex(
              options,
              loaded,
              Scanner.scan(loaded.inventory(), store, options.matching()),
              session);
      warn(result, store, options.clock(), events);
      Report report = result.toReport(loaded.subject());
      LocalDate today = options.today() != null ? options.today() : LocalDate.now(ZoneOffset.UTC);
      Gating.Outcome gate = options.gating().evaluate(report, ignores, today);
      Gate.Verdict verdict = gate.verdict();
      for (Ignore i : verdict.expired()) {
        events.warn(
            "ignore '"
                + i
                + "' ("
                + i.origin()
                + ") expired on "
                + i.expires()
                + "; it no longer applies");
      }
      for (Ignore i : verdict.unused()) {
        events.info("ignore '" + i + "' (" + i.origin() + ") matched nothing");
      }
      byte[] document = render(options, loaded, result, verdict);
      ReportOutput.write(options.output(), document);
      return new Result(
          loaded.inventory().packages().size(),
          result,
          verdict,
          gate.failed(),
          document,
          options.output());
    }
  }

  /** Drops what the VEX documents state not_affected or fixed; says what is under investigation. */
  private static ScanResult applyVex(
      Options options, Loaded loaded, ScanResult result, Session session) throws IOException {
    EventListener events = session.events();
    if (options.vex().isEmpty() && !options.vexFromRegistry()) {
      return result;
    }
    List<VexStatement> statements = new ArrayList<>();
    for (Path p : options.vex()) {
      if (Files.size(p) > Vex.MAX_BYTES) {
        throw new IOException(p + ": a VEX document larger than " + (Vex.MAX_BYTES >> 20) + " MiB");
      }
      try {
        statements.addAll(Vex.read(Files.readAllBytes(p), p.getFileName().toString()));
      } catch (VexFormatException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    if (options.vexFromRegistry()) {
      statements.addAll(registryVex(options, loaded, session));
    }
    String digest = loaded.subject().getOrDefault(Report.DIGEST, "");
    Vex.Applied applied = Vex.apply(result, statements, digest == null ? "" : digest);
    if (!applied.suppressed().isEmpty()) {
      events.info(
          "VEX: "
              + applied.suppressed().size()
              + " finding(s) stated not_affected or fixed, dropped");
    }
    for (var v : applied.underInvestigation()) {
      events.warn("VEX: " + v.id() + " is under investigation");
    }
    return applied.result();
  }

  /**
   * The statements of the VEX attestations attached to the scanned image (to the digest the
   * location names and to the platform image scanned), in both schemes; only those whose envelope
   * verifies with the key and whose statement is about that digest count. The others are said in a
   * warning and ignored.
   */
  private static List<VexStatement> registryVex(Options o, Loaded loaded, Session session)
      throws IOException {
    EventListener events = session.events();
    ImageLocation location = loaded.location();
    PublicKey key = SigningKeys.readPublicKey(o.vexKey());
    RegistryOptions ro = session.source(location);
    Set<Digest> digests = new LinkedHashSet<>();
    digests.add(Locations.open(location, ro).digest());
    String scanned = loaded.subject().get(Report.DIGEST);
    if (scanned != null) {
      digests.add(Digest.parse(scanned));
    }
    List<VexStatement> out = new ArrayList<>();
    int read = 0;
    for (Digest d : digests) {
      for (Verify.Found f : VerifyAttestation.find(location, d, key, null, ro)) {
        Verification.Check c = f.check();
        String label = "attestation " + c.layer().shortString() + " (" + f.where() + ")";
        if (!c.verified()) {
          events.warn(label + " does not verify: " + c.reason() + "; not applied as VEX");
          continue;
        }
        Statement st = c.statement();
        if (!isVex(st.predicateType(), st.predicate())) {
          continue;
        }
        try {
          out.addAll(Vex.read(JSON.writeValueAsBytes(st.predicate()), label));
        } catch (VexFormatException e) {
          throw new IOException(e.getMessage(), e);
        }
        read++;
      }
    }
    events.info(
        "VEX from the registry: "
            + read
            + " verified attestation(s), "
            + out.size()
            + " statement(s)");
    return out;
  }

  /**
   * Whether an attestation is VEX: OpenVEX ({@code https://openvex.dev/ns…}), CycloneDX VEX ({@code
   * https://cyclonedx.org/vex}), or a CycloneDX BOM with a vulnerabilities section.
   */
  static boolean isVex(String predicateType, JsonNode predicate) {
    if (predicateType.startsWith(OPENVEX_NAMESPACE)
        || predicateType.equals("https://cyclonedx.org/vex")) {
      return true;
    }
    return predicateType.equals(Statement.predicateTypeOf("cyclonedx"))
        && predicate != null
        && predicate.path("vulnerabilities").isArray();
  }

  private static Loaded load(Options options, Session session) throws IOException {
    EventListener events = session.events();
    String target = options.target();
    Path file = Path.of(target);
    if (Files.isRegularFile(file) && isSbom(file)) {
      if (options.vexFromRegistry()) {
        throw new InvalidOptionsException(
            "--vex-from-registry reads attestations attached to an image; "
                + target
                + " is an SBOM file (use --vex FILE)");
      }
      if (Files.size(file) > SbomReader.MAX_BYTES) {
        throw new IOException(target + ": larger than " + (SbomReader.MAX_BYTES >> 20) + " MiB");
      }
      var sbom = SbomReader.read(Files.readAllBytes(file), file.getFileName().toString());
      Map<String, String> s = new TreeMap<>();
      s.put(Report.IMAGE, sbom.subject().displayName());
      s.put(Report.DIGEST, sbom.subject().digest().toString());
      s.put("sbom", file.getFileName().toString() + " (" + sbom.format().id() + ")");
      for (Problem p : sbom.inventory().problems()) {
        events.info(p.reason());
      }
      return new Loaded(sbom.inventory(), s, sbom.subject(), null);
    }
    if (Files.isRegularFile(file) && !target.contains(":")) {
      throw new InvalidOptionsException(
          target
              + ": a file, but not a CycloneDX or SPDX JSON SBOM; for an image"
              + " archive write docker-archive:"
              + target);
    }
    ImageLocation location;
    try {
      location = ImageLocation.parse(target);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException(e.getMessage());
    }
    if (options.vexFromRegistry()) {
      SignSupport.requireStore(location, "scan --vex-from-registry");
    }
    CatalogTarget t = CatalogTarget.open(location, options.platform(), session);
    if (!t.inventory().problems().isEmpty()) {
      events.info(
          t.inventory().problems().size() + " file(s) could not be fully read; --debug lists them");
    }
    return new Loaded(t.inventory(), t.reportSubject(), t.subject(), location);
  }

  private static boolean isSbom(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return SbomReader.looksLikeSbom(in.readNBytes(4096));
    }
  }

  private static void warn(ScanResult r, VulnDb store, Clock clock, EventListener events) {
    if (!r.missingEcosystems().isEmpty()) {
      events.warn(
          "the database has no "
              + String.join(", ", r.missingEcosystems())
              + " advisories: results are incomplete; run 'caulk db update --ecosystem "
              + String.join(",", r.missingEcosystems())
              + "' or import those exports");
    }
    r.oldestImport()
        .ifPresent(
            t -> {
              Duration age = Duration.between(t, Instant.now(clock));
              if (age.compareTo(STALE) > 0) {
                events.warn(
                    "the vulnerability database is "
                        + age.toDays()
                        + " days old ("
                        + store.directory()
                        + "); run 'caulk db update'");
              }
            });
    if (!r.undetermined().isEmpty()) {
      events.info(
          r.undetermined().size()
              + " advisories could not be decided (invalid versions); --debug lists them");
      r.undetermined().forEach(u -> events.debug("undetermined: " + u));
    }
    r.skipped().forEach((why, n) -> events.debug("not matched: " + n + " package(s): " + why));
  }

  private static byte[] render(Options o, Loaded loaded, ScanResult result, Gate.Verdict verdict)
      throws IOException {
    if (o.format().equals("openvex")) {
      String image = loaded.subject().getOrDefault(Report.IMAGE, o.target());
      String digest = loaded.subject().get(Report.DIGEST);
      String product = digest == null || image.endsWith(digest) ? image : image + "@" + digest;
      return Vex.writeOpenVex(result, product, "caulk", o.clock().instant());
    }
    if (o.format().equals("cyclonedx")) {
      Set<Finding> dropped = new HashSet<>(verdict.suppressed());
      List<Vulnerability> kept = new ArrayList<>();
      for (Vulnerability v : result.vulnerabilities()) {
        if (!dropped.contains(v.toFinding())) {
          kept.add(v);
        }
      }
      return SbomWriter.create(o.toolVersion(), o.clock())
          .write(SbomFormat.CYCLONEDX, loaded.sbomSubject(), loaded.inventory(), kept);
    }
    boolean colour = o.colour() && o.output() == null;
    return ReportOutput.render(
        ReportOutput.writer(o.format(), o.toolVersion(), colour), verdict.report());
  }

  /** Builds {@link Options}; {@link #build()} validates. */
  public static final class Builder extends ReportBuilder<Builder> {
    private String target;
    private final List<String> severities = new ArrayList<>();
    private boolean ignoreUnfixed;
    private boolean includeKernel;
    private Path database;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** An image location, or a CycloneDX/SPDX JSON file. */
    public Builder target(String v) {
      this.target = v;
      return this;
    }

    /** Report only these severities ({@code unknown} … {@code critical}); none given: all. */
    public Builder severities(List<String> v) {
      this.severities.addAll(v);
      return this;
    }

    public Builder ignoreUnfixed(boolean v) {
      this.ignoreUnfixed = v;
      return this;
    }

    public Builder includeKernel(boolean v) {
      this.includeKernel = v;
      return this;
    }

    public Builder database(Path v) {
      this.database = v;
      return this;
    }

    private List<Path> vex = List.of();

    public Builder vex(List<Path> v) {
      this.vex = v == null ? List.of() : List.copyOf(v);
      return this;
    }

    private boolean vexFromRegistry;
    private Path vexKey;

    /** Also apply the VEX attestations attached to the image (needs {@link #vexKey}). */
    public Builder vexFromRegistry(boolean v) {
      this.vexFromRegistry = v;
      return this;
    }

    /** The public key VEX attestations must verify with ({@code --key}). */
    public Builder vexKey(Path v) {
      this.vexKey = v;
      return this;
    }

    public Builder clock(Clock v) {
      this.clock = v;
      return this;
    }

    public Options build() {
      if (target == null || target.isEmpty()) {
        throw new InvalidOptionsException("an image location or SBOM file is required");
      }
      if (database == null) {
        throw new InvalidOptionsException("a vulnerability database directory is required");
      }
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(clock, "clock");
      String fmt = format.toLowerCase(Locale.ROOT);
      if (!fmt.equals("cyclonedx")
          && !fmt.equals("openvex")
          && !ReportWriters.FORMATS.contains(fmt)) {
        throw new InvalidOptionsException(
            "unknown format '" + Gating.printable(format) + "': expected one of " + FORMATS);
      }
      ScanOptions matching =
          ScanOptions.defaults()
              .withIgnoreUnfixed(ignoreUnfixed)
              .withSeverities(severitySet())
              .withIncludeKernel(includeKernel);
      Gating gating = gating(Severity.UNKNOWN);
      for (Path p : vex) {
        if (!Files.isRegularFile(p)) {
          throw new InvalidOptionsException("--vex " + p + ": no such file");
        }
      }
      if (vexFromRegistry && vexKey == null) {
        throw new InvalidOptionsException(
            "--vex-from-registry needs --key PUB: only VEX attestations that verify with that"
                + " public key are applied");
      }
      if (vexKey != null && !vexFromRegistry) {
        throw new InvalidOptionsException(
            "--key is the public key of --vex-from-registry; add --vex-from-registry");
      }
      if (vexKey != null && !Files.isRegularFile(vexKey)) {
        throw new InvalidOptionsException("--key " + vexKey + ": no such file");
      }
      return new Options(
          target,
          platform,
          fmt,
          output,
          colour,
          toolVersion,
          matching,
          database,
          gating,
          today,
          clock,
          vex,
          vexFromRegistry,
          vexKey);
    }

    private Set<Severity> severitySet() {
      Set<Severity> out = EnumSet.noneOf(Severity.class);
      for (String s : severities) {
        try {
          Severity v = Severity.valueOf(s.strip().toUpperCase(Locale.ROOT));
          if (v == Severity.INFO) {
            throw new IllegalArgumentException("INFO is not a vulnerability severity");
          }
          out.add(v);
        } catch (IllegalArgumentException e) {
          throw new InvalidOptionsException(
              "unknown severity '"
                  + Gating.printable(s)
                  + "': expected unknown, low, medium, high or critical");
        }
      }
      return out;
    }
  }
}
