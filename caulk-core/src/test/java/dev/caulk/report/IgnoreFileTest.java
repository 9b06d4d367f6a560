package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreFileTest {

  @Test
  void parsesEveryFormOfLine() throws IOException {
    String text =
        "\uFEFF# accepted risks\r\n"
            + "\r\n"
            + "CIS-DI-0006   # orchestrator probes it\r\n"
            + "  CIS-DI-0008 /usr/bin/passwd\n"
            + "generic-secret /opt/app/testdata/** exp:2026-06-30 # fixtures\n"
            + "aws-access-key-id exp:2026-01-31 /srv/**\n"
            + "* /usr/share/doc/**\n";
    List<Ignore> ignores = IgnoreFile.parse(text, ".caulkignore");
    assertEquals(5, ignores.size());

    Ignore first = ignores.get(0);
    assertEquals("CIS-DI-0006", first.id());
    assertNull(first.pathGlob());
    assertNull(first.expires());
    assertEquals("orchestrator probes it", first.reason());
    assertEquals(".caulkignore:3", first.origin());

    assertEquals("/usr/bin/passwd", ignores.get(1).pathGlob());
    assertEquals(".caulkignore:4", ignores.get(1).origin());

    Ignore third = ignores.get(2);
    assertEquals("/opt/app/testdata/**", third.pathGlob());
    assertEquals(LocalDate.of(2026, 6, 30), third.expires());
    assertEquals("fixtures", third.reason());

    assertEquals("/srv/**", ignores.get(3).pathGlob());
    assertEquals(LocalDate.of(2026, 1, 31), ignores.get(3).expires());
    assertEquals("*", ignores.get(4).id());
    assertEquals("generic-secret /opt/app/testdata/** exp:2026-06-30", third.toString());
  }

  @Test
  void emptyAndCommentOnlyFilesGiveNoIgnores() throws IOException {
    assertEquals(List.of(), IgnoreFile.parse("", "f"));
    assertEquals(List.of(), IgnoreFile.parse("# nothing\n   \n\t# still nothing", "f"));
  }

  @Test
  void badLinesReportFileAndLineNumber() {
    assertBad("CIS-DI-0001\nCIS-DI-0002 exp:2026-13-01\n", 2, "bad expiry date 'exp:2026-13-01'");
    assertBad("a exp:2026-02-30", 1, "expected exp:YYYY-MM-DD");
    assertBad("a exp:26-1-1", 1, "bad expiry date");
    assertBad("\n\na etc/passwd\n", 3, "unexpected 'etc/passwd'");
    assertBad("a /x /y", 1, "more than one path glob");
    assertBad("a exp:2026-01-01 exp:2026-02-01", 1, "more than one exp:");
    assertBad("bad!id", 1, "bad rule id 'bad!id'");
    assertBad("ok\n\n\n\nx\u0000y", 5, "NUL byte");
    assertBad("a " + "/x".repeat(IgnoreFile.MAX_LINE_LENGTH), 1, "line longer than");
  }

  @Test
  void tooManyLinesIsAnError() {
    String text = "# c\n".repeat(IgnoreFile.MAX_LINES + 1);
    IgnoreFileException e =
        assertThrows(IgnoreFileException.class, () -> IgnoreFile.parse(text, "big"));
    assertEquals(IgnoreFile.MAX_LINES + 1, e.line());
  }

  @Test
  void messagesDoNotEchoLongOrControlTokens() {
    IgnoreFileException e =
        assertThrows(
            IgnoreFileException.class,
            () -> IgnoreFile.parse("a token\u001b[31m" + "z".repeat(200), "f"));
    assertFalse(e.getMessage().contains("\u001b"));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }

  @Test
  void readerVariantWorks() throws IOException {
    assertEquals(1, IgnoreFile.parse(new StringReader("x"), "r").size());
  }

  @Test
  void ignoreParseForTheCommandLine() {
    Ignore i = Ignore.parse("CIS-DI-0008 /usr/bin/* exp:2030-01-01", "--ignore");
    assertEquals("/usr/bin/*", i.pathGlob());
    assertEquals("--ignore", i.origin());
    assertThrows(IllegalArgumentException.class, () -> Ignore.parse("   ", "--ignore"));
    assertThrows(
        IllegalArgumentException.class, () -> new Ignore("a", "relative", null, null, null));
    assertEquals("--ignore", new Ignore("a", null, null, null, null).origin());
  }

  private static void assertBad(String text, int line, String fragment) {
    IgnoreFileException e =
        assertThrows(IgnoreFileException.class, () -> IgnoreFile.parse(text, ".caulkignore"));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(".caulkignore", e.source());
    assertTrue(e.getMessage().startsWith(".caulkignore:" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
