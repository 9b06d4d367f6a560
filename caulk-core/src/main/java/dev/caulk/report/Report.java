package dev.caulk.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The result of one audit or scan: what was looked at, what it contains, and what is wrong with it.
 *
 * @param subject metadata about the image, such as {@value #IMAGE}, {@value #DIGEST}, {@value
 *     #PLATFORM}; kept sorted by key so every writer renders it in the same order
 * @param contents what the image contains (an {@link Contents}: typed values the formats render),
 *     or null when the report has no inventory
 * @param rules the rules that ran, when known (empty when not); lets writers report rules that
 *     passed
 * @param findings what was found, in any order; writers sort with {@link Finding#ORDER}
 */
public record Report(
    Map<String, String> subject, Contents contents, List<RuleInfo> rules, List<Finding> findings) {

  /** Subject key for the image name or location as the user gave it. */
  public static final String IMAGE = "image";

  /** Subject key for the manifest digest. */
  public static final String DIGEST = "digest";

  /** Subject key for the platform ({@code linux/amd64}). */
  public static final String PLATFORM = "platform";

  /** Copies everything; null collections become empty. */
  public Report {
    TreeMap<String, String> sorted = new TreeMap<>();
    if (subject != null) {
      subject.forEach(
          (k, v) ->
              sorted.put(
                  Objects.requireNonNull(k, "subject key"),
                  Objects.requireNonNull(v, "subject " + k)));
    }
    subject = Collections.unmodifiableMap(sorted);
    rules = rules == null ? List.of() : List.copyOf(rules);
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** A report whose inventory is given as a JSON tree (deep-copied; null or missing: none). */
  public Report(
      Map<String, String> subject,
      JsonNode inventory,
      List<RuleInfo> rules,
      List<Finding> findings) {
    this(subject, json(inventory), rules, findings);
  }

  private static Contents json(JsonNode inventory) {
    return inventory == null || inventory.isMissingNode() ? null : Contents.of(inventory);
  }

  /** A report with a subject and findings, no inventory and no rule list. */
  public static Report of(Map<String, String> subject, List<Finding> findings) {
    return new Report(subject, (Contents) null, List.of(), findings);
  }

  /** The inventory's JSON form (a new tree on every call), or null when there is none. */
  public JsonNode inventory() {
    return contents == null ? null : contents.toJson();
  }

  /** Copy with an inventory. */
  public Report withInventory(Contents inventory) {
    return new Report(subject, inventory, rules, findings);
  }

  /** Copy with an inventory given as a JSON tree. */
  public Report withInventory(JsonNode inventory) {
    return new Report(subject, json(inventory), rules, findings);
  }

  /** Copy with the list of rules that ran. */
  public Report withRules(List<RuleInfo> rules) {
    return new Report(subject, contents, rules, findings);
  }

  /** Copy with other findings (used by {@link Gate} to drop ignored ones). */
  public Report withFindings(List<Finding> findings) {
    return new Report(subject, contents, rules, findings);
  }

  /** The findings in {@link Finding#ORDER}. */
  public List<Finding> sortedFindings() {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Finding.ORDER);
    return List.copyOf(sorted);
  }

  /**
   * How many findings there are of each severity, in {@link Severity} order (lowest first), zeros
   * included.
   */
  public Map<Severity, Integer> counts() {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    for (Finding f : findings) {
      counts.merge(f.severity(), 1, Integer::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  /** The image name from the subject, or null. */
  public String imageName() {
    return subject.get(IMAGE);
  }
}
