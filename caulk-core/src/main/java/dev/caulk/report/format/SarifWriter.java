package dev.caulk.report.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.RuleInfo;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * SARIF 2.1.0 (OASIS standard, errata 01) with one run, shaped for GitHub code scanning.
 *
 * <ul>
 *   <li>{@code tool.driver}: name {@code caulk}, the version, and one {@code reportingDescriptor}
 *       per rule (the report's known rules plus any rule that has findings), sorted by id, each
 *       with {@code shortDescription}, {@code help}, {@code defaultConfiguration.level} and {@code
 *       properties.tags} / {@code security-severity} (SARIF §3.49; GitHub reads {@code
 *       security-severity} to rank security alerts).
 *   <li>One {@code result} per finding (SARIF §3.27) with {@code ruleId}, {@code ruleIndex}, {@code
 *       level}, {@code message.text}, one location whose {@code artifactLocation.uri} is the path
 *       without its leading slash (or the image name for metadata findings), a line-1 region
 *       because GitHub requires a region, and {@code partialFingerprints} built from {@link
 *       Finding#fingerprint()} so alerts survive rebuilds.
 * </ul>
 *
 * Levels: CRITICAL and HIGH are {@code error}, MEDIUM {@code warning}, the rest {@code note}. The
 * {@code security-severity} scores (9.5, 8.0, 5.5, 2.0) fall inside GitHub's
 * critical/high/medium/low bands.
 */
final class SarifWriter implements ReportWriter {
  static final String SCHEMA_URI =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  /** Our own fingerprint key, versioned as SARIF §3.27.17 recommends. */
  static final String FINGERPRINT_KEY = "caulkFindingHash/v1";

  private final String toolVersion;

  SarifWriter(String toolVersion) {
    this.toolVersion = toolVersion == null || toolVersion.isBlank() ? "0.0.0" : toolVersion;
  }

  @Override
  public String format() {
    return "sarif";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    List<Finding> findings = report.sortedFindings();
    Map<String, ObjectNode> rules = rules(report, findings);
    List<String> ruleIds = new ArrayList<>(rules.keySet());

    ObjectNode root = Texts.mapper().createObjectNode();
    root.put("$schema", SCHEMA_URI);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "caulk");
    driver.put("version", toolVersion);
    ArrayNode ruleArray = driver.putArray("rules");
    rules.values().forEach(ruleArray::add);

    ArrayNode results = run.putArray("results");
    String artifactFallback = report.imageName() == null ? "image" : report.imageName();
    for (Finding f : findings) {
      ObjectNode r = results.addObject();
      r.put("ruleId", f.id());
      r.put("ruleIndex", ruleIds.indexOf(f.id()));
      r.put("level", level(f.severity()));
      String text =
          f.detail() == null || f.detail().isBlank() ? f.title() : f.title() + "\n" + f.detail();
      r.putObject("message").put("text", text);
      ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
      String where =
          f.path() == null || f.path().equals("/") ? artifactFallback : f.path().substring(1);
      physical.putObject("artifactLocation").put("uri", Texts.uriPath(where));
      physical.putObject("region").put("startLine", 1);
      String fingerprint = f.fingerprint();
      ObjectNode fp = r.putObject("partialFingerprints");
      fp.put("primaryLocationLineHash", fingerprint.substring(0, 32) + ":1");
      fp.put(FINGERPRINT_KEY, fingerprint);
      ObjectNode props = r.putObject("properties");
      props.put("severity", f.severity().name());
      if (f.path() != null) {
        props.put("path", f.path());
      }
      if (f.layer() != null) {
        props.put("layer", f.layer());
      }
    }
    if (!report.subject().isEmpty()) {
      ObjectNode props = run.putObject("properties");
      report.subject().forEach(props::put);
    }
    Texts.writeJson(root, out);
  }

  /**
   * Rule descriptors keyed and sorted by id: declared rules first wins, then rules seen only in
   * findings.
   */
  private static Map<String, ObjectNode> rules(Report report, List<Finding> findings) {
    Map<String, RuleInfo> known = new TreeMap<>();
    for (RuleInfo r : report.rules()) {
      known.putIfAbsent(r.id(), r);
    }
    Map<String, Finding> worst = new TreeMap<>();
    for (Finding f : findings) {
      worst.putIfAbsent(f.id(), f); // findings are sorted worst first
    }
    Map<String, ObjectNode> out = new TreeMap<>();
    for (RuleInfo r : known.values()) {
      Finding sample = worst.get(r.id());
      String help =
          r.help() != null
              ? r.help()
              : sample != null && sample.remediation() != null ? sample.remediation() : r.title();
      Set<String> tags = new LinkedHashSet<>(r.tags());
      if (sample != null) {
        tags.addAll(sample.references());
      }
      out.put(r.id(), descriptor(r.id(), r.title(), help, r.helpUri(), r.severity(), tags));
    }
    for (Finding f : worst.values()) {
      if (!out.containsKey(f.id())) {
        String help = f.remediation() != null ? f.remediation() : f.title();
        out.put(
            f.id(),
            descriptor(
                f.id(), f.title(), help, null, f.severity(), new LinkedHashSet<>(f.references())));
      }
    }
    return out;
  }

  private static ObjectNode descriptor(
      String id,
      String title,
      String help,
      @Nullable String helpUri,
      Severity severity,
      Set<String> extraTags) {
    ObjectNode d = Texts.mapper().createObjectNode();
    d.put("id", id);
    d.putObject("shortDescription").put("text", title);
    d.putObject("help").put("text", help);
    if (helpUri != null && isAbsoluteUri(helpUri)) {
      d.put("helpUri", helpUri);
    }
    d.putObject("defaultConfiguration").put("level", level(severity));
    ObjectNode props = d.putObject("properties");
    Set<String> tags = new LinkedHashSet<>();
    tags.add("security");
    tags.add(severity.name());
    tags.addAll(extraTags);
    ArrayNode tagArray = props.putArray("tags");
    tags.forEach(tagArray::add); // a set: SARIF requires unique tags
    String score = securitySeverity(severity);
    if (score != null) {
      props.put("security-severity", score);
    }
    return d;
  }

  static String level(Severity s) {
    switch (s) {
      case CRITICAL:
      case HIGH:
        return "error";
      case MEDIUM:
        return "warning";
      default:
        return "note";
    }
  }

  /**
   * GitHub's bands: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, up to 3.9 low; none for
   * INFO/UNKNOWN.
   */
  static @Nullable String securitySeverity(Severity s) {
    switch (s) {
      case CRITICAL:
        return "9.5";
      case HIGH:
        return "8.0";
      case MEDIUM:
        return "5.5";
      case LOW:
        return "2.0";
      default:
        return null;
    }
  }

  private static boolean isAbsoluteUri(String s) {
    try {
      return URI.create(s).isAbsolute();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
