package dev.caulk.cli;

/**
 * Test only: provokes the failures no ordinary input provokes on demand, so that tests can check
 * that they too end in one {@code caulk: error:} line. Set the system property {@code
 * caulk.test.fail} to {@code stack-overflow} (unbounded recursion) or {@code out-of-memory} (an
 * allocation larger than any heap) and the next command fails that way after its command line is
 * parsed. Not documented to users; nothing sets it outside tests.
 */
final class TestHook {
  static final String PROPERTY = "caulk.test.fail";

  private TestHook() {}

  static void fire() {
    String what = System.getProperty(PROPERTY);
    if (what == null) return;
    switch (what) {
      case "stack-overflow" -> recurse(0);
      case "out-of-memory" -> exhaust();
      default -> {}
    }
  }

  // The unbounded recursion is this hook's purpose (ErrorProne's InfiniteRecursion is an error
  // otherwise).
  @SuppressWarnings("InfiniteRecursion")
  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  static long[] held;

  private static void exhaust() {
    // 16 GiB at once: "Java heap space" on any test JVM, without filling the heap the other tests
    // share
    held = new long[Integer.MAX_VALUE - 8];
  }
}
