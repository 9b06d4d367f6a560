package dev.caulk.cli;

/** A mistake in how a command was called, found after parsing (exit code 2). */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
