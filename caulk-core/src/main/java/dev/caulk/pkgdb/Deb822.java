package dev.caulk.pkgdb;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The deb822 control format (deb822(5)) used by the dpkg status database: stanzas separated by
 * blank lines, {@code Field: value} lines, continuation lines starting with a space or tab. Field
 * names are case-insensitive (stored lower case); a repeated field keeps its first value. Linear in
 * the input; only the fields asked for are kept, so memory is bounded by them.
 */
final class Deb822 {
  private Deb822() {}

  /**
   * One stanza: the kept fields by lower-case name, the 1-based line it started on, and its text as
   * written (its lines joined by {@code \n}, with a final {@code \n}) or null when the text was not
   * asked for.
   */
  record Stanza(Map<String, String> fields, long line, String text) {
    String get(String field) {
      return fields.get(field);
    }
  }

  /** Receives stanzas as they are read; it may stop the reading by throwing. */
  interface Sink {
    void accept(Stanza s) throws IOException;
  }

  /**
   * Reads every stanza, keeping only the named fields (lower case); lines that are neither fields
   * nor continuations are ignored (and kept in the text).
   */
  static void read(LineReader lines, Set<String> keep, boolean keepText, Sink sink)
      throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    StringBuilder text = keepText ? new StringBuilder() : null;
    StringBuilder value = null;
    String field = null;
    long start = 0;
    for (String line; (line = lines.next()) != null; ) {
      if (line.isBlank()) {
        if (field != null && keep.contains(field)) {
          fields.putIfAbsent(field, value.toString());
        }
        emit(fields, start, text, sink);
        fields = new LinkedHashMap<>();
        text = keepText ? new StringBuilder() : null;
        field = null;
        value = null;
        continue;
      }
      if (text != null) {
        text.append(line).append('\n');
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (value != null && keep.contains(field)) {
          value.append('\n').append(line.substring(1));
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      if (field != null && keep.contains(field)) {
        fields.putIfAbsent(field, value.toString());
      }
      if (fields.isEmpty() && field == null) {
        start = lines.lineNumber();
      }
      field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      value = new StringBuilder(keep.contains(field) ? line.substring(colon + 1).strip() : "");
    }
    if (field != null && keep.contains(field)) {
      fields.putIfAbsent(field, value.toString());
    }
    emit(fields, start, text, sink);
  }

  private static void emit(Map<String, String> fields, long start, StringBuilder text, Sink sink)
      throws IOException {
    if (!fields.isEmpty()) {
      sink.accept(new Stanza(fields, start, text == null ? null : text.toString()));
    }
  }
}
