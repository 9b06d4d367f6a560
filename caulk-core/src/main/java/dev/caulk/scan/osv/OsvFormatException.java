package dev.caulk.scan.osv;

import java.io.IOException;

/**
 * An OSV record that is not valid JSON or lacks a field that matching depends on. The message names
 * the record (when its id could be read) and the offending field path, for example {@code "OSV
 * record GHSA-xxxx: affected[0].ranges[1]: missing 'type'"}.
 */
public final class OsvFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public OsvFormatException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the parser error behind it. */
  public OsvFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
