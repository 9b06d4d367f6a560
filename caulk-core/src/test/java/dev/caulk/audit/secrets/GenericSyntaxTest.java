package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generic "secret assigned to a name" rule across syntaxes (issue 11): each syntax with a true
 * positive, whose reported value must be exactly the secret, and a near miss in the same syntax.
 */
class GenericSyntaxTest {
  private final Tokens t = new Tokens(4242);
  private final String v = t.chars(Tokens.ALNUM, 24);

  /** The generic hits' secrets in {@code text}. */
  private static List<String> secrets(String text) {
    List<String> out = new ArrayList<>();
    for (Raw r : SecretScanner.detect(text)) {
      if (r.id().equals(GenericAssignments.ID)) {
        out.add(r.value());
      }
    }
    return out;
  }

  private void found(String text) {
    assertEquals(List.of(v), secrets(text), text);
  }

  private static void missed(String text) {
    assertEquals(List.of(), secrets(text), text);
  }

  @Test
  void makefileOperators() {
    found("API_TOKEN ?= " + v);
    found("API_TOKEN ::= " + v);
    found("API_TOKEN :::= " + v);
    found("export DB_PASSWORD := " + v);
    found("DB_PASSWORD += " + v);
    missed("API_TOKEN ?= $(shell cat /run/secrets/token)");
    missed("TOKEN_FILE ?= " + v);
  }

  @Test
  void phpConcatenationAndDefine() {
    found("$password .= '" + v + "';");
    found("define('DB_PASSWORD', '" + v + "');");
    found("define( \"AUTH_SECRET\" , \"" + v + "\" );");
    missed("$password .= $suffix;");
    missed("define('DB_PASSWORD', getenv('DB_PASSWORD'));");
    missed("define('DB_HOST', '" + v + "');");
  }

  @Test
  void goKotlinSwiftTypedDeclarationsAndBackticks() {
    found("var apiKey string = \"" + v + "\"");
    found("const clientSecret = `" + v + "`");
    found("apiToken := `" + v + "`");
    found("val apiKey: String = \"" + v + "\"");
    found("let apiSecret: String = \"" + v + "\"");
    missed("var apiKey string = os.Getenv(\"API_KEY\")");
    missed("var apiKeyHeader string = \"" + v + "\"");
  }

  @Test
  void javaAndGoCallsWithANameAndAValue() {
    found("System.setProperty(\"db.password\", \"" + v + "\");");
    found("os.Setenv(\"GITHUB_TOKEN\", \"" + v + "\")");
    found("props.put(\"client_secret\", \"" + v + "\");");
    missed("System.setProperty(\"db.password\", password);");
    missed("System.setProperty(\"db.user\", \"" + v + "\");");
    missed("fields = [\"password\", \"confirmPassword\"]");
  }

  @Test
  void xmlElementsAttributesAndValuesOnTheirOwnLine() {
    found("<password>" + v + "</password>");
    found("<add key=\"ApiKey\" value=\"" + v + "\" />");
    found("<server id=\"x\" password=\"" + v + "\"/>");
    found("<server>\n  <password>\n    " + v + "\n  </password>\n</server>");
    found("<clientSecret>\n" + v + "</clientSecret>");
    missed("<password>${env.DB_PASSWORD}</password>");
    missed("<password>\n  <value>" + "nested" + "</value>\n</password>");
    missed("<username>\n    " + v + "\n  </username>");
    missed("<add key=\"ApiUrl\" value=\"" + v + "\" />");
  }

  @Test
  void assignmentsInsideJsonStringsWithEscapedNewlines() {
    found("{\"env\": \"MODE=prod\\nAPI_TOKEN=" + v + "\\nDEBUG=0\"}");
    found("{\"script\": \"export DB_PASSWORD=" + v + "\\n\"}");
    missed("{\"env\": \"MODE=prod\\nAPI_TOKEN=${TOKEN}\\nDEBUG=0\"}");
  }

  @Test
  void shellYamlTomlIniPropertiesDockerfile() {
    found("export SECRET_KEY=\"" + v + "\"");
    found("ENV API_TOKEN=" + v);
    found("  password: " + v);
    found("api_key = \"" + v + "\"");
    found("db.password=" + v);
    found("\"client_secret\": \"" + v + "\",");
    found("ENV['API_TOKEN'] = '" + v + "'");
    found("os.environ[\"DB_PASSWORD\"] = \"" + v + "\"");
    missed("  password: ${DB_PASSWORD}");
    missed("ENV API_TOKEN_FILE=/run/secrets/token");
  }

  @Test
  void valuesInCapitals() {
    String caps = t.chars("BCDFGHJKLMNPQRSTVWXZ", 12) + t.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8);
    assertTrue(GenericAssignments.randomCapitals(caps), caps);
    assertEquals(List.of(caps), secrets("API_TOKEN=" + caps));
    assertFalse(GenericAssignments.randomCapitals("AUTHENTICATION"));
    missed("AUTH_TOKEN=AUTHENTICATION");
    missed("API_TOKEN=DEFAULT_API_TOKEN");
    missed("password: NONE");
  }

  @Test
  void hostileLinesForTheNewSyntaxesStayLinear() {
    String[] units = {
      "\"env\": \"a=\\n",
      "\"a\": \"b='c=\\nd=",
      "password ::= ",
      "<password>",
      "\"password\", ",
      "key=\"password\" value=",
      "\\napi_token=",
      "var token string = `",
      "<password>\n"
    };
    for (String unit : units) {
      String text = unit.repeat(SecretScanner.MAX_SCAN_BYTES / unit.length());
      long t0 = System.nanoTime();
      SecretScanner.scanText(text);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 10_000, unit + ": " + ms + " ms");
    }
  }
}
