package dev.caulk.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;

class ReportWritersTest {

  @Test
  void looksUpEveryFormatByName() {
    for (String name : ReportWriters.FORMATS) {
      assertEquals(name, ReportWriters.forFormat(name.toUpperCase(), "1", false).format());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ReportWriters.forFormat("xml", "1", false));
    assertTrue(e.getMessage().contains("table, json, sarif, junit"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ReportWriters.forFormat(null, "1", false));
  }

  @Test
  void writersFlushButNeverClose() throws IOException {
    for (String name : ReportWriters.FORMATS) {
      boolean[] closed = {false};
      boolean[] flushed = {false};
      StringWriter sink = new StringWriter();
      Writer w =
          new Writer() {
            @Override
            public void write(char[] b, int off, int len) {
              sink.write(b, off, len);
            }

            @Override
            public void flush() {
              flushed[0] = true;
            }

            @Override
            public void close() {
              closed[0] = true;
            }
          };
      ReportWriters.forFormat(name, "1", false).write(Fixtures.report(), w);
      assertFalse(closed[0], name + " closed the writer");
      assertTrue(flushed[0], name + " did not flush");
      assertFalse(sink.toString().isEmpty());
    }
  }
}
