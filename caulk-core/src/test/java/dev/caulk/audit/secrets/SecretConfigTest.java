package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User rules and allow lists from secrets.yaml, and the rule books built from them. */
class SecretConfigTest {
  private final Tokens t = new Tokens(5);

  private static SecretConfig parse(String yaml) throws SecretConfigException {
    return SecretConfig.parse(new StringReader(yaml), "secrets.yaml");
  }

  private static String error(String yaml) {
    return assertThrows(SecretConfigException.class, () -> parse(yaml)).getMessage();
  }

  private static List<String> ids(List<SecretHit> hits) {
    return hits.stream().map(SecretHit::detectorId).toList();
  }

  @Test
  void userRulesAreFoundWithTheirIdTitleAndSeverity() throws Exception {
    SecretRuleBook book =
        SecretRuleBook.of(
            parse(
                """
        rules:
          - id: acme-api-key
            title: ACME API key
            severity: critical
            regex: 'acme_([a-z0-9]{32})'
            keywords: [ACME_]
            entropy: 3
            allow: ['^0+$']
            allow-paths: ['^/opt/fixtures/']
        """));
    String key = t.chars("abcdefghijklmnopqrstuvwxyz0123456789", 32);
    List<SecretHit> hits =
        book.scan("/app/.env", ("X=acme_" + key + "\n").getBytes(StandardCharsets.UTF_8), 60);
    assertEquals(List.of("acme-api-key"), ids(hits));
    assertEquals("CRITICAL", hits.get(0).severity());
    assertEquals("ACME API key", hits.get(0).title());
    assertEquals(SecretScanner.mask(key), hits.get(0).masked());
    assertEquals(
        List.of(),
        book.scan("/opt/fixtures/a", ("X=acme_" + key).getBytes(StandardCharsets.UTF_8), 60));
    assertEquals(List.of(), book.scanText("acme_" + "0".repeat(32)));
    assertEquals(
        List.of(), SecretScanner.scanText("X=acme_" + key)); // the built-in book does not know it
    assertTrue(
        book.rules().stream()
            .anyMatch(r -> r.id().equals("acme-api-key") && r.severity().equals("CRITICAL")));
  }

  @Test
  void aRegexWithoutAGroupReportsTheWholeMatchAndTitleDefaultsToTheId() throws Exception {
    SecretRuleBook book =
        SecretRuleBook.of(
            parse(
                "rules:\n  - id: corp-token\n    regex: 'corp-[0-9a-f]{24}'\n"
                    + "    keywords: corp-\n"));
    String token = "corp-" + t.hex(24);
    List<SecretHit> hits = book.scanText("token " + token);
    assertEquals(List.of("corp-token"), ids(hits));
    assertEquals("corp-token", hits.get(0).title());
    assertEquals("HIGH", hits.get(0).severity());
  }

  @Test
  void disableAndGlobalAllowLists() throws Exception {
    String gh = t.github("p");
    String text = "A=" + gh + "\nDB_PASSWORD=" + t.chars(Tokens.ALNUM, 20) + "\n";
    assertEquals(List.of("github-pat", "generic-secret"), ids(SecretScanner.scanText(text)));
    SecretRuleBook off = SecretRuleBook.of(parse("disable: [generic-secret, dotenv-file]\n"));
    assertEquals(List.of("github-pat"), ids(off.scanText(text)));
    assertFalse(off.enabled("generic-secret"));
    assertTrue(off.rules().stream().noneMatch(r -> r.id().equals("generic-secret")));
    assertTrue(off.matchFile("/app/.env", new byte[0]).isEmpty());
    assertEquals(
        "dotenv-file",
        SecretRuleBook.builtIn().matchFile("/app/.env", new byte[0]).orElseThrow().id());
    SecretRuleBook allow =
        SecretRuleBook.of(
            parse(
                """
        allow:
          paths: ['^/usr/share/doc/', '\\.md$']
          regexes: ['^ghp_']
          stopwords: [SANDBOX]
        """));
    assertEquals(List.of("generic-secret"), ids(allow.scanText(text)));
    assertEquals(
        List.of(),
        allow.scan("/usr/share/doc/x/README", text.getBytes(StandardCharsets.UTF_8), 100));
    assertEquals(
        List.of(), allow.scan("docs/notes.md", text.getBytes(StandardCharsets.UTF_8), 100));
    assertTrue(allow.pathAllowed("usr/share/doc/a"));
    assertEquals(List.of(), allow.scanText("DB_PASSWORD=x9sandboxQ7rT2mL4"));
  }

  @Test
  void aUserRuleWithABuiltInIdReplacesIt() throws Exception {
    SecretRuleBook book =
        SecretRuleBook.of(
            parse(
                "rules:\n  - id: github-pat\n    severity: LOW\n"
                    + "    regex: '(ghp_[A-Za-z0-9]{36})'\n    keywords: [ghp_]\n"));
    List<SecretHit> hits = book.scanText("x " + t.github("p"));
    assertEquals(List.of("github-pat"), ids(hits));
    assertEquals("LOW", hits.get(0).severity());
    assertEquals(1, book.rules().stream().filter(r -> r.id().equals("github-pat")).count());
  }

