package bench.app;

/** What {@code GET /} answers, as JSON. */
record Report(String greeting, String java, String user, int revision) {
  /** The code revision the answer reports; bench/java's classes-only change edits this one class. */
  static int codeRevision() {
    return 1;
  }
}
