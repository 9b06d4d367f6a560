package dev.caulk.report.format;

import dev.caulk.report.Report;
import java.io.IOException;
import java.io.Writer;

/** Renders a report in one format. Obtain instances from {@link ReportWriters}. */
public sealed interface ReportWriter
    permits TableWriter, JsonReportWriter, SarifWriter, JunitWriter {

  /**
   * Writes the whole report to {@code out} and flushes it; {@code out} is not closed.
   *
   * @throws IOException only when {@code out} fails
   */
  void write(Report report, Writer out) throws IOException;

  /**
   * The format name as accepted by {@link ReportWriters#forFormat}: table, json, sarif or junit.
   */
  String format();
}
