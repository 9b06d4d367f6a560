package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeverityTest {

  @Test
  void orderedFromUnknownToCritical() {
    assertEquals(
        List.of(
            Severity.UNKNOWN,
            Severity.INFO,
            Severity.LOW,
            Severity.MEDIUM,
            Severity.HIGH,
            Severity.CRITICAL),
        Arrays.asList(Severity.values()));
    assertTrue(Severity.CRITICAL.atLeast(Severity.HIGH));
    assertTrue(Severity.HIGH.atLeast(Severity.HIGH));
    assertFalse(Severity.MEDIUM.atLeast(Severity.HIGH));
    assertTrue(Severity.UNKNOWN.atLeast(Severity.UNKNOWN));
  }

  @Test
  void parsesCaseInsensitivelyWithBlanks() {
    assertEquals(Severity.CRITICAL, Severity.parse("critical"));
    assertEquals(Severity.HIGH, Severity.parse(" High "));
    assertEquals(Severity.INFO, Severity.parse("INFO"));
    assertEquals(Severity.UNKNOWN, Severity.parse("unknown"));
  }

  @Test
  void acceptsDocklesLevels() {
    assertEquals(Severity.HIGH, Severity.parse("FATAL"));
    assertEquals(Severity.MEDIUM, Severity.parse("warn"));
    assertEquals(Severity.MEDIUM, Severity.parse("Warning"));
    assertEquals(Severity.INFO, Severity.parse("info"));
  }

  @Test
  void rejectsOutcomesAndNonsenseWithAHelpfulMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Severity.parse("pass"));
    assertTrue(e.getMessage().contains("'pass'"), e.getMessage());
    assertTrue(e.getMessage().contains("critical"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Severity.parse("skip"));
    assertThrows(IllegalArgumentException.class, () -> Severity.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Severity.parse(null));
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> Severity.parse("x\u001b[2J" + "y".repeat(100)))
            .getMessage();
    assertFalse(msg.contains("\u001b"), "control characters are not echoed");
    assertTrue(msg.length() < 200, msg);
  }
}
