package dev.caulk.cli;

/** Exit codes: 0 success, 1 error, 2 usage; a failed gate exits with the user's --exit-code. */
final class ExitCodes {
  static final int OK = 0;
  static final int ERROR = 1;
  static final int USAGE = 2;

  private ExitCodes() {}
}
