package dev.caulk.scan.osv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EcosystemTest {
  @Test
  void splitsAtTheFirstColon() {
    assertEquals(new Ecosystem("Debian", "12"), Ecosystem.parse("Debian:12"));
    assertEquals(new Ecosystem("Ubuntu", "Pro:18.04:LTS"), Ecosystem.parse("Ubuntu:Pro:18.04:LTS"));
    assertEquals(
        new Ecosystem("Maven", "https://repo.example.com"),
        Ecosystem.parse("Maven:https://repo.example.com"));
    assertEquals(new Ecosystem("Go", ""), Ecosystem.parse(" Go "));
    assertEquals("Alpine:v3.20", Ecosystem.parse("Alpine:v3.20").toString());
  }

  @Test
  void releasesMustAgreeWhenBothAreGiven() {
    assertTrue(m("Debian:12", "Debian:12"));
    assertTrue(m("Debian:12", "Debian:12.5"));
    assertFalse(m("Debian:11", "Debian:12"));
    assertTrue(m("Alpine:v3.20", "Alpine:3.20"));
    assertTrue(m("Alpine:v3.20", "Alpine:v3.20.3"));
    assertFalse(m("Alpine:v3.19", "Alpine:v3.20"));
    assertTrue(m("Ubuntu:22.04:LTS", "Ubuntu:22.04"));
    assertFalse(m("Ubuntu:Pro:22.04:LTS", "Ubuntu:22.04:LTS"));
    assertTrue(m("debian:sid", "Debian:SID"));
    assertFalse(m("Debian:12", "Ubuntu:12"));
  }

  @Test
  void aMissingReleaseMatchesEveryRelease() {
    assertTrue(m("Debian", "Debian:12"));
    assertTrue(m("Debian:12", "Debian"));
    assertTrue(m("Maven", "Maven:https://repo1.maven.org/maven2"));
  }

  private static boolean m(String a, String b) {
    return Ecosystem.parse(a).matches(Ecosystem.parse(b))
        && Ecosystem.parse(b).matches(Ecosystem.parse(a));
  }
}
