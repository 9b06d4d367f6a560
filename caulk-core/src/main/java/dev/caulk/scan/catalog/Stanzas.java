package dev.caulk.scan.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The deb822 control format (deb822(5)) used by the dpkg status database: stanzas separated by
 * blank lines, {@code Field: value} lines, continuation lines starting with a space or tab.
 * Field names are case-insensitive (stored lower case); a repeated field keeps its first value.
 */
final class Stanzas {
  private Stanzas() {}

  /** One stanza: fields by lower-case name, and the 1-based line it started on. */
  record Stanza(Map<String, String> fields, long line) {
    String get(String field) {
      return fields.get(field);
    }
  }

  /**
   * Reads every stanza, keeping only the named fields (lower case) to bound memory; lines that
   * are neither fields nor continuations are ignored.
   */
  static List<Stanza> read(LineReader lines, Set<String> keep) throws IOException {
    return read(lines, keep, Integer.MAX_VALUE, "");
  }

  /**
   * {@link #read(LineReader, Set)} with at most {@code max} stanzas: one more fails with a {@link CatalogException}
   * naming {@code budget}, before it is kept, so a database of a million records costs no more memory than the budget.
   */
  static List<Stanza> read(LineReader lines, Set<String> keep, int max, String budget) throws IOException {
    List<Stanza> out = new ArrayList<>() {
      @Override
      public boolean add(Stanza s) {
        if (size() >= max) throw new UncheckedIOException(new CatalogException(budget));
        return super.add(s);
      }
    };
    try {
      return read(lines, keep, out);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static List<Stanza> read(LineReader lines, Set<String> keep, List<Stanza> out) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    StringBuilder value = null;
    String field = null;
    long start = 0;
    for (String line; (line = lines.next()) != null; ) {
      if (line.isBlank()) {
        if (field != null && keep.contains(field)) fields.putIfAbsent(field, value.toString());
        if (!fields.isEmpty()) out.add(new Stanza(fields, start));
        fields = new LinkedHashMap<>();
        field = null;
        value = null;
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (value != null && keep.contains(field)) value.append('\n').append(line.substring(1));
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      if (field != null && keep.contains(field)) fields.putIfAbsent(field, value.toString());
      if (fields.isEmpty() && field == null) start = lines.lineNumber();
      field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      value = new StringBuilder(line.substring(colon + 1).strip());
    }
    if (field != null && keep.contains(field)) fields.putIfAbsent(field, value.toString());
    if (!fields.isEmpty()) out.add(new Stanza(fields, start));
    return out;
  }
}
