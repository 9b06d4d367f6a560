package dev.caulk.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser for {@value #NAME}: one {@link Ignore} per line in the form {@code ID [PATH-GLOB]
 * [pkg:NAME] [exp:YYYY-MM-DD] [# reason]}; blank lines and lines starting with {@code #} are
 * skipped.
 *
 * <pre>
 * # accepted risks for the payments image
 * CIS-DI-0006                                  # no HEALTHCHECK: the orchestrator probes it
 * CIS-DI-0008 /usr/bin/passwd
 * generic-secret /opt/app/testdata/** exp:2026-06-30  # fixtures, see TICKET-42
 * </pre>
 *
 * <p>The file is untrusted input (it may come from the repository under test), so reading is
 * bounded: at most {@value #MAX_LINES} lines of at most {@value #MAX_LINE_LENGTH} characters. This
 * class reads from a {@link Reader}; opening the file is the caller's job, since {@code report}
 * never touches the file system.
 */
public final class IgnoreFile {
  /** The conventional file name, looked up in the working directory by the CLI. */
  public static final String NAME = ".caulkignore";

  /** Most lines accepted in one file. */
  public static final int MAX_LINES = 10_000;

  /** Longest line accepted, in characters. */
  public static final int MAX_LINE_LENGTH = 4096;

  private IgnoreFile() {}

  /**
   * Parses an ignore file.
   *
   * @param in the content; not closed
   * @param source the name to use in messages and in {@link Ignore#origin()}, such as {@code
   *     .caulkignore}
   * @throws IgnoreFileException for the first bad line, with its 1-based number
   * @throws IOException if reading fails
   */
  public static List<Ignore> parse(Reader in, String source) throws IOException {
    BufferedReader reader =
        in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
    List<Ignore> ignores = new ArrayList<>();
    int number = 0;
    String line;
    while ((line = readBoundedLine(reader, source, number + 1)) != null) {
      number++;
      if (number > MAX_LINES) {
        throw new IgnoreFileException(source, number, "too many lines (limit " + MAX_LINES + ")");
      }
      if (number == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      try {
        ignores.add(Ignore.parse(stripped, source + ":" + number));
      } catch (IllegalArgumentException e) {
        throw new IgnoreFileException(source, number, e.getMessage());
      }
    }
    return List.copyOf(ignores);
  }

  /** {@link #parse(Reader, String)} over a string. */
  public static List<Ignore> parse(String content, String source) throws IgnoreFileException {
    try {
      return parse(new StringReader(content), source);
    } catch (IgnoreFileException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
  }

  /**
   * Reads one line of at most MAX_LINE_LENGTH characters, without buffering an unbounded line
   * first.
   */
  private static String readBoundedLine(BufferedReader reader, String source, int number)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    int c = reader.read();
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n') {
      if (c != '\r') {
        if (sb.length() >= MAX_LINE_LENGTH) {
          throw new IgnoreFileException(
              source, number, "line longer than " + MAX_LINE_LENGTH + " characters");
        }
        if (c == 0) {
          throw new IgnoreFileException(source, number, "NUL byte: not a text file");
        }
        sb.append((char) c);
      }
      c = reader.read();
    }
    return sb.toString();
  }
}
