package dev.caulk.run;

import java.io.IOException;

/**
 * An image that cannot be run (nothing to execute, unknown user) or a runtime that cannot run it
 * (runc missing, not root, runc failing). The message is one line, safe to print: container output
 * in it has control characters replaced.
 */
public class RunException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error with a one-line message. */
  public RunException(String message) {
    super(message);
  }

  /** An error with a one-line message and the low-level cause (kept for debugging, never shown). */
  public RunException(String message, Throwable cause) {
    super(message, cause);
  }
}
