package dev.caulk.audit;

import static dev.caulk.audit.AuditFixtures.cleanBase;
import static dev.caulk.audit.AuditFixtures.cleanConfig;
import static dev.caulk.audit.AuditFixtures.findings;
import static dev.caulk.audit.AuditFixtures.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.audit.secrets.SecretConfig;
import dev.caulk.audit.secrets.SecretConfigException;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.image.Image;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.RuleInfo;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link SecretRuleBook} threaded through the audit: file contents and names (the visitor), the
 * environment, labels and history ({@code CIS-DI-0010}), history masking, and one audit rule per
 * book rule.
 */
class AuditSecretRulesTest {
  private static final String ACME_RULES =
      "rules:\n"
          + "  - id: acme-api-key\n"
          + "    title: ACME API key\n"
          + "    severity: CRITICAL\n"
          + "    regex: 'acme_[a-z0-9]{32}'\n"
          + "    keywords: [acme_]\n";

  private static SecretRuleBook book(String yaml) throws SecretConfigException {
    return SecretRuleBook.of(SecretConfig.parse(new StringReader(yaml), "secrets.yaml"));
  }

  private static String acmeToken(long seed) {
    return "acme"
        + "_"
        + new AuditFixtures.Secrets(seed).chars("abcdefghijklmnopqrstuvwxyz0123456789", 32);
  }

  private static Report audit(Image img, SecretRuleBook book) throws IOException {
    return Auditor.audit(img, Auditor.Options.defaults().withSecretRules(book));
  }

  private static boolean hasRule(Report r, String id) {
    return r.rules().stream().map(RuleInfo::id).anyMatch(id::equals);
  }

  @Test
  void aUserRuleFindsItsTokenInFilesEnvAndHistoryAndIsARuleOfTheReport() throws IOException {
    String token = acmeToken(1);
    String other = acmeToken(2);
    String third = acmeToken(3);
    Image img =
        image(
            cleanConfig().env("ACME", other).build(),
            List.of(
                AuditFixtures.run(
                    "RUN /bin/sh -c curl -H 'x: " + third + "' https://acme.invalid")),
            cleanBase()
                .file("app/client.conf", "endpoint https://acme.invalid\nkey " + token + "\n")
                .bytes());

    Report builtIn = audit(img, SecretRuleBook.builtIn());
    assertTrue(findings(builtIn, "acme-api-key").isEmpty());
    assertFalse(hasRule(builtIn, "acme-api-key"));
    assertTrue(findings(builtIn, "CIS-DI-0010").isEmpty(), builtIn.findings().toString());

    Report r = audit(img, book(ACME_RULES));
    assertTrue(hasRule(r, "acme-api-key"));
    List<Finding> content = findings(r, "acme-api-key");
    assertEquals(1, content.size(), r.findings().toString());
    assertEquals("/app/client.conf", content.get(0).path());
    assertEquals(Severity.CRITICAL, content.get(0).severity());
    List<Finding> config = findings(r, "CIS-DI-0010");
    assertEquals(2, config.size(), config.toString()); // the ENV entry and the history line
    String all = r.findings().toString();
    assertFalse(all.contains(token.substring(5)), "the file's token leaks");
    assertFalse(all.contains(other.substring(5)), "the ENV token leaks");
    assertFalse(all.contains(third.substring(5)), "the history token leaks");
    assertTrue(
        config.stream().anyMatch(f -> f.detail().startsWith("history 0: ACME API key acme****")),
        all);
    // the history line, quoted by the inventory too, is masked with the user rule
    assertFalse(
        r.contents().toString().contains(third.substring(5)), "the inventory's history line leaks");
  }

  @Test
  void disabledBuiltInsGiveNoFindingsAndNoRules() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(4);
    String pat = s.githubPat();
    Image img =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("app/notes.txt", "the deploy key is " + pat + " (rotate monthly)\n")
                .file("app/.env", "A=1\n")
                .bytes());
    Report before = audit(img, SecretRuleBook.builtIn());
    assertEquals(1, findings(before, "github-pat").size(), before.findings().toString());
    assertTrue(
        findings(before, "CIS-DI-0010").stream().anyMatch(f -> "/app/.env".equals(f.path())));

    Report r = audit(img, book("disable: [github-pat, dotenv-file]\n"));
    assertTrue(findings(r, "github-pat").isEmpty(), r.findings().toString());
    assertFalse(hasRule(r, "github-pat"));
    assertTrue(hasRule(r, "github-oauth"), "only the named ids are disabled");
    assertTrue(
        findings(r, "CIS-DI-0010").stream().noneMatch(f -> "/app/.env".equals(f.path())),
        r.findings().toString());
  }

  @Test
  void allowedPathsAreNeitherScannedNorMatchedByName() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(5);
    String pat = s.githubPat();
    Image img =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("app/fixtures/sample.txt", "token " + pat + "\n")
                .file("app/fixtures/.env", "A=1\n")
                .file("app/real.txt", "token " + pat + "\n")
                .bytes());
    Report r = audit(img, book("allow:\n  paths: ['^/app/fixtures/']\n"));
    List<Finding> pats = findings(r, "github-pat");
    assertEquals(1, pats.size(), pats.toString());
    assertEquals("/app/real.txt", pats.get(0).path());
    assertTrue(
        findings(r, "CIS-DI-0010").stream()
            .noneMatch(f -> f.path() != null && f.path().startsWith("/app/fixtures/")));
  }

  @Test
  void theAllowListAppliesToSecretNamedEnvironmentValues() throws IOException {
    Image img =
        image(
            cleanConfig().env("DB_PASSWORD", "sandbox-hunter2").build(), null, cleanBase().bytes());
    assertEquals(1, findings(audit(img, SecretRuleBook.builtIn()), "CIS-DI-0010").size());
    assertTrue(
        findings(audit(img, book("allow:\n  stopwords: [sandbox]\n")), "CIS-DI-0010").isEmpty());
    assertTrue(findings(audit(img, book("disable: [generic-secret]\n")), "CIS-DI-0010").isEmpty());
  }

  @Test
  void aChosenRuleListWithoutContentRulesGetsNone() throws IOException {
    Auditor.Options o =
        Auditor.Options.defaults()
            .withRules(Rules.select("CIS-DI-0001", "CIS-DI-0010"))
            .withSecretRules(book(ACME_RULES));
    assertEquals(List.of("CIS-DI-0001", "CIS-DI-0010"), o.rules().stream().map(Rule::id).toList());
    List<String> full = Rules.builtIn(book(ACME_RULES)).stream().map(Rule::id).toList();
    assertTrue(
        full.contains("acme-api-key")
            && full.contains("github-pat")
            && full.contains("CIS-DI-0001"));
    assertEquals(
        Rules.builtIn().stream().map(Rule::id).toList(),
        Rules.builtIn(SecretRuleBook.builtIn()).stream().map(Rule::id).toList());
  }
}
