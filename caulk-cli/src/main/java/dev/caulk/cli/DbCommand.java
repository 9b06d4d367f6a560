package dev.caulk.cli;

import dev.caulk.scan.db.DbStatus;
import dev.caulk.scan.db.EcosystemStatus;
import dev.caulk.scan.db.ImportResult;
import dev.caulk.verbs.Db;
import dev.caulk.verbs.Session;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code caulk db import|update|status}: the local OSV vulnerability database that {@code caulk
 * scan} reads.
 */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the local vulnerability database (OSV records) that 'caulk scan' reads offline.",
      "It is a folder of plain files (default ~/.cache/caulk/db); no server, opens in milliseconds."
    },
    subcommands = {DbCommand.Import.class, DbCommand.Update.class, DbCommand.Status.class})
final class DbCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: import, update or status");
  }

  /** {@code caulk db import FILE.zip|DIR|FILE.json}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Index OSV records, offline: an all.zip export",
        "(https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip), any zip",
        "of OSV JSON, a folder of .json records, or one .json record. Each ecosystem in",
        "the input replaces that ecosystem's data; the others are kept."
      })
  static final class Import implements Callable<Integer>, ConsoleAware {
    @Mixin CommonOptions common;
    @Mixin DbOption db;
    private Console console;

    @Parameters(
        index = "0",
        paramLabel = "SOURCE",
        description = "all.zip, a folder of OSV .json files, or one .json file.")
    Path source;

    @Override
    public void console(Console c) {
      this.console = c;
    }

    @Override
    public Integer call() throws Exception {
      Db.Imported imported = Db.importFrom(db.options().source(source).build());
      ImportResult r = imported.result();
      r.records().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> console.out().printf("%-12s %8d records%n", e.getKey(), e.getValue()));
      console.out().printf("imported %d records into %s", r.total(), imported.directory());
      List<String> skipped = new ArrayList<>();
      if (r.withdrawn() > 0) {
        skipped.add(r.withdrawn() + " withdrawn");
      }
      if (r.ignored() > 0) {
        skipped.add(r.ignored() + " without a package");
      }
      if (r.invalid() > 0) {
        skipped.add(r.invalid() + " invalid");
      }
      console
          .out()
          .println(skipped.isEmpty() ? "" : " (skipped " + String.join(", ", skipped) + ")");
      for (String p : r.problems()) {
        console.warn("skipped: " + p);
      }
      if (r.total() == 0) {
        console.alert("no usable OSV records in " + source.getFileName());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code caulk db update [--url BASE] [--ecosystem E]...}. */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Download each ecosystem's OSV export (BASE/<Ecosystem>/all.zip) and import it.",
        "The only scanning command that goes online; 'caulk scan' never downloads."
      })
  static final class Update implements Callable<Integer>, ConsoleAware {
    @Mixin CommonOptions common;
    @Mixin DbOption db;
    private Console console;

    @Option(
        names = "--url",
        paramLabel = "BASE",
        description =
            "Export root (default https://osv-vulnerabilities.storage.googleapis.com); a mirror or file:///DIR laid out the same way.")
    URI url = Db.DEFAULT_URL;

    @Option(
        names = "--ecosystem",
        paramLabel = "NAME",
        split = ",",
        description =
            "OSV ecosystems to fetch (default: those already in the database, else Alpine,Debian,Go,Maven).")
    List<String> ecosystems = new ArrayList<>();

    @Override
    public void console(Console c) {
      this.console = c;
    }

    @Override
    public Integer call() throws Exception {
      Db.Options options = db.options().url(url).ecosystems(ecosystems).build();
      for (Db.Updated u : Db.update(options, Session.defaults(console)).ecosystems()) {
        console
            .out()
            .printf(
                "%-12s %8d records  (%s, %s)%n",
                u.ecosystem(), u.records(), Console.human(u.bytes()), u.source());
        if (u.records() == 0) {
          console.alert(u.ecosystem() + ": the export held no usable records; previous data kept");
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code caulk db status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the database's ecosystems, record counts and age.")
  static final class Status implements Callable<Integer>, ConsoleAware {
    @Mixin CommonOptions common;
    @Mixin DbOption db;
    private Console console;

    @Option(
        names = {"-f", "--format"},
        description = "table or json (default: table).")
    OutputFormat format = OutputFormat.table;

    @Override
    public void console(Console c) {
      this.console = c;
    }

    @Override
    public Integer call() throws Exception {
      Db.Status status = Db.status(db.options().build());
      if (format == OutputFormat.json) {
        console.out().println(status.toJson());
        return ExitCodes.OK;
      }
      DbStatus s = status.status();
      console.out().println("Database  " + s.directory());
      if (s.isEmpty()) {
        console.out().println("empty: run 'caulk db update' (online) or 'caulk db import all.zip'");
        return ExitCodes.OK;
      }
      console
          .out()
          .printf(
              "%-12s %9s %9s  %-20s  %-10s %s%n",
              "ECOSYSTEM", "RECORDS", "PACKAGES", "IMPORTED", "AGE", "SOURCE");
      for (EcosystemStatus e : s.ecosystems()) {
        console
            .out()
            .printf(
                "%-12s %9d %9d  %-20s  %-10s %s%n",
                e.ecosystem(),
                e.records(),
                e.packages(),
                e.importedAt().truncatedTo(ChronoUnit.SECONDS),
                age(status.age(e)),
                e.source());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code 3d 4h}, {@code 5h 12m}, {@code 40s}. */
  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s >= 86400) return String.format(Locale.ROOT, "%dd %dh", s / 86400, (s % 86400) / 3600);
    if (s >= 3600) return String.format(Locale.ROOT, "%dh %dm", s / 3600, (s % 3600) / 60);
    if (s >= 60) return String.format(Locale.ROOT, "%dm", s / 60);
    return s + "s";
  }
}
