package dev.caulk.scan.version;

import static dev.caulk.scan.version.Orders.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemverSchemeTest {
  private final VersionScheme go = VersionScheme.goModule();

  /** Every Go vector of scan.md §2.3, with golang.org/x/mod/semver semantics. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1.0.0-alpha < v1.0.0-alpha.1 < v1.0.0-alpha.beta < v1.0.0-beta < v1.0.0-beta.2 < v1.0.0-beta.11"
            + " < v1.0.0-rc.1 < v1.0.0",
        "v1.2 = v1.2.0",
        "v1 = v1.0.0",
        "v1.9.0 < v1.10.0",
        "v2.0.0+incompatible = v2.0.0",
        "v2.1.0+incompatible > v2.0.9",
        "v0.0.0-20191109021931-daa7c04131f5 < v0.0.0",
        "v0.0.0-20191109021931-daa7c04131f5 < v0.0.0-20200101000000-aaaaaaaaaaaa",
        "v1.2.3 < v1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4-alpha < v1.2.4",
        "v1.2.3-pre < v1.2.3-pre.0.20191109021931-daa7c04131f5 < v1.2.3-pre.1",
        "v1.2.4-0.20191109021931-daa7c04131f5+incompatible = v1.2.4-0.20191109021931-daa7c04131f5",
        "v1.21.0-rc.2 < v1.21.0",
        "1.2.3 < v0.0.1",
        "v01.2.3 < v1.2.3",
        "1.2.3 = v01.2.3",
        "v1.0.0+build.1 = v1.0.0+build.2",
        "v18446744073709551616.0.0 > v18446744073709551615.99.99",
      })
  void goVectors(String line) {
    chain(go, line);
  }

  @Test
  void goValidity() {
    for (String ok :
        List.of(
            "v1",
            "v1.2",
            "v1.2.3",
            "v1.2.3-pre",
            "v1.2.3+meta",
            "v0.0.0-20191109021931-daa7c04131f5",
            "v2.0.0+incompatible",
            "v1.2.3-0.a-b.c")) {
      assertTrue(go.isValid(ok), ok);
    }
    for (String bad :
        List.of(
            "1.2.3",
            "v01.2.3",
            "v1.02.3",
            "v1.2.3-01",
            "v1.2-pre",
            "v1.2+meta",
            "v1.2.3-",
            "v1.2.3+",
            "v1.2.3-a..b",
            "v1.2.3.4",
            "v",
            "",
            "v1.2.3-é",
            "V1.2.3")) {
      assertFalse(go.isValid(bad), bad);
    }
  }

  @Test
  void goForOsvAcceptsVersionsWithoutV() {
    VersionScheme osvGo = VersionScheme.go();
    assertTrue(osvGo.isValid("1.2.3"));
    assertTrue(osvGo.isValid("v1.2.3"));
    assertEquals(0, osvGo.compare("1.2.3", "v1.2.3"));
    chain(
        osvGo,
        "0.0.0-20191109021931-daa7c04131f5 < v0.0.0 < 1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4");
  }

  @Test
  void semver2Precedence() {
    VersionScheme semver = VersionScheme.semver();
    // SemVer 2.0.0 §11 example chain.
    chain(
        semver,
        "1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11"
            + " < 1.0.0-rc.1 < 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1");
    chain(semver, "1.0.0+20130313144700 = 1.0.0");
    chain(semver, "v1.0.0 = 1.0.0");
    assertTrue(semver.isValid("1.0.0-x.7.z.92"));
    assertFalse(semver.isValid("1.0"), "SemVer 2.0.0 needs three numbers");
    assertFalse(semver.isValid("1.0.0-01"));
    chain(semver, "garbage < 0.0.0");
  }

  @Test
  void comparatorLaws() {
    Orders.laws(
        go,
        List.of(
            "v1",
            "v1.0.0",
            "v1.0.0-rc.1",
            "v1.0.0-rc.a",
            "v1.0.0-1",
            "v0.0.0-2019-abc",
            "1.0.0",
            "x",
            "v1.2.3+incompatible",
            "v1.2.3",
            "v1.10.0",
            "v1.9.9",
            "v1.0.0-alpha.1.2",
            "v1.0.0-alpha.1"));
  }
}