  @Test
  void errorsNameTheFileTheLineAndTheKey() {
    assertEquals(
        "secrets.yaml:3: rules[0].regex: not an RE2 pattern: missing closing )",
        error("rules:\n  - id: a\n    regex: '(x'\n    keywords: [ab]\n"));
    assertTrue(
        error("rules:\n  - id: a\n    regex: 'x(?=y)'\n    keywords: [ab]\n")
            .startsWith("secrets.yaml:3: rules[0].regex: not an RE2 pattern"));
    assertEquals(
        "secrets.yaml:2: rules[0].keywords: at least one is required (every rule runs behind the keyword "
            + "prefilter)",
        error("rules:\n  - id: a\n    regex: 'x'\n"));
    assertEquals(
        "secrets.yaml:2: rules[0].id: lower-case letters and digits joined by dashes, at most 100 characters",
        error("rules:\n  - id: Bad_Id\n    regex: x\n    keywords: [ab]\n"));
    assertEquals(
        "secrets.yaml:3: rules[0].severity: one of CRITICAL, HIGH, MEDIUM, LOW, INFO",
        error("rules:\n  - id: a\n    severity: urgent\n    regex: x\n    keywords: [ab]\n"));
    assertEquals(
        "secrets.yaml:1: disable: unknown rule id 'no-such-rule' (caulk audit --list-secret-rules)",
        error("disable: [no-such-rule]\n"));
    assertEquals(
        "secrets.yaml:1: unknown key 'rulez' (known: allow, disable, rules)", error("rulez: []\n"));
    assertEquals(
        "secrets.yaml:2: allow: unknown key 'path' (known: paths, regexes, stopwords)",
        error("allow:\n  path: [x]\n"));
    assertEquals(
        "secrets.yaml:3: rules[0]: unknown key 'pattern' (known: allow, allow-paths, entropy, id, keywords, "
            + "regex, severity, title)",
        error("rules:\n  - id: a\n    pattern: x\n"));
    assertEquals(
        "secrets.yaml:4: rules[0].entropy: expected a number of bits per character",
        error("rules:\n  - id: a\n    regex: x\n    entropy: lots\n    keywords: [ab]\n"));
    assertTrue(error("rules: [\n").startsWith("secrets.yaml:"));
    assertTrue(error("a: 1\na: 2\n").startsWith("secrets.yaml:"));
    assertEquals(
        "secrets.yaml:4: rules[2].id: duplicate id 'a'",
        error(
            "rules:\n  - {id: a, regex: x, keywords: [ab]}\n"
                + "  - {id: b, regex: y, keywords: [ab]}\n  - {id: a, regex: z, keywords: [ab]}\n"));
    for (String message :
        List.of(
            error("rules:\n  - id: a\n    regex: '(x'\n    keywords: [ab]\n"),
            error("disable: [x]\n"))) {
      assertFalse(message.contains("\n"), message);
    }
  }

  @Test
  void aLongOrHostileRegexIsLinear() throws Exception {
    SecretRuleBook book =
        SecretRuleBook.of(parse("rules:\n  - id: evil\n    regex: '(a+)+$'\n    keywords: [aa]\n"));
    String text = "a".repeat(SecretScanner.MAX_SCAN_BYTES - 1) + "!";
    long t0 = System.nanoTime();
    book.scan("/x", text.getBytes(StandardCharsets.UTF_8), text.length());
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
  }

  @Test
  void loadAndTheDefaultFile(@TempDir Path dir) throws Exception {
    assertTrue(SecretConfig.defaultFile(dir).isEmpty());
    Path file = dir.resolve(".caulk/secrets.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "disable: [jwt]\n");
    assertEquals(file, SecretConfig.defaultFile(dir).orElseThrow());
    assertEquals(Set.of("jwt"), SecretConfig.load(file).disabled());
    Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n");
    String missing =
        assertThrows(SecretConfigException.class, () -> SecretConfig.load(dir.resolve("nope.yaml")))
            .getMessage();
    assertEquals(dir.resolve("nope.yaml") + ": not a regular file", missing);
    Files.write(dir.resolve("big.yaml"), new byte[(int) SecretConfig.MAX_BYTES + 1]);
    assertEquals(
        dir.resolve("big.yaml") + ": larger than 1 MiB",
        assertThrows(SecretConfigException.class, () -> SecretConfig.load(dir.resolve("big.yaml")))
            .getMessage());
    assertTrue(SecretConfig.load(dir.resolve("empty.yaml")).isEmpty());
    assertEquals(
        SecretRuleBook.builtIn(), SecretRuleBook.of(SecretConfig.load(dir.resolve("empty.yaml"))));
  }
}
