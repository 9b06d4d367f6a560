package dev.caulk.report.format;

import java.util.List;
import java.util.Locale;

/** Factories for the report writers, and a lookup by {@code --format} name. */
public final class ReportWriters {
  /** The names accepted by {@link #forFormat}. */
  public static final List<String> FORMATS = List.of("table", "json", "sarif", "junit");

  private ReportWriters() {}

  /**
   * Aligned columns for a terminal, findings worst first.
   *
   * @param colour whether to colour severities with ANSI escapes; the caller decides (tty, {@code
   *     NO_COLOR})
   */
  public static ReportWriter table(boolean colour) {
    return new TableWriter(colour);
  }

  /** caulk's JSON document (schema {@value JsonReportWriter#SCHEMA}). */
  public static ReportWriter json() {
    return new JsonReportWriter();
  }

  /**
   * A SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF consumers.
   *
   * @param toolVersion caulk's version, written to {@code tool.driver.version}
   */
  public static ReportWriter sarif(String toolVersion) {
    return new SarifWriter(toolVersion);
  }

  /**
   * JUnit XML with one test suite: a failing test case per finding, a passing one per clean rule.
   */
  public static ReportWriter junit() {
    return new JunitWriter();
  }

  /**
   * The writer for a {@code --format} value, case-insensitive.
   *
   * @throws IllegalArgumentException for an unknown name; the message lists {@link #FORMATS}
   */
  public static ReportWriter forFormat(String name, String toolVersion, boolean colour) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "table":
        return table(colour);
      case "json":
        return json();
      case "sarif":
        return sarif(toolVersion);
      case "junit":
        return junit();
      default:
        String shown = n.length() > 20 ? n.substring(0, 20) + "…" : n;
        throw new IllegalArgumentException(
            "unknown format '"
                + shown.replaceAll("\\p{Cntrl}", "?")
                + "': expected one of "
                + String.join(", ", FORMATS));
    }
  }
}
