package dev.caulk.report.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.RuleInfo;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/**
 * caulk's own JSON document. Field order is fixed so diffs between runs show only real changes:
 *
 * <pre>
 * { "schema": "caulk.report/v1",
 *   "image": { "name", then the other subject keys sorted: "created", "digest", "platform", … },
 *   "summary": { "total", "critical", "high", "medium", "low", "info", "unknown" },
 *   "inventory": { … }                                                      (only when present)
 *   "findings": [ { "id", "severity", "title", "path", "layer", "detail", "remediation",
 *                   "references", "fingerprint" } ],
 *   "rules": [ { "id", "severity", "title", "help", "helpUri", "tags" } ]   (only when known) }
 * </pre>
 *
 * The report's subject is written as {@code image}, since every report is about one image; its
 * {@value Report#IMAGE} key (the image as the user named it) becomes {@code image.name}. Every
 * finding always has all its fields; absent ones are {@code null} (references: {@code []}), so
 * consumers need no existence checks. Severities are upper-case names of {@link Severity}.
 */
final class JsonReportWriter implements ReportWriter {
  /** Value of the top-level {@code schema} field; bumped on any incompatible change. */
  static final String SCHEMA = "caulk.report/v1";

  @Override
  public String format() {
    return "json";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    ObjectNode root = Texts.mapper().createObjectNode();
    root.put("schema", SCHEMA);
    ObjectNode image = root.putObject("image");
    String name = report.subject().get(Report.IMAGE);
    if (name != null) {
      image.put("name", name);
    }
    for (Map.Entry<String, String> e : report.subject().entrySet()) {
      if (!e.getKey().equals(Report.IMAGE)) {
        image.put(e.getKey(), e.getValue());
      }
    }
    ObjectNode summary = root.putObject("summary");
    summary.put("total", report.findings().size());
    Severity[] all = Severity.values();
    for (int i = all.length - 1; i >= 0; i--) {
      summary.put(all[i].lowerName(), report.counts().get(all[i]));
    }
    if (report.contents() != null) {
      root.set("inventory", report.contents().toJson());
    }
    ArrayNode findings = root.putArray("findings");
    for (Finding f : report.sortedFindings()) {
      findings.add(finding(f));
    }
    if (!report.rules().isEmpty()) {
      ArrayNode rules = root.putArray("rules");
      report.rules().stream()
          .sorted((a, b) -> a.id().compareTo(b.id()))
          .forEach(r -> rules.add(rule(r)));
    }
    Texts.writeJson(root, out);
  }

  private static ObjectNode finding(Finding f) {
    ObjectNode n = Texts.mapper().createObjectNode();
    n.put("id", f.id());
    n.put("severity", f.severity().name());
    n.put("title", f.title());
    n.put("path", f.path());
    n.put("layer", f.layer());
    n.put("detail", f.detail());
    n.put("remediation", f.remediation());
    ArrayNode refs = n.putArray("references");
    f.references().forEach(refs::add);
    n.put("fingerprint", f.fingerprint());
    return n;
  }

  private static ObjectNode rule(RuleInfo r) {
    ObjectNode n = Texts.mapper().createObjectNode();
    n.put("id", r.id());
    n.put("severity", r.severity().name());
    n.put("title", r.title());
    n.put("help", r.help());
    n.put("helpUri", r.helpUri());
    ArrayNode tags = n.putArray("tags");
    r.tags().forEach(tags::add);
    return n;
  }
}
