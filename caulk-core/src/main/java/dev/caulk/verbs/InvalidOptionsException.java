package dev.caulk.verbs;

/**
 * A verb was asked for something that cannot be done as asked (options that contradict each other,
 * an unknown service, a value out of range): the caller's mistake, not a failure of the work. The
 * CLI exits with code 2 on it. The message is one line and names the option.
 */
public final class InvalidOptionsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidOptionsException(String message) {
    super(message);
  }
}
