package dev.caulk.report.format;

import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The human format: subject lines, the inventory when the report has one ({@link InventoryText}),
 * then one aligned row per finding (SEVERITY, ID, PATH, TITLE) worst first, then a summary line.
 * Layers, details and remediation stay in the machine formats to keep rows on one line.
 *
 * <pre>
 * image: registry.example/app:1.4
 *
 * SEVERITY  ID                 PATH       TITLE
 * CRITICAL  aws-access-key-id  /app/.env  AWS access key ID
 * HIGH      CIS-DI-0001        -          Image runs as root
 *
 * 2 findings: 1 critical, 1 high
 * </pre>
 */
final class TableWriter implements ReportWriter {
  /** Paths longer than this do not widen the column further; such rows simply run longer. */
  static final int MAX_PATH_WIDTH = 60;

  private static final String RESET = "\u001b[0m";
  private final boolean colour;

  TableWriter(boolean colour) {
    this.colour = colour;
  }

  @Override
  public String format() {
    return "table";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : report.subject().entrySet()) {
      sb.append(Texts.oneLine(e.getKey()))
          .append(": ")
          .append(Texts.oneLine(e.getValue()))
          .append('\n');
    }
    if (!report.subject().isEmpty()) {
      sb.append('\n');
    }
    if (report.contents() != null) {
      sb.append("Inventory:\n");
      InventoryText.render(report.contents().forPeople(), sb);
      sb.append('\n');
    }
    List<Finding> findings = report.sortedFindings();
    if (findings.isEmpty()) {
      sb.append("No findings.\n");
      out.write(sb.toString());
      out.flush();
      return;
    }
    List<String[]> rows = new ArrayList<>();
    for (Finding f : findings) {
      rows.add(
          new String[] {
            f.severity().name(),
            Texts.oneLine(f.id()),
            f.path() == null ? "-" : Texts.oneLine(f.path()),
            Texts.oneLine(f.title())
          });
    }
    int[] width = {"SEVERITY".length(), "ID".length(), "PATH".length()};
    for (String[] row : rows) {
      for (int c = 0; c < width.length; c++) {
        width[c] =
            Math.max(
                width[c],
                Math.min(displayWidth(row[c]), c == 2 ? MAX_PATH_WIDTH : Integer.MAX_VALUE));
      }
    }
    appendRow(sb, new String[] {"SEVERITY", "ID", "PATH", "TITLE"}, width, null);
    for (int r = 0; r < rows.size(); r++) {
      appendRow(sb, rows.get(r), width, findings.get(r).severity());
    }
    sb.append('\n').append(summary(report)).append('\n');
    out.write(sb.toString());
    out.flush();
  }

  private void appendRow(StringBuilder sb, String[] row, int[] width, @Nullable Severity severity) {
    for (int c = 0; c < row.length; c++) {
      String cell = row[c];
      if (c == 0 && colour && severity != null && colourOf(severity) != null) {
        sb.append(colourOf(severity)).append(cell).append(RESET);
      } else {
        sb.append(cell);
      }
      if (c < row.length - 1) {
        int pad = Math.max(0, width[c] - displayWidth(cell)) + 2;
        sb.append(" ".repeat(pad));
      }
    }
    sb.append('\n');
  }

  /** "3 findings: 1 critical, 2 high", listing only the severities present, worst first. */
  static String summary(Report report) {
    int total = report.findings().size();
    StringBuilder sb =
        new StringBuilder().append(total).append(total == 1 ? " finding" : " findings");
    String sep = ": ";
    Severity[] all = Severity.values();
    for (int i = all.length - 1; i >= 0; i--) {
      int n = report.counts().getOrDefault(all[i], 0);
      if (n > 0) {
        sb.append(sep).append(n).append(' ').append(all[i].lowerName());
        sep = ", ";
      }
    }
    return sb.toString();
  }

  private static @Nullable String colourOf(Severity s) {
    switch (s) {
      case CRITICAL:
        return "\u001b[1;31m";
      case HIGH:
        return "\u001b[31m";
      case MEDIUM:
        return "\u001b[33m";
      case LOW:
        return "\u001b[34m";
      case INFO:
        return "\u001b[36m";
      default:
        return null;
    }
  }

  private static int displayWidth(String s) {
    return s.codePointCount(0, s.length());
  }
}
