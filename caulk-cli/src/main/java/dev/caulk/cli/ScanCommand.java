package dev.caulk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.location.ImageLocation;
import dev.caulk.report.Finding;
import dev.caulk.report.Gate;
import dev.caulk.report.Ignore;
import dev.caulk.report.IgnoreFile;
import dev.caulk.report.Report;
import dev.caulk.report.format.ReportWriters;
import dev.caulk.report.Severity;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.db.VulnDb;
import dev.caulk.scan.sbom.Sbom;
import dev.caulk.scan.sbom.SbomFormat;
import dev.caulk.scan.sbom.SbomReader;
import dev.caulk.scan.sbom.SbomSubject;
import dev.caulk.scan.sbom.SbomWriter;
import dev.caulk.scan.vuln.ScanOptions;
import dev.caulk.scan.vuln.ScanResult;
import dev.caulk.scan.vuln.Scanner;
import dev.caulk.scan.vuln.Vulnerability;
import dev.caulk.spec.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk scan LOC|SBOM.json}: known vulnerabilities from the local OSV database, offline. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Report known vulnerabilities of an image or a stored SBOM, offline.",
        "Reads the local OSV database; advisories are never downloaded here ('caulk db",
        "update' or 'caulk db import' fills the database). SBOMs: CycloneDX or SPDX JSON.",
        "Debian, Ubuntu and Alpine packages are matched by source package and source",
        "version with the distribution's own version order; Go modules by semver;",
        "Maven artifacts by Maven's order. A stored SBOM is re-checked against today's",
        "database without the image: continuous rescanning."},
    footer = {"", "Ignores (--ignore, .caulkignore), one per line:",
        "  ID [PATH-GLOB] [pkg:NAME] [exp:YYYY-MM-DD] [# reason]",
        "  CVE-2023-4911                      # not reachable: no setuid binaries",
        "  CVE-2024-2961 pkg:glibc exp:2026-06-30",
        "", "Exit codes: 0 done, 1 error (also: no database), 2 usage error, and N when",
        "--exit-code N is set and vulnerabilities remain after --severity,",
        "--ignore-unfixed and ignores."})
final class ScanCommand implements Callable<Integer>, ConsoleAware {
  /** A database older than this gets a warning. */
  static final Duration STALE = Duration.ofDays(7);

  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  @Mixin DbOption db;
  private Console console;

  @Parameters(index = "0", paramLabel = "LOCATION|SBOM", description = "An image location, or a CycloneDX/SPDX JSON file.")
  String target;

