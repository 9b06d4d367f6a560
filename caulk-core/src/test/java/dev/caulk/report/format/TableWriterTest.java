package dev.caulk.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.report.Report;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableWriterTest {

  @Test
  void alignedRowsWorstFirstWithSummary() throws IOException {
    String out = Fixtures.render(ReportWriters.table(false), Fixtures.report());
    List<String> lines = out.lines().toList();
    assertEquals("digest: " + Fixtures.DIGEST, lines.get(0));
    assertEquals("image: registry.example:5000/team/app:1.4", lines.get(1));
    assertEquals("", lines.get(2));
    assertEquals("Inventory:", lines.get(3));
    assertEquals("  packages: 2", lines.get(4));
    assertEquals("", lines.get(5));
    String header = lines.get(6);
    assertTrue(header.startsWith("SEVERITY  ID"), header);
    List<String> rows = lines.subList(7, 11);
    assertTrue(rows.get(0).startsWith("CRITICAL  aws-access-key-id"), rows.get(0));
    assertTrue(rows.get(1).startsWith("HIGH      CIS-DI-0001"), rows.get(1));
    assertTrue(rows.get(2).startsWith("LOW       CIS-DI-0008"), rows.get(2));
    assertTrue(rows.get(3).startsWith("INFO      DKL-LI-0003"), rows.get(3));
    // columns line up: PATH and TITLE start at the same offset in the header and in every row
    int pathCol = header.indexOf("PATH");
    int titleCol = header.indexOf("TITLE");
    assertEquals(pathCol, rows.get(0).indexOf("/app/config/prod env.yml"));
    assertEquals(pathCol, rows.get(1).indexOf("-  "), rows.get(1));
    assertEquals(titleCol, rows.get(2).indexOf("setuid file"));
    assertEquals(titleCol, rows.get(1).indexOf("Image runs as root"));
    assertEquals("", lines.get(11));
    assertEquals("4 findings: 1 critical, 1 high, 1 low, 1 info", lines.get(12));
    assertEquals(13, lines.size());
  }

  @Test
  void noColourUnlessAskedAndControlCharactersEscaped() throws IOException {
    String plain = Fixtures.render(ReportWriters.table(false), Fixtures.report());
    assertFalse(
        plain.contains("\u001b"), "no escape bytes at all without colour, even from hostile paths");
    assertFalse(plain.contains("\u0085"));
    assertFalse(plain.contains("\u202e"));
    assertTrue(plain.contains("/tmp/evil\\u001b[2J\\nname\\u0085\\u202e.txt"), plain);

    String coloured = Fixtures.render(ReportWriters.table(true), Fixtures.report());
    assertTrue(coloured.contains("\u001b[1;31mCRITICAL\u001b[0m"), coloured);
    assertTrue(coloured.contains("\u001b[31mHIGH\u001b[0m"));
    // still aligned: stripping the colour codes gives the plain output
    assertEquals(plain, coloured.replaceAll("\u001b\\[[0-9;]*m", ""));
  }

  @Test
  void inventoryTablesListsAndSizesForPeople() throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper m =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode inv = m.createObjectNode();
    inv.putObject("topLevel").putObject("/usr").put("files", 12).put("bytes", 2_500_000);
    inv.withObject("/topLevel").putObject("/etc").put("files", 3).put("bytes", 900);
    com.fasterxml.jackson.databind.node.ArrayNode list = inv.putArray("setuid");
    for (int i = 0; i < InventoryText.MAX_ROWS + 5; i++) list.add("/usr/bin/x" + i);
    inv.putArray("shells");
    inv.putArray("packageManagers")
        .addObject()
        .put("name", "apt")
        .put("path", "/usr/bin/apt\u001b[2J");
    com.fasterxml.jackson.databind.node.ObjectNode layer =
        inv.putArray("layers").addObject().put("index", 0).put("size", 2000);
    layer.putArray("largestHidden").addObject().put("path", "/x");
    inv.put("treeBytes", 203_800_000L);
    inv.putObject("accounts").put("groups", 4);
    String out =
        Fixtures.render(
            ReportWriters.table(false), Report.of(Map.of(), List.of()).withInventory(inv));
    List<String> lines = out.lines().toList();
    assertEquals("Inventory:", lines.get(0));
    assertEquals("  topLevel:", lines.get(1));
    assertEquals("          FILES   BYTES", lines.get(2));
    assertEquals("    /usr     12  2.5 MB", lines.get(3));
    assertEquals("    /etc      3   900 B", lines.get(4));
    assertEquals("  setuid (25):", lines.get(5));
    assertEquals("    /usr/bin/x0", lines.get(6));
    assertEquals(
        "    … and 5 more (--format json lists all)", lines.get(6 + InventoryText.MAX_ROWS));
    assertTrue(out.contains("  shells: none\n"), out);
    assertTrue(out.contains("    NAME  PATH\n    apt   /usr/bin/apt\\u001b[2J\n"), out);
    assertTrue(out.contains("  treeBytes: 204 MB\n"), out);
    assertTrue(out.contains("  layers (1):\n    INDEX    SIZE\n    0      2.0 kB\n"), out);
    assertFalse(out.contains("largestHidden"), "nested lists stay in the JSON format");
    assertTrue(out.contains("  accounts:\n    groups: 4\n"), out);
    assertTrue(out.endsWith("\nNo findings.\n"), out);
  }

  @Test
  void emptyReport() throws IOException {
    assertEquals(
        "No findings.\n",
        Fixtures.render(ReportWriters.table(false), Report.of(Map.of(), List.of())));
  }
}
