package dev.caulk.scan.version;

import static dev.caulk.scan.version.Orders.chain;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Pep440SchemeTest {
  private final VersionScheme pep = VersionScheme.pep440();

  @ParameterizedTest
  @ValueSource(
      strings = {
        // PEP 440 "Summary of permitted suffixes and relative ordering" example.
        "1.dev0 < 1.0.dev456 < 1.0a1 < 1.0a2.dev456 < 1.0a12.dev456 < 1.0a12 < 1.0b1.dev456 < 1.0b2"
            + " < 1.0b2.post345.dev456 < 1.0b2.post345 < 1.0rc1.dev456 < 1.0rc1 < 1.0 < 1.0+abc.5 < 1.0+abc.7"
            + " < 1.0+5 < 1.0.post456.dev34 < 1.0.post456 < 1.0.15 < 1.1.dev1",
        "1.0 = 1.0.0",
        "1!0.1 > 2.0",
        "1.0-1 = 1.0.post1",
        "1.0RC1 = 1.0rc1",
        "1.0c1 = 1.0rc1",
        "1.0alpha1 = 1.0a1",
        "1.0.post = 1.0.post0",
        "v1.0 = 1.0",
        "1.0+abc.5 < 1.0+abc.10",
        "1.0+abc < 1.0+abc.0",
        "not-a-version < 0",
      })
  void vectors(String line) {
    chain(pep, line);
  }

  @Test
  void validity() {
    for (String ok :
        List.of("1", "1.0", "1!2.0", "1.0a1", "1.0.post1", "1.0.dev1", "1.0+local.1", "2012.10")) {
      assertTrue(pep.isValid(ok), ok);
    }
    for (String bad : List.of("", "a", "1.0-", "1.0+", "1.0+a..b", "1.0.x", "1.0 1")) {
      assertFalse(pep.isValid(bad), bad);
    }
  }

  @Test
  void comparatorLaws() {
    Orders.laws(
        pep,
        List.of(
            "1.0",
            "1.0.dev0",
            "1.0a1",
            "1.0.post1",
            "1.0+x",
            "1.0+1",
            "2",
            "1!0",
            "junk",
            "1.0rc1.dev1",
            "1.0.post1.dev1"));
  }
}
