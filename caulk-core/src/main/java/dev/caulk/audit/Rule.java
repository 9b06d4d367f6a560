package dev.caulk.audit;

import dev.caulk.report.Finding;
import dev.caulk.report.RuleInfo;
import dev.caulk.report.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * One audit check: a stable id, a default severity, what it means and how to fix it, and the check
 * itself over an {@link AuditContext} (the merged file tree, the config, the history, the accounts
 * and the secrets found while the layers streamed).
 *
 * <p>A rule never reads an image itself: everything it may look at was gathered in the single
 * streaming pass of {@link Auditor#audit}, so adding a rule never adds a read of the layers. Rules
 * are pure functions of the context, which keeps them testable on hand-made trees.
 *
 * <p>Ids are stable because ignores, SARIF fingerprints and CI gates refer to them: Dockle's codes
 * ({@code CIS-DI-0001}, {@code DKL-LI-0002}…) where a Dockle checkpoint matches, lower-case names
 * ({@code shell-present}) for caulk's own checks. See {@code docs/audit.md}.
 */
public interface Rule {
  /** The stable id, such as {@code CIS-DI-0001}. */
  String id();

  /**
   * The default severity of the rule's findings (a finding may carry another, e.g. a secret's own).
   */
  Severity severity();

  /** One line saying what is wrong ("Image runs as root"). */
  String title();

  /** How to fix it, one or two sentences. */
  String remediation();

  /**
   * CIS Docker Benchmark sections ({@code CIS-4.1}), Dockle and Trivy ids; empty when none applies.
   */
  List<String> references();

  /** The findings of this rule on one image; empty when the image passes. */
  List<Finding> check(AuditContext context);

  /** What a report says about this rule (SARIF rule metadata, JUnit passing cases). */
  default RuleInfo info() {
    List<String> tags = new ArrayList<>();
    tags.add("security");
    tags.addAll(references());
    return new RuleInfo(id(), severity(), title(), remediation(), null, tags);
  }

  /** A finding of this rule with id, severity, title, remediation and references filled in. */
  default Finding finding() {
    return Finding.of(id(), severity(), title())
        .withRemediation(remediation())
        .withReferences(references());
  }
}
