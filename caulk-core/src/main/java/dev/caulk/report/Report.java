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
 * @param subject metadata about the image, such as {@value #IMAGE}, {@value #DIGEST}, {@value #PLATFORM}; kept
 *     sorted by key so every writer renders it in the same order
 * @param inventory optional inventory (packages, layers, users) as an opaque JSON tree that writers embed as is;
 *     null when there is none. It is deep-copied on construction; treat it as read-only.
 * @param rules the rules that ran, when known (empty when not); lets writers report rules that passed
 * @param findings what was found, in any order; writers sort with {@link Finding#ORDER}
 */
public record Report(Map<String, String> subject, JsonNode inventory, List<RuleInfo> rules, List<Finding> findings) {

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
          (k, v) -> sorted.put(Objects.requireNonNull(k, "subject key"), Objects.requireNonNull(v, "subject " + k)));
    }
    subject = Collections.unmodifiableMap(sorted);
    inventory = inventory == null || inventory.isMissingNode() ? null : inventory.deepCopy();
    rules = rules == null ? List.of() : List.copyOf(rules);
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** A report with a subject and findings, no inventory and no rule list. */
  public static Report of(Map<String, String> subject, List<Finding> findings) {
    return new Report(subject, null, List.of(), findings);
  }

  /** Copy with an inventory tree. */
  public Report withInventory(JsonNode inventory) {
    return new Report(subject, inventory, rules, findings);
  }

  /** Copy with the list of rules that ran. */
  public Report withRules(List<RuleInfo> rules) {
    return new Report(subject, inventory, rules, findings);
  }

  /** Copy with other findings (used by {@link Gate} to drop ignored ones). */
  public Report withFindings(List<Finding> findings) {
    return new Report(subject, inventory, rules, findings);
  }

  /** The findings in {@link Finding#ORDER}. */
  public List<Finding> sortedFindings() {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Finding.ORDER);
    return List.copyOf(sorted);
  }

  /** How many findings there are of each severity, in {@link Severity} order (lowest first), zeros included. */
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
