package dev.caulk.report;

import java.util.List;
import java.util.Objects;

/**
 * What a report knows about a rule that ran, whether or not it found anything. Writers use it to
 * describe rules (SARIF {@code tool.driver.rules}) and to list rules that passed (JUnit passing
 * test cases).
 *
 * @param id the rule id, as in {@link Finding#id()}
 * @param severity the rule's default severity
 * @param title one-line description ("Image runs as root")
 * @param help how to fix it, plain text; may be null
 * @param helpUri absolute link to documentation; may be null
 * @param tags free-form tags such as {@code cis}, {@code secret}; never null
 */
public record RuleInfo(
    String id, Severity severity, String title, String help, String helpUri, List<String> tags) {

  /** Validates the required fields and copies the tag list. */
  public RuleInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** A rule with only id, severity and title. */
  public static RuleInfo of(String id, Severity severity, String title) {
    return new RuleInfo(id, severity, title, null, null, List.of());
  }
}
