package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeverityReadingsTest {
  @Test
  void cvssBands() {
    assertEquals(Severity.LOW, Severity.fromCvssScore(0.0));
    assertEquals(Severity.LOW, Severity.fromCvssScore(3.9));
    assertEquals(Severity.MEDIUM, Severity.fromCvssScore(4.0));
    assertEquals(Severity.MEDIUM, Severity.fromCvssScore(6.9));
    assertEquals(Severity.HIGH, Severity.fromCvssScore(7.0));
    assertEquals(Severity.HIGH, Severity.fromCvssScore(8.9));
    assertEquals(Severity.CRITICAL, Severity.fromCvssScore(9.0));
    assertEquals(Severity.CRITICAL, Severity.fromCvssScore(10.0));
    assertThrows(IllegalArgumentException.class, () -> Severity.fromCvssScore(10.1));
    assertThrows(IllegalArgumentException.class, () -> Severity.fromCvssScore(-0.1));
    assertThrows(IllegalArgumentException.class, () -> Severity.fromCvssScore(Double.NaN));
  }

  @Test
  void words() {
    assertEquals(Optional.of(Severity.MEDIUM), Severity.fromWord("MODERATE"));
    assertEquals(Optional.of(Severity.HIGH), Severity.fromWord(" Important "));
    assertEquals(Optional.of(Severity.LOW), Severity.fromWord("negligible"));
    assertEquals(Optional.of(Severity.LOW), Severity.fromWord("unimportant"));
    assertEquals(Optional.of(Severity.LOW), Severity.fromWord("low*"));
    assertEquals(Optional.of(Severity.CRITICAL), Severity.fromWord("critical"));
    assertEquals(Optional.empty(), Severity.fromWord("not yet assigned"));
    assertEquals(Optional.empty(), Severity.fromWord("end-of-life"));
    assertEquals(Optional.empty(), Severity.fromWord(null));
  }

  @Test
  void orderIsLowestFirst() {
    assertEquals(-1, Integer.signum(Severity.UNKNOWN.compareTo(Severity.LOW)));
    assertEquals(1, Integer.signum(Severity.CRITICAL.compareTo(Severity.HIGH)));
  }
}
