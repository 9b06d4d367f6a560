package dev.caulk.slim;

import java.io.IOException;

/**
 * Bad input for a harden or slim plan: an unknown user, a malformed glob, an image whose package
 * database cannot be read. The message is one line and names what is wrong.
 */
public class SlimException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error with a one-line message. */
  public SlimException(String message) {
    super(message);
  }

  /** An error with a one-line message and its cause. */
  public SlimException(String message, Throwable cause) {
    super(message, cause);
  }
}
