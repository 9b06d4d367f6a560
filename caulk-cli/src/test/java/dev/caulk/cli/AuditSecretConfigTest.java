package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.tar.TestTars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caulk audit --secret-config} and {@code --list-secret-rules} (issue 11, user rules). */
class AuditSecretConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULE =
      "rules:\n  - id: acme-api-key\n    title: ACME API key\n    severity: CRITICAL\n"
          + "    regex: 'acme_[a-z0-9]{32}'\n    keywords: [acme_]\n";
  @TempDir static Path tmp;
  private static String layout;
  private static String token;
  private static String pat;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void image() throws IOException {
    Random random = new Random(11);
    token = "acme" + "_" + chars(random, "abcdefghijklmnopqrstuvwxyz0123456789", 32);
    pat =
        "gh"
            + "p_"
            + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36);
    Image img =
        TestTars.image(
            TestTars.tar()
                .dir("app")
                .file("app/client.conf", "key " + token + "\n")
                .file("app/notes.txt", "deploy with " + pat + " only\n")
                .file("fixtures/notes.txt", "deploy with " + pat + "\n")
                .bytes());
    Path dir = tmp.resolve("oci");
    Locations.write(
        Artifact.of(img), new ImageLocation.OciLayout(dir, "1"), RegistryOptions.defaults());
    layout = "oci:" + dir + ":1";
  }

  private static String chars(Random r, String alphabet, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static Run caulk(boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new Console(out, err, terminal, false));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Path config(String name, String yaml) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  private static List<String> ids(Run r) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode f : JSON.readTree(r.out()).path("findings")) {
      out.add(f.path("id").asText() + " " + f.path("path").asText());
    }
    return out;
  }

  @Test
  void aUserRuleFindsTheCustomTokenOnlyWithTheConfig() throws IOException {
    Run without = caulk(false, "audit", "-f", "json", layout);
    assertEquals(0, without.code(), without.err());
    assertFalse(ids(without).contains("acme-api-key /app/client.conf"), ids(without).toString());

    Path file = config("acme.yaml", RULE);
    Run with = caulk(true, "audit", "-f", "json", "--secret-config", file.toString(), layout);
    assertEquals(0, with.code(), with.err());
    assertTrue(ids(with).contains("acme-api-key /app/client.conf"), ids(with).toString());
    assertFalse(with.out().contains(token.substring(5)), "the token leaks into the report");
    assertTrue(
        with.err().lines().anyMatch(l -> l.equals("audit: secret rules from " + file)), with.err());

    // a user rule's id is ignored like any other rule's
    Run ignored =
        caulk(
            false,
            "audit",
            "-f",
            "json",
            "--secret-config",
            file.toString(),
            "--ignore",
            "acme-api-key",
            layout);
    assertFalse(ids(ignored).contains("acme-api-key /app/client.conf"), ids(ignored).toString());
  }

  @Test
  void disabledBuiltInsAndAllowedPaths() throws IOException {
    Run builtIn = caulk(false, "audit", "-f", "json", layout);
    assertTrue(ids(builtIn).contains("github-pat /app/notes.txt"), ids(builtIn).toString());
    assertTrue(ids(builtIn).contains("github-pat /fixtures/notes.txt"), ids(builtIn).toString());

    Run disabled =
        caulk(
            false,
            "audit",
            "-f",
            "json",
            "--secret-config",
            config("off.yaml", "disable: [github-pat]\n").toString(),
            layout);
    assertEquals(0, disabled.code(), disabled.err());
    assertTrue(
        ids(disabled).stream().noneMatch(s -> s.startsWith("github-pat ")),
        ids(disabled).toString());

    Run allowed =
        caulk(
            false,
            "audit",
            "-f",
            "json",
            "--secret-config",
            config("allow.yaml", "allow:\n  paths: ['^/fixtures/']\n").toString(),
            layout);
    assertTrue(ids(allowed).contains("github-pat /app/notes.txt"), ids(allowed).toString());
    assertTrue(
        ids(allowed).stream().noneMatch(s -> s.endsWith(" /fixtures/notes.txt")),
        ids(allowed).toString());
  }

  @Test
  void aBadConfigIsOneLineWithFileAndLineAndExitTwo() throws IOException {
    Path bad =
        config(
            "bad.yaml",
            "rules:\n  - id: acme-api-key\n    regex: 'acme_[a-z'\n    keywords: [acme_]\n");
    for (List<String> args :
        List.of(
            List.of("audit", "--secret-config", bad.toString(), layout),
            List.of("audit", "--secret-config", bad.toString(), "--list-secret-rules"))) {
      Run r = caulk(false, args.toArray(String[]::new));
      assertEquals(2, r.code(), r.err());
      assertTrue(
          r.err()
              .matches(
                  "caulk: error: "
                      + java.util.regex.Pattern.quote(bad.toString())
                      + ":3: rules\\[0\\]\\.regex: [^\n]+\n"),
          r.err());
      assertEquals("", r.out());
    }
    Run missing =
        caulk(false, "audit", "--secret-config", tmp.resolve("none.yaml").toString(), layout);
    assertEquals(2, missing.code(), missing.err());
  }

  @Test
  void listSecretRulesNeedsNoImage() throws IOException {
    Run table = caulk(false, "audit", "--list-secret-rules");
    assertEquals(0, table.code(), table.err());
    List<String> lines = table.out().lines().toList();
    assertTrue(lines.size() > 250, "built-in rules and categories: " + lines.size());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("github-pat +CRITICAL +GitHub .*")), table.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("dotenv-file +HIGH +Environment file \\(\\.env\\)")),
        table.out());
    assertFalse(table.out().contains("acme-api-key"));

    Run json =
        caulk(
            false,
            "audit",
            "--list-secret-rules",
            "-f",
            "json",
            "--secret-config",
            config("list.yaml", RULE + "disable: [jwt]\n").toString());
    assertEquals(0, json.code(), json.err());
    List<String> ids = new ArrayList<>();
    String acme = null;
    for (JsonNode n : JSON.readTree(json.out()).path("rules")) {
      ids.add(n.path("id").asText());
      if (n.path("id").asText().equals("acme-api-key")) {
        acme =
            n.path("severity").asText()
                + " "
                + n.path("title").asText()
                + " "
                + n.path("kind").asText();
      }
    }
    assertEquals("CRITICAL ACME API key content", acme);
    assertTrue(ids.contains("github-pat") && ids.contains("ssh-private-key-file"), ids.toString());
    assertFalse(ids.contains("jwt"), "a disabled rule is not listed");

    assertEquals(2, caulk(false, "audit", "--list-secret-rules", layout).code());
    assertEquals(2, caulk(false, "audit", "--list-secret-rules", "-f", "sarif").code());
  }
}