  @Option(names = "--platform", converter = PlatformConverter.class, paramLabel = "OS/ARCH[/VARIANT]",
      description = "The image to read from an index (default: linux/amd64).")
  Platform platform = Platform.LINUX_AMD64;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "table, json, sarif, junit or cyclonedx (an SBOM with a vulnerabilities section). Default: table.")
  String format = "table";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the result to FILE (atomically) instead of stdout.")
  Path output;

  @Option(names = "--severity", paramLabel = "LEVEL", split = ",",
      description = "Report only these severities: unknown, low, medium, high, critical (comma-separated; default all).")
  List<String> severities = new ArrayList<>();

  @Option(names = "--ignore-unfixed", description = "Leave out vulnerabilities that have no fixed version yet.")
  boolean ignoreUnfixed;

  @Option(names = "--include-kernel", description = "Also match packages built from the Linux kernel source (off: they concern the host).")
  boolean includeKernel;

  @Option(names = "--exit-code", paramLabel = "N", description = "Exit with N when vulnerabilities remain (default 0).")
  int exitCode;

  @Option(names = "--ignore", paramLabel = "ID[ PKG/GLOB/EXP]", description = "Ignore a vulnerability (same syntax as a .caulkignore line). Repeatable.")
  List<String> ignores = new ArrayList<>();

  @Option(names = "--ignorefile", paramLabel = "FILE", description = "Ignore file (default: ./.caulkignore when present).")
  Path ignoreFile;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!fmt.equals("cyclonedx") && !ReportWriters.FORMATS.contains(fmt)) {
      throw new UsageException("unknown format '" + format.replaceAll("\\p{Cntrl}", "?") + "': expected one of table, json, sarif, junit, cyclonedx");
    }
    ScanOptions options = ScanOptions.defaults().withIgnoreUnfixed(ignoreUnfixed).withSeverities(severitySet())
        .withIncludeKernel(includeKernel);
    List<Ignore> ignoreList = ignoreList();
    try (VulnDb store = VulnDb.open(db.directory())) {
      if (store.status().isEmpty()) {
        throw new IOException("no vulnerability database in " + store.directory()
            + ": run 'caulk db update' (online) or 'caulk db import all.zip' first");
      }
      Loaded loaded = load();
      ScanResult result = Scanner.scan(loaded.inventory(), store, options);
      warn(result, store);
      Report report = result.toReport(loaded.subject());
      Gate.Verdict verdict = new Gate(Severity.UNKNOWN, ignoreList).evaluate(report, LocalDate.now(ZoneOffset.UTC));
      for (Ignore i : verdict.expired()) console.alert("ignore '" + i + "' (" + i.origin() + ") expired on " + i.expires() + "; it no longer applies");
      for (Ignore i : verdict.unused()) console.status("ignore '" + i + "' (" + i.origin() + ") matched nothing");
      OutputFile.write(console, output, render(fmt, loaded, result, verdict));
      int left = verdict.report().findings().size();
      console.status(left + " vulnerabilit" + (left == 1 ? "y" : "ies") + " in " + loaded.inventory().packages().size() + " packages"
          + (verdict.suppressed().isEmpty() ? "" : ", " + verdict.suppressed().size() + " ignored"));
      return exitCode != 0 && !verdict.failing().isEmpty() ? exitCode : ExitCodes.OK;
    }
  }

  /** What was scanned: its inventory, report subject and SBOM subject. */
  private record Loaded(Inventory inventory, Map<String, String> subject, SbomSubject sbomSubject) {}

  private Loaded load() throws IOException {
    Path file = Path.of(target);
    if (Files.isRegularFile(file) && isSbom(file)) {
      if (Files.size(file) > SbomReader.MAX_BYTES) throw new IOException(target + ": larger than " + (SbomReader.MAX_BYTES >> 20) + " MiB");
      Sbom sbom = SbomReader.read(Files.readAllBytes(file), file.getFileName().toString());
      Map<String, String> s = new TreeMap<>();
      s.put(Report.IMAGE, sbom.subject().displayName());
      s.put(Report.DIGEST, sbom.subject().digest().toString());
      s.put("sbom", file.getFileName().toString() + " (" + sbom.format().id() + ")");
      for (var p : sbom.inventory().problems()) console.status(p.reason());
      return new Loaded(sbom.inventory(), s, sbom.subject());
    }
    if (Files.isRegularFile(file) && !target.contains(":")) {
      throw new UsageException(target + ": a file, but not a CycloneDX or SPDX JSON SBOM; for an image archive write docker-archive:"
          + target);
    }
    ImageLocation location;
    try {
      location = ImageLocation.parse(target);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ImageTarget t = ImageTarget.open(location, platform, registry, console);
    if (!t.inventory().problems().isEmpty()) {
      console.status(t.inventory().problems().size() + " file(s) could not be fully read; --debug lists them");
    }
    return new Loaded(t.inventory(), t.reportSubject(), t.subject());
  }

  private static boolean isSbom(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return SbomReader.looksLikeSbom(in.readNBytes(4096));
    }
  }

  private void warn(ScanResult r, VulnDb store) {
    if (!r.missingEcosystems().isEmpty()) {
      console.alert("the database has no " + String.join(", ", r.missingEcosystems()) + " advisories: results are incomplete; run 'caulk db update --ecosystem "
          + String.join(",", r.missingEcosystems()) + "' or import those exports");
    }
    r.oldestImport().ifPresent(t -> {
      Duration age = Duration.between(t, Instant.now());
      if (age.compareTo(STALE) > 0) {
        console.alert("the vulnerability database is " + age.toDays() + " days old (" + store.directory() + "); run 'caulk db update'");
      }
    });
    if (!r.undetermined().isEmpty()) {
      console.status(r.undetermined().size() + " advisories could not be decided (invalid versions); --debug lists them");
      r.undetermined().forEach(u -> console.debug("undetermined: " + u));
    }
    r.skipped().forEach((why, n) -> console.debug("not matched: " + n + " package(s): " + why));
  }

  private byte[] render(String fmt, Loaded loaded, ScanResult result, Gate.Verdict verdict) throws IOException {
    if (fmt.equals("cyclonedx")) {
      Set<Finding> dropped = new HashSet<>(verdict.suppressed());
      List<Vulnerability> kept = new ArrayList<>();
      for (Vulnerability v : result.vulnerabilities()) if (!dropped.contains(v.toFinding())) kept.add(v);
      return SbomWriter.create(VersionProvider.version(), Clock.systemUTC())
          .write(SbomFormat.CYCLONEDX, loaded.sbomSubject(), loaded.inventory(), kept);
    }
    Report report = verdict.report();
    if (fmt.equals("table")) report = report.withInventory(forPeople(report.inventory()));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Writer w = new OutputStreamWriter(buf, StandardCharsets.UTF_8)) {
      ReportWriters.forFormat(fmt, VersionProvider.version(), output == null && console.stdoutColor()).write(report, w);
    }
    return buf.toByteArray();
  }

  /**
   * The inventory as the table shows it: the findings table already lists every vulnerability, so the
   * structured list (kept in JSON) and empty sections are left out.
   */
  static JsonNode forPeople(JsonNode inventory) {
    if (inventory == null || !inventory.isObject()) return inventory;
    ObjectNode copy = ((ObjectNode) inventory).deepCopy();
    copy.remove("vulnerabilities");
    copy.remove("schema");
    copy.remove("os");
    copy.remove("packages");
    List<String> empty = new ArrayList<>();
    copy.fields().forEachRemaining(e -> {
      if (e.getValue().isContainerNode() && e.getValue().isEmpty()) empty.add(e.getKey());
    });
    copy.remove(empty);
    return copy;
  }

  private Set<Severity> severitySet() {
    Set<Severity> out = EnumSet.noneOf(Severity.class);
    for (String s : severities) {
      try {
        Severity v = Severity.valueOf(s.strip().toUpperCase(Locale.ROOT));
        if (v == Severity.INFO) throw new IllegalArgumentException("INFO is not a vulnerability severity");
        out.add(v);
      } catch (IllegalArgumentException e) {
        throw new UsageException("unknown severity '" + s.replaceAll("\\p{Cntrl}", "?")
            + "': expected unknown, low, medium, high or critical");
      }
    }
    return out;
  }

  private List<Ignore> ignoreList() throws IOException {
    List<Ignore> out = new ArrayList<>();
    for (String text : ignores) {
      try {
        out.add(Ignore.parse(text, "--ignore"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--ignore '" + text.replaceAll("\\p{Cntrl}", "?") + "': " + e.getMessage());
      }
    }
    Path file = ignoreFile != null ? ignoreFile : Path.of(IgnoreFile.NAME);
    if (ignoreFile != null || Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        out.addAll(IgnoreFile.parse(r, file.toString()));
      }
    }
    return out;
  }
}
