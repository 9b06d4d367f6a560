package dev.caulk.audit;

import dev.caulk.report.Finding;
import dev.caulk.report.Severity;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A built-in rule: its metadata and a check function that receives the rule itself (to make
 * findings).
 */
record BuiltinRule(
    String id,
    Severity severity,
    String title,
    String remediation,
    List<String> references,
    BiFunction<Rule, AuditContext, List<Finding>> checker)
    implements Rule {

  BuiltinRule {
    Objects.requireNonNull(id, "id");
    references = List.copyOf(references);
  }

  @Override
  public List<Finding> check(AuditContext context) {
    return checker.apply(this, context);
  }
}
