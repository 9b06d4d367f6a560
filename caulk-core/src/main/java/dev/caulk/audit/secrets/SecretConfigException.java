package dev.caulk.audit.secrets;

import java.io.IOException;

/**
 * A secret configuration file that cannot be used; the one-line message names the file, line and
 * key.
 */
public final class SecretConfigException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error whose message is already {@code file:line: key: problem}. */
  public SecretConfigException(String message) {
    super(message);
  }
}
