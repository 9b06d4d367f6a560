package dev.caulk.sign;

import java.io.IOException;

/**
 * A key, signature or attestation that cannot be used: one line naming the file or image and the
 * reason, never a password and never a stack trace worth showing.
 */
public class SignException extends IOException {
  private static final long serialVersionUID = 1L;

  public SignException(String message) {
    super(message);
  }
}
