package dev.caulk.slim;

/**
 * The entrypoint (or an {@code --include-exe} program) cannot be found or read in the image, so no
 * keep-list can be computed. The one-line message names it, e.g. {@code entrypoint '/app/srv' is
 * not an executable file in the image}.
 */
public class EntrypointException extends SlimException {
  private static final long serialVersionUID = 1L;

  /** An error with a one-line message. */
  public EntrypointException(String message) {
    super(message);
  }

  /** An error with a one-line message and its cause. */
  public EntrypointException(String message, Throwable cause) {
    super(message, cause);
  }
}
