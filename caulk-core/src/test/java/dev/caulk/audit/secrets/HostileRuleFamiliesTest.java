package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 1 MiB hostile files for the rule families of issue 11: each family's worst unit repeated (a
 * prefix or context name with no end, a URI without its {@code @}, a Secret manifest of empty
 * entries, a PuTTY header announcing many lines…), and one line holding every keyword of every
 * rule, so that every rule runs on the whole MiB. Each must finish within the bound: the patterns
 * are RE2/J and the hand-written parsers take bounded steps.
 */
class HostileRuleFamiliesTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  /**
   * Every rule runs over the whole MiB line here: linear, but the cost is the number of rules times
   * the line (about 200 passes), so the bound is wider than for one family.
   */
  private static final Duration LIMIT_ALL_RULES = Duration.ofSeconds(60);

  private static void scan(String path, String unit) {
    scan(path, unit, LIMIT);
  }

  private static void scan(String path, String unit, Duration limit) {
    StringBuilder sb = new StringBuilder(SecretScanner.MAX_SCAN_BYTES + unit.length());
    while (sb.length() < SecretScanner.MAX_SCAN_BYTES) {
      sb.append(unit);
    }
    byte[] file = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    long t0 = System.nanoTime();
    assertTimeoutPreemptively(limit, () -> SecretScanner.scan(path, file));
    System.out.printf(
        "secret scan of 1 MiB of %s in %s: %d ms%n",
        unit.replace("\n", "\\n"), path, (System.nanoTime() - t0) / 1_000_000);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/app/a.env|postgres://u:",
        "/app/a.env|mongodb+srv://:a",
        "/app/a.env|https://a:b",
        "/app/a.env|jdbc:mysql://h/d?password=",
        "/app/a.env|Server=a;Password=",
        "/app/a.env|Server=a;",
        "/app/a.env|keystore_password=",
        "/app/a.env|-storepass ",
        "/app/a.env|CLOUDFLARE_API_TOKEN=",
        "/app/a.env|cloudflare",
        "/app/a.env|sk_test_",
        "/app/a.env|AAAAAAAAAAAAAAAAAAAAAA",
        "/app/a.env|EAA",
        "/app/a.env|eyJ0eXAiOiAiVENWMiJ9.",
        "/app/a.env|QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo",
        "/app/a.env|\"auth\": \"QUJD",
        "/app/s.yaml|kind: Secret\\ndata:\\n",
        "/app/s.yaml|kind: Secret\\ndata:\\n  a: QUJDREVGR0g=\\n",
        "/app/s.json|{\"kind\": \"Secret\", \"data\": {",
        "/app/s.json|\"kind\":\"Secret\",\"data\":{\"a\":\"QUJD\",",
        "/app/k.ppk|PuTTY-User-Key-File-3: a\\nPrivate-Lines: 200\\n",
        "/app/k.ppk|Private-Lines: 9\\n",
        "/root/.netrc|password ",
        "/root/.pgpass|a:b:c:d:",
        "/root/.pgpass|\\\\:",
        "/root/.git-credentials|https://a:",
        "/root/.m2/settings.xml|<password>",
        "/root/.kube/config|token: ",
        "/var/www/wp-config.php|define('DB_PASSWORD', '",
        "/app/a.env|<password>\\n",
        "/app/a.env|\"a\": \"b=\\\\n"
      })
  void oneMebibyteOfAFamilysWorstUnitIsLinear(String path, String unit) {
    scan(path, unit.replace("\\n", "\n"));
  }

  @Test
  void oneLineWithEveryKeywordRunsEveryRuleOnTheWholeMebibyte() {
    Set<String> keywords = new LinkedHashSet<>();
    for (SecretRule r : SecretRules.all()) {
      keywords.addAll(r.keywords());
    }
    scan("/app/all.txt", String.join(" = ", keywords) + " = ", LIMIT_ALL_RULES);
  }
}
