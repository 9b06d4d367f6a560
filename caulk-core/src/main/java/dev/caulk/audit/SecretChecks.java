package dev.caulk.audit;

import static dev.caulk.report.Severity.HIGH;
import static dev.caulk.report.Severity.MEDIUM;

import dev.caulk.audit.secrets.SecretDetector;
import dev.caulk.audit.secrets.SecretHit;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.audit.secrets.SecretScanner;
import dev.caulk.report.Finding;
import dev.caulk.report.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets: in the config (environment, labels, history lines), in credential files by name, in file
 * contents (one rule per detector, so each detector id is a rule id), and in files a later layer
 * deleted or replaced, which still ship in their layer. Every detail holds masked values only.
 */
final class SecretChecks {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern ENV_NAME =
      com.google.re2j.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,99}");

  /**
   * The generic assignment rule's id: disabling it also stops judging ENV, labels and history by
   * name alone.
   */
  static final String GENERIC = "generic-secret";

  static final List<String> REFS = List.of("CIS-4.10", "CIS-DI-0010");
  static final String ROTATE =
      "Remove the secret from the image and rotate it: anyone who can pull the image can "
          + "read it. Pass secrets at run time (a mounted file, a secret manager) and at build time with RUN "
          + "--mount=type=secret.";

  private SecretChecks() {}

  static Rule credentials() {
    return new BuiltinRule(
        "CIS-DI-0010",
        HIGH,
        "Credential in the environment, labels, history or a credential file",
        ROTATE,
        List.of("CIS-4.10", "DS-0031"),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          Set<String> reported = new HashSet<>();
          SecretRuleBook book = ctx.secretRules();
          pairs(r, ctx, book, "ENV", ctx.runConfig().envMap(), reported, out);
          pairs(
              r,
              ctx,
              book,
              "LABEL",
              ctx.runConfig().labels() == null ? Map.of() : ctx.runConfig().labels(),
              reported,
              out);
          for (HistoryLine h : ctx.history()) {
            history(r, ctx, book, h, reported, out);
          }
          for (SecretEvidence e : ctx.secrets()) {
            if (e.byName() && e.finalContent()) {
              out.add(
                  r.finding()
                      .withSeverity(e.severity())
                      .withPath(e.path())
                      .withLayer(ctx.layer(e.layerIndex()))
                      .withKey(e.id())
                      .withDetail(e.title() + ": " + e.describe()));
            }
          }
          return out;
        });
  }

  /**
   * One rule per content rule of the book (built-in detectors and rules, user rules; not the
   * disabled ones): its findings carry the secret rule's id, as docs/secrets.md names them.
   */
  static List<Rule> contentRules(SecretRuleBook book) {
    List<Rule> out = new ArrayList<>();
    for (SecretDetector d : book.rules()) {
      out.add(
          new ContentRule(
              new BuiltinRule(
                  d.id(),
                  severity(d.severity()),
                  d.title(),
                  ROTATE,
                  REFS,
                  (r, ctx) -> {
                    List<Finding> fs = new ArrayList<>();
                    for (SecretEvidence e : ctx.secrets()) {
                      if (!e.byName() && e.finalContent() && e.id().equals(r.id())) {
                        fs.add(
                            Finding.of(r.id(), e.severity(), e.title())
                                .withRemediation(r.remediation())
                                .withReferences(r.references())
                                .withPath(e.path())
                                .withLayer(ctx.layer(e.layerIndex()))
                                .withKey(e.id() + "#" + e.occurrence())
                                .withDetail(e.describe()));
                      }
                    }
                    return fs;
                  })));
    }
    return out;
  }

  /**
   * Whether the rule is one of {@link #contentRules}' (replaced when the audit gets another rule
   * book).
   */
  static boolean isContentRule(Rule r) {
    return r instanceof ContentRule;
  }

  /** A secret content rule: a built-in rule made from one {@code SecretRuleBook.rules()} entry. */
  private record ContentRule(BuiltinRule rule) implements Rule {
    @Override
    public String id() {
      return rule.id();
    }

    @Override
    public Severity severity() {
      return rule.severity();
    }

    @Override
    public String title() {
      return rule.title();
    }

    @Override
    public String remediation() {
      return rule.remediation();
    }

    @Override
    public List<String> references() {
      return rule.references();
    }

    @Override
    public List<Finding> check(AuditContext context) {
      return rule.check(context);
    }
  }

  static Rule hiddenSecrets() {
    return new BuiltinRule(
        "secret-in-hidden-layer",
        HIGH,
        "Secret deleted by a later layer still ships in the image",
        "Remove the secret in the same layer that added it (or use a multi-stage build or RUN --mount=type=secret) "
            + "and rotate it: a later layer's deletion hides the file, but the layer that holds it is still pulled "
            + "and can be unpacked.",
        REFS,
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (SecretEvidence e : ctx.secrets()) {
            if (e.finalContent()) continue;
            String how = ctx.tree().exists(e.path()) ? "replaced" : "deleted";
            out.add(
                r.finding()
                    .withSeverity(e.severity())
                    .withPath(e.path())
                    .withLayer(ctx.layer(e.layerIndex()))
                    .withKey(e.id() + "#" + e.occurrence() + "@" + e.layerIndex())
                    .withDetail(
                        e.title()
                            + " ("
                            + e.describe()
                            + ") in "
                            + ctx.describeLayer(e.layerIndex())
                            + ", "
                            + how
                            + " by "
                            + ctx.describeLayer(e.hiddenBy())
                            + ": still extractable from the image"));
          }
          return out;
        });
  }

  private static void pairs(
      Rule r,
      AuditContext ctx,
      SecretRuleBook book,
      String kind,
      Map<String, String> values,
      Set<String> reported,
      List<Finding> out) {
    values.forEach(
        (name, value) -> {
          String what = judge(book, name, value);
          if (what == null) {
            return;
          }
          reported.add(name + "=" + value);
          out.add(
              r.finding()
                  .withSeverity(severityOf(book, name, value))
                  .withKey(kind.toLowerCase(java.util.Locale.ROOT) + ":" + name)
                  .withDetail(kind + " " + name + "=" + what));
        });
  }

  private static void history(
      Rule r,
      AuditContext ctx,
      SecretRuleBook book,
      HistoryLine h,
      Set<String> reported,
      List<Finding> out) {
    if (h.createdBy().isBlank()) return;
    Set<String> found = new LinkedHashSet<>();
    Severity worst = null;
    Set<String> masks = new HashSet<>();
    for (List<String> command : Commands.split(h.createdBy())) {
      for (String w : command) {
        int eq = w.indexOf('=');
        if (eq <= 0) continue;
        String name = w.substring(0, eq);
        String value = w.substring(eq + 1);
        if (reported.contains(name + "=" + value) || !ENV_NAME.matches(name)) continue;
        String what = judge(book, name, value);
        if (what == null) continue;
        found.add(name + "=" + what);
        masks.add(SecretScanner.mask(value));
        worst = max(worst, severityOf(book, name, value));
      }
    }
    for (SecretHit hit : book.scanText(h.createdBy())) {
      if (masks.contains(hit.masked()) || alreadyReported(hit, h.createdBy(), reported)) continue;
      found.add(hit.title() + " " + hit.masked());
      worst = max(worst, severity(hit.severity()));
    }
    if (found.isEmpty()) return;
    out.add(
        r.finding()
            .withSeverity(worst)
            .withLayer(ctx.layer(h.layerIndex()))
            .withKey("history:" + h.index())
            .withDetail(
                "history "
                    + h.index()
                    + ": "
                    + String.join(", ", found)
                    + "; line: "
                    + ctx.mask(h.createdBy())));
  }

  /**
   * What to show for a name/value pair that holds a secret ({@code ghp_**** (GitHub personal access
   * token)} or {@code ****}), or null when it holds none: a detector must recognise the value, or
   * the name must say it is a secret and the value be no placeholder, reference or path. The book's
   * rules judge the value; the name alone counts only while the book keeps {@code generic-secret}
   * (the same idea: a secret-looking name) and its allow lists do not exempt the value.
   */
  static String judge(SecretRuleBook book, String name, String value) {
    if (value == null || value.isEmpty()) return null;
    List<SecretHit> hits = book.scanAssignment(name, value);
    if (!hits.isEmpty()) {
      SecretHit h = hits.get(0);
      return h.masked() + " (" + h.title() + ")";
    }
    if (!book.enabled(GENERIC) || book.valueAllowed(value)) {
      return null;
    }
    if (!SecretScanner.isSecretName(name) || SecretScanner.isPlaceholder(value)) return null;
    if (value.startsWith("/") || value.startsWith("./"))
      return null; // the path of a secret file, not the secret
    if (value.contains("://") && !value.contains("@"))
      return null; // a URL without credentials in it
    return SecretScanner.mask(value) + " (the name says it is a secret)";
  }

  private static Severity severityOf(SecretRuleBook book, String name, String value) {
    List<SecretHit> hits = book.scanAssignment(name, value);
    Severity s = null;
    for (SecretHit h : hits) s = max(s, severity(h.severity()));
    return s == null ? MEDIUM : s;
  }

  /**
   * Whether the hit is an ENV or label value already reported that this line holds (masks alone can
   * collide).
   */
  private static boolean alreadyReported(SecretHit hit, String line, Set<String> reported) {
    for (String pair : reported) {
      String value = pair.substring(pair.indexOf('=') + 1);
      if (SecretScanner.mask(value).equals(hit.masked()) && line.contains(value)) return true;
    }
    return false;
  }

  private static Severity max(Severity a, Severity b) {
    return a == null || b.compareTo(a) > 0 ? b : a;
  }

  static Severity severity(String name) {
    try {
      return Severity.parse(name);
    } catch (IllegalArgumentException e) {
      return Severity.UNKNOWN;
    }
  }
}
