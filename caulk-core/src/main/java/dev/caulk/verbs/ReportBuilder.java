package dev.caulk.verbs;

import dev.caulk.report.Severity;
import dev.caulk.spec.Platform;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What the builders of the verbs that write a report and may fail a gate ({@link Audit}, {@link
 * Scan}) take alike: the platform, the report's format and file, and the gate with its ignores.
 * Each setter returns the verb's own builder, so the chains read as before.
 *
 * @param <B> the verb's builder
 */
public abstract class ReportBuilder<B extends ReportBuilder<B>> {
  Platform platform = Platform.LINUX_AMD64;
  String format = "table";
  Path output;
  boolean colour;
  String toolVersion = "dev";
  boolean gate;
  final List<String> ignores = new ArrayList<>();
  Path ignoreFile;
  Path searchDirectory;
  LocalDate today;

  ReportBuilder() {}

  abstract B self();

  public B platform(Platform v) {
    this.platform = v;
    return self();
  }

  /** The report's format ({@code table}, {@code json}, {@code sarif}, … as the verb lists). */
  public B format(String v) {
    this.format = v;
    return self();
  }

  /** Where the report is written (atomically); none: the result carries it for stdout. */
  public B output(Path v) {
    this.output = v;
    return self();
  }

  public B colour(boolean v) {
    this.colour = v;
    return self();
  }

  public B toolVersion(String v) {
    this.toolVersion = v;
    return self();
  }

  /** Whether the gate can fail the run (the CLI: {@code --exit-code} other than 0). */
  public B gate(boolean v) {
    this.gate = v;
    return self();
  }

  /**
   * An accepted finding, {@code ID [GLOB] [exp:DATE]} as {@code --ignore} and a line of {@code
   * .caulkignore}.
   */
  public B ignore(String v) {
    this.ignores.add(v);
    return self();
  }

  public B ignores(List<String> v) {
    this.ignores.addAll(v);
    return self();
  }

  /** An ignore file to read (it must exist). */
  public B ignoreFile(Path v) {
    this.ignoreFile = v;
    return self();
  }

  /** Where {@code .caulkignore} is read from when present and no ignore file is named. */
  public B searchIgnoreFileIn(Path dir) {
    this.searchDirectory = dir;
    return self();
  }

  /** The date ignore expiries are checked against (default: today, UTC). */
  public B today(LocalDate v) {
    this.today = v;
    return self();
  }

  /** The gate these settings make, failing at {@code threshold} and above. */
  final Gating gating(Severity threshold) {
    return new Gating(threshold, gate, Gating.parseIgnores(ignores), ignoreFile, searchDirectory);
  }
}
