package dev.caulk.scan.db;

import java.io.IOException;

/**
 * A problem with the vulnerability store or an import source: unsafe or oversized input, a corrupt
 * store file, or a concurrent import. The message is one line naming the file or entry, for example
 * {@code "all.zip: entry '../x.json': unsafe path"}.
 */
public final class VulnDbException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public VulnDbException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and its cause. */
  public VulnDbException(String message, Throwable cause) {
    super(message, cause);
  }
}
