package dev.caulk.report;

import java.io.IOException;

/**
 * A line of an ignore file could not be understood. The message has the form {@code .caulkignore:7:
 * bad expiry date 'exp:2026-13-01': expected exp:YYYY-MM-DD}, so a user can jump to it.
 */
public final class IgnoreFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;

  /** Creates the exception for {@code source} at 1-based {@code line}. */
  public IgnoreFileException(String source, int line, String problem) {
    super(source + ":" + line + ": " + problem);
    this.source = source;
    this.line = line;
  }

  /** The file name as given to the parser. */
  public String source() {
    return source;
  }

  /** The 1-based line number of the bad line. */
  public int line() {
    return line;
  }
}
