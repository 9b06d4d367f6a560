package dev.caulk.slim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.audit.Auditor;
import dev.caulk.image.Image;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.util.Map;

/**
 * The report of a harden or slim run: the audit inventory of the original and of the result side by
 * side (the same {@link Auditor} {@code caulk audit} uses, so the numbers agree), the findings by
 * severity, what was done and what the probe saw.
 *
 * @param source the original as the user named it
 * @param destination where the result was written, {@code LOCATION@DIGEST}
 * @param summary what the rewrite did
 * @param before the audit of the original
 * @param after the audit of the result
 * @param probe the probe's outcome, or null without {@code --probe}
 */
public record Comparison(
    String source,
    String destination,
    Summary summary,
    Report before,
    Report after,
    Prover.Outcome probe) {

  /**
   * Audits both images (file and config rules and secrets, as {@code caulk audit} does by default).
   */
  public static Comparison of(
      String source,
      String destination,
      Image original,
      Slimmer.Result result,
      Prover.Outcome probe,
      Auditor.Options options)
      throws IOException {
    Report before = Auditor.audit(original, options.withName(source, null));
    Report after = Auditor.audit(result.image(), options.withName(destination, null));
    return new Comparison(source, destination, result.summary(), before, after, probe);
  }

  /**
   * {@code {"verb", "image", "result", "entrypoint", "before": <inventory + findings>, "after": …,
   * "probe": {…} | null, "packages": {"kept", "dropped"}, "floorBytes", "missingLibraries",
   * "changes"}}. {@code before} and {@code after} are the audit inventories ({@code caulk audit
   * --format json}'s {@code inventory}) with a {@code findings} object of counts by severity added.
   */
  public ObjectNode toJson(ObjectMapper m) {
    ObjectNode o = m.createObjectNode();
    o.put("verb", summary.verb().word());
    o.put("image", source);
    o.put("result", destination);
    ArrayNode ep = o.putArray("entrypoint");
    summary.entrypoint().forEach(ep::add);
    o.set("before", side(m, before));
    o.set("after", side(m, after));
    if (probe == null) o.putNull("probe");
    else o.set("probe", probe.toJson(m));
    ObjectNode pk = o.putObject("packages");
    summary.packagesKept().forEach(pk.putArray("kept")::add);
    summary.packagesDropped().forEach(pk.putArray("dropped")::add);
    o.put("userBefore", summary.userBefore());
    o.put("userAfter", summary.userAfter());
    o.put("floorBytes", summary.floorBytes());
    summary.missingLibraries().forEach(o.putArray("missingLibraries")::add);
    summary.changes().forEach(o.putArray("changes")::add);
    return o;
  }

  private static ObjectNode side(ObjectMapper m, Report r) {
    ObjectNode inv = r.inventory() instanceof ObjectNode n ? n.deepCopy() : m.createObjectNode();
    ObjectNode f = inv.putObject("findings");
    Map<Severity, Integer> counts = r.counts();
    for (Severity s : Severity.values()) f.put(s.lowerName(), counts.get(s));
    return inv;
  }

  /** The side-by-side table (plain text, one line per row, no colour). */
  public String table() {
    return ComparisonTable.render(this);
  }

  static JsonNode inventory(Report r) {
    return r.inventory() == null ? new ObjectMapper().createObjectNode() : r.inventory();
  }
}
