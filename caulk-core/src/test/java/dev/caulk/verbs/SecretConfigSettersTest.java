package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.audit.secrets.SecretDetector;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.location.ImageLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret-rule setters {@link Audit}, {@link Inspect} and {@link Rewrite} share ({@link
 * SecretConfigSetters}) choose alike: a named file first, else {@code .caulk/secrets.yaml} under
 * the search directory, else the built-in rules; a bad file is a usage error naming its line. No
 * image is read: the rules are loaded when the options are built.
 */
class SecretConfigSettersTest {
  static final String RULE =
      "rules:\n  - id: acme-api-key\n    regex: 'acme_[a-z0-9]{32}'\n    keywords: [acme_]\n";
  static final ImageLocation IMAGE = new ImageLocation.OciLayout(Path.of("/nonexistent"), "x");

  /** Builds a verb's options with the two setters and returns the rule book they made. */
  record Verb(String name, Function<Setters, SecretRuleBook> build) {}

  /** The two setter calls, either of them possibly left out (null). */
  record Setters(Path file, Path searchIn) {
    <B extends SecretConfigSetters<B>> B apply(B b) {
      if (file != null) {
        b.secretConfig(file);
      }
      if (searchIn != null) {
        b.searchSecretConfigIn(searchIn);
      }
      return b;
    }
  }

  static final List<Verb> VERBS =
      List.of(
          new Verb("audit", s -> s.apply(Audit.options().location(IMAGE)).build().secretRules()),
          new Verb(
              "inspect", s -> s.apply(Inspect.options().location(IMAGE)).build().secretRules()),
          new Verb(
              "rewrite",
              s ->
                  s.apply(
                          Rewrite.options()
                              .mode(Rewrite.Mode.HARDEN)
                              .source(IMAGE)
                              .destination(new ImageLocation.OciLayout(Path.of("/out"), "y")))
                      .build()
                      .secretRules()));

  static boolean hasRule(SecretRuleBook book, String id) {
    return book.rules().stream().map(SecretDetector::id).anyMatch(id::equals);
  }

  @Test
  void aNamedFileComesFirstThenTheProjectFileThenTheBuiltInRules(@TempDir Path tmp)
      throws Exception {
    Path named = Files.writeString(tmp.resolve("named.yaml"), RULE);
    Path project = Files.createDirectories(tmp.resolve("project/.caulk")).getParent();
    Files.writeString(project.resolve(".caulk/secrets.yaml"), RULE + "disable: [jwt]\n");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    for (Verb v : VERBS) {
      SecretRuleBook builtIn = v.build().apply(new Setters(null, null));
      assertFalse(hasRule(builtIn, "acme-api-key"), v.name());
      assertTrue(hasRule(builtIn, "jwt"), v.name());

      SecretRuleBook fromNamed = v.build().apply(new Setters(named, project));
      assertTrue(hasRule(fromNamed, "acme-api-key"), v.name());
      assertTrue(hasRule(fromNamed, "jwt"), v.name() + ": the named file wins over the project's");

      SecretRuleBook fromProject = v.build().apply(new Setters(null, project));
      assertTrue(hasRule(fromProject, "acme-api-key"), v.name());
      assertFalse(hasRule(fromProject, "jwt"), v.name() + ": the project's file was read");

      SecretRuleBook none = v.build().apply(new Setters(null, empty));
      assertFalse(hasRule(none, "acme-api-key"), v.name() + ": no file there, built-in rules");
    }
    Audit.Options o = Audit.options().location(IMAGE).searchSecretConfigIn(project).build();
    assertEquals(project.resolve(".caulk/secrets.yaml"), o.secretConfig(), "the file it used");
    assertNull(Audit.options().location(IMAGE).searchSecretConfigIn(empty).build().secretConfig());
  }

  @Test
  void aBadOrMissingFileIsAUsageErrorOnOneLine(@TempDir Path tmp) throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.yaml"), "rules: 3\n");
    Path missing = tmp.resolve("missing.yaml");
    for (Verb v : VERBS) {
      for (Path p : List.of(bad, missing)) {
        InvalidOptionsException e =
            assertThrows(InvalidOptionsException.class, () -> v.build().apply(new Setters(p, tmp)));
        assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      }
    }
  }
}
