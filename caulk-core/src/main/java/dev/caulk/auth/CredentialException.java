package dev.caulk.auth;

import java.io.IOException;

/**
 * A credential source that is configured but failed: an unreadable config file, a credential helper
 * that is missing, timed out or exited with an error. The message names the source, never a secret.
 */
public final class CredentialException extends IOException {
  private static final long serialVersionUID = 1L;

  public CredentialException(String message) {
    super(message);
  }
}
