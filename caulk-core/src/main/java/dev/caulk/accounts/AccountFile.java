package dev.caulk.accounts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One colon-separated account file ({@code /etc/passwd}, {@code /etc/group}, {@code /etc/shadow})
 * as its lines, kept verbatim, each with the entry it holds or none. Edits change only the lines
 * they touch, so a rewritten file keeps its comments, NIS lines and malformed lines, and an
 * unedited file is written back byte for byte.
 *
 * <p>Reading is linear in the input: one split on {@code \n}, one split of each line on {@code :},
 * no pattern. Callers bound the bytes they read (the files come from untrusted images).
 *
 * @param <E> the entry type
 */
public final class AccountFile<E> {
  private final boolean present;

  /** The bytes read, or null once the file is edited (or made). */
  private final byte[] original;

  private final List<String> lines;
  private final List<E> entries;

  /** The non-null entries, in file order. */
  private final List<E> found;

  private final Function<List<String>, E> parser;

  private AccountFile(
      boolean present,
      byte[] original,
      List<String> lines,
      List<E> entries,
      Function<List<String>, E> parser) {
    this.present = present;
    this.original = original;
    this.lines = lines;
    this.entries = entries;
    this.parser = parser;
    List<E> kept = new ArrayList<>();
    for (E e : entries) {
      if (e != null) {
        kept.add(e);
      }
    }
    this.found = Collections.unmodifiableList(kept);
  }

  /**
   * Reads a file; null means the image has none.
   *
   * @param parser makes an entry of a line's fields, or returns null when the line holds none
   */
  static <E> AccountFile<E> parse(byte[] content, Function<List<String>, E> parser) {
    List<String> lines = new ArrayList<>();
    List<E> entries = new ArrayList<>();
    if (content != null) {
      String text = new String(content, StandardCharsets.UTF_8);
      int start = 0;
      while (start < text.length()) {
        int nl = text.indexOf('\n', start);
        int end = nl < 0 ? text.length() : nl;
        String line = text.substring(start, end);
        lines.add(line);
        entries.add(entry(line, parser));
        start = end + 1;
      }
    }
    return new AccountFile<>(
        content != null, content == null ? null : content.clone(), lines, entries, parser);
  }

  private static <E> E entry(String line, Function<List<String>, E> parser) {
    String l = line.strip();
    // comments, blank lines and NIS compat lines (+name, -name) hold no entry
    if (l.isEmpty() || l.startsWith("#") || l.startsWith("+") || l.startsWith("-")) {
      return null;
    }
    return parser.apply(fields(l));
  }

  /** The fields of a line split at every colon, empty ones kept. */
  static List<String> fields(String line) {
    return split(line, ':');
  }

  /** {@code s} split at every {@code separator}, empty parts kept (linear: one scan). */
  static List<String> split(String s, char separator) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = s.indexOf(separator); i >= 0; i = s.indexOf(separator, start)) {
      out.add(s.substring(start, i));
      start = i + 1;
    }
    out.add(s.substring(start));
    return out;
  }

  /** Whether the image has this file. */
  public boolean present() {
    return present;
  }

  /** Whether the file has no line at all (absent or empty). */
  public boolean empty() {
    return lines.isEmpty();
  }

  /** The entries in file order. */
  public List<E> entries() {
    return found;
  }

  /** The file with {@code line} appended. */
  AccountFile<E> append(String line) {
    List<String> l = new ArrayList<>(lines);
    List<E> e = new ArrayList<>(entries);
    l.add(line);
    e.add(entry(line, parser));
    return new AccountFile<>(true, null, l, e, parser);
  }

  /** The file without the lines whose entry matches; the same file when none does. */
  AccountFile<E> remove(Predicate<E> which) {
    List<String> l = new ArrayList<>();
    List<E> e = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      E entry = entries.get(i);
      if (entry == null || !which.test(entry)) {
        l.add(lines.get(i));
        e.add(entry);
      }
    }
    return l.size() == lines.size() ? this : new AccountFile<>(true, null, l, e, parser);
  }

  /**
   * The file with field {@code index} set to {@code value} on the lines whose entry matches (the
   * other fields, extra ones included, kept as written); the same file when none does.
   */
  AccountFile<E> setField(Predicate<E> which, int index, String value) {
    List<String> l = new ArrayList<>(lines);
    List<E> e = new ArrayList<>(entries);
    boolean changed = false;
    for (int i = 0; i < lines.size(); i++) {
      E entry = entries.get(i);
      if (entry == null || !which.test(entry)) {
        continue;
      }
      String line = lines.get(i).strip();
      List<String> f = new ArrayList<>(fields(line));
      if (f.size() <= index || f.get(index).equals(value)) {
        continue;
      }
      f.set(index, value);
      String edited = String.join(":", f);
      l.set(i, edited);
      e.set(i, entry(edited, parser));
      changed = true;
    }
    return changed ? new AccountFile<>(true, null, l, e, parser) : this;
  }

  /**
   * The file's bytes: exactly the bytes read when nothing was edited, else every line followed by
   * {@code \n} (reproducible: the same edits of the same file give the same bytes).
   */
  public byte[] bytes() {
    if (original != null) {
      return original.clone();
    }
    if (!present) {
      return new byte[0];
    }
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      b.append(l).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the file was edited since it was read. */
  public boolean edited() {
    return present && original == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountFile<?> other
        && present == other.present
        && Arrays.equals(original, other.original)
        && lines.equals(other.lines);
  }

  @Override
  public int hashCode() {
    return Objects.hash(present, Arrays.hashCode(original), lines);
  }
}
