package dev.caulk.report.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a report's inventory ({@code Contents.forPeople()}, a JSON tree) for people, without
 * knowing its schema:
 *
 * <ul>
 *   <li>a scalar is {@code key: value}; numbers whose key says bytes ({@code bytes}, {@code
 *       …Bytes}, {@code size}) are shown in decimal units ({@code 203.8 MB});
 *   <li>an object whose members are all objects ({@code "topLevel": {"/usr": {"files", "bytes"}}})
 *       and an array of objects are aligned tables of their scalar members (nested lists stay in
 *       the JSON format);
 *   <li>an array of scalars is a list, one item per line;
 *   <li>long lists and tables stop after {@value #MAX_ROWS} rows with a count of the rest (the JSON
 *       format has them all); cells are cut at {@value #MAX_CELL} characters;
 *   <li>any other object is a heading with its members indented below.
 * </ul>
 *
 * Every string goes through {@link Texts#oneLine}, so file names cannot drive the terminal.
 */
final class InventoryText {
  static final int MAX_ROWS = 20;
  static final int MAX_CELL = 80;

  private InventoryText() {}

  static void render(JsonNode inventory, StringBuilder sb) {
    if (inventory.isObject()) {
      members(inventory, 1, sb);
    } else {
      sb.append("  ").append(scalar("", inventory)).append('\n');
    }
  }

  private static void members(JsonNode object, int depth, StringBuilder sb) {
    String indent = "  ".repeat(depth);
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = Texts.oneLine(e.getKey());
      JsonNode v = e.getValue();
      if (v.isValueNode() || v.isNull()) {
        sb.append(indent).append(key).append(": ").append(scalar(e.getKey(), v)).append('\n');
      } else if (v.isArray() && v.isEmpty() || v.isObject() && v.isEmpty()) {
        sb.append(indent).append(key).append(": none\n");
      } else if (v.isArray() && allScalars(v)) {
        sb.append(indent).append(key).append(" (").append(v.size()).append("):\n");
        int shown = 0;
        for (JsonNode item : v) {
          if (shown++ == MAX_ROWS) break;
          sb.append(indent).append("  ").append(cell(scalar(e.getKey(), item))).append('\n');
        }
        more(v.size(), indent, sb);
      } else if (v.isArray() && allObjects(v)) {
        sb.append(indent).append(key).append(" (").append(v.size()).append("):\n");
        List<String> cols = columns(v);
        List<String[]> rows = new ArrayList<>();
        rows.add(
            cols.stream()
                .map(c -> Texts.oneLine(c).toUpperCase(Locale.ROOT))
                .toArray(String[]::new));
        for (JsonNode item : v) {
          if (rows.size() > MAX_ROWS) break;
          rows.add(cols.stream().map(c -> cell(scalar(c, item.path(c)))).toArray(String[]::new));
        }
        table(rows, indent + "  ", sb);
        more(v.size(), indent, sb);
      } else if (v.isObject() && allObjects(v)) {
        sb.append(indent).append(key).append(":\n");
        List<String> cols = columns(v);
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of(""));
        cols.forEach(c -> head.add(Texts.oneLine(c).toUpperCase(Locale.ROOT)));
        rows.add(head.toArray(String[]::new));
        for (Iterator<Map.Entry<String, JsonNode>> rs = v.fields();
            rs.hasNext() && rows.size() <= MAX_ROWS; ) {
          Map.Entry<String, JsonNode> r = rs.next();
          List<String> row = new ArrayList<>(List.of(cell(Texts.oneLine(r.getKey()))));
          cols.forEach(c -> row.add(cell(scalar(c, r.getValue().path(c)))));
          rows.add(row.toArray(String[]::new));
        }
        table(rows, indent + "  ", sb);
        more(v.size(), indent, sb);
      } else if (v.isObject()) {
        sb.append(indent).append(key).append(":\n");
        members(v, depth + 1, sb);
      } else {
        sb.append(indent)
            .append(key)
            .append(": ")
            .append(cell(Texts.oneLine(v.toString())))
            .append('\n');
      }
    }
  }

  private static void more(int size, String indent, StringBuilder sb) {
    if (size > MAX_ROWS) {
      sb.append(indent)
          .append("  … and ")
          .append(size - MAX_ROWS)
          .append(" more (--format json lists all)\n");
    }
  }

  private static void table(List<String[]> rows, String indent, StringBuilder sb) {
    int n = rows.get(0).length;
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    java.util.Arrays.fill(numeric, true);
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < n; c++) {
        String cell = rows.get(r)[c];
        width[c] = Math.max(width[c], cell.codePointCount(0, cell.length()));
        if (r > 0 && !cell.isEmpty() && !Character.isDigit(cell.charAt(0))) numeric[c] = false;
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int c = 0; c < n; c++) {
        String cell = row[c];
        int pad = width[c] - cell.codePointCount(0, cell.length());
        if (numeric[c] && c > 0) line.append(" ".repeat(pad)).append(cell);
        else line.append(cell).append(c < n - 1 ? " ".repeat(pad) : "");
        if (c < n - 1) line.append("  ");
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /**
   * The members that hold scalars in some item; nested arrays and objects stay in the JSON format
   * only.
   */
  private static List<String> columns(JsonNode container) {
    Set<String> cols = new LinkedHashSet<>();
    for (JsonNode item : container) {
      item.fields()
          .forEachRemaining(
              f -> {
                if (f.getValue().isValueNode() || f.getValue().isNull()) cols.add(f.getKey());
              });
    }
    return new ArrayList<>(cols);
  }

  private static boolean allScalars(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isValueNode() && !n.isNull()) return false;
    }
    return true;
  }

  private static boolean allObjects(JsonNode container) {
    for (JsonNode n : container) {
      if (!n.isObject()) return false;
    }
    return true;
  }

  private static String scalar(String key, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) return "-";
    if (v.isIntegralNumber() && bytesKey(key)) return human(v.asLong());
    return Texts.oneLine(v.asText());
  }

  private static boolean bytesKey(String key) {
    return key.equals("bytes") || key.endsWith("Bytes") || key.equals("size");
  }

  private static String cell(String s) {
    return s.codePointCount(0, s.length()) > MAX_CELL
        ? s.substring(0, s.offsetByCodePoints(0, MAX_CELL - 1)) + "…"
        : s;
  }

  static String human(long bytes) {
    return dev.caulk.report.Bytes.human(bytes);
  }
}
