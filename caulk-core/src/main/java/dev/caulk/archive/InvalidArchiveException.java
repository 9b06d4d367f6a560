package dev.caulk.archive;

import java.io.IOException;

/**
 * A file that is not a usable image archive: not a tar, a truncated or hostile tar (path escapes,
 * links out of the archive, duplicate names), a bad {@code manifest.json}, an entry it names that
 * is missing, or a reference it does not hold.
 */
public final class InvalidArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message one line naming the archive and what is wrong
   */
  public InvalidArchiveException(String message) {
    super(message);
  }
}
