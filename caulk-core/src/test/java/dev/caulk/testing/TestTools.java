package dev.caulk.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the independent tools the interoperability tests run, when the system's build is not
 * enough. Debian bookworm's skopeo 1.9.3 is built without sigstore; {@code scripts/test-tools}
 * provides Debian trixie's skopeo 1.18 in the cache, and caulk-core's pom passes its path as the
 * system property {@code caulk.test.skopeo}. A tool that is missing or unfit skips the tests that
 * need it, saying why, except under {@code CI=true}, where it fails them.
 */
public final class TestTools {
  /** The property naming a sigstore-capable skopeo (an executable path, or a program name). */
  public static final String SKOPEO_PROPERTY = "caulk.test.skopeo";

  private TestTools() {}

  /**
   * A program the tests run.
   *
   * @param command what to execute: a path, or a name looked up on the PATH
   * @param origin where it came from, for the message of a skipped or failed test
   */
  public record Tool(String command, String origin) {}

  /**
   * The skopeo {@code -Dcaulk.test.skopeo} names when it is executable (or is a bare program name),
   * otherwise the system's {@code skopeo}, with an origin that says why.
   */
  public static Tool skopeo() {
    return skopeo(System.getProperty(SKOPEO_PROPERTY, ""));
  }

  static Tool skopeo(String configured) {
    if (configured.isBlank()) {
      return new Tool("skopeo", "the system's skopeo (-D" + SKOPEO_PROPERTY + " is not set)");
    }
    if (!configured.contains("/")) {
      return new Tool(configured, configured + " on the PATH (-D" + SKOPEO_PROPERTY + ")");
    }
    if (Files.isExecutable(Path.of(configured))) {
      return new Tool(configured, configured + " (-D" + SKOPEO_PROPERTY + ")");
    }
    return new Tool(
        "skopeo",
        "the system's skopeo, since "
            + configured
            + " is missing (scripts/test-tools fetches a sigstore-capable one; make test runs it)");
  }

  /** Whether this run is CI's ({@code CI=true}), where a missing tool is a failure. */
  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Continues when {@code ok}; otherwise skips the test with {@code why}, or fails it under {@code
   * CI=true}, so that CI never passes by skipping what it cannot run.
   */
  public static void require(boolean ok, String why) {
    require(ok, why, ci());
  }

  static void require(boolean ok, String why, boolean ci) {
    if (ok) {
      return;
    }
    if (ci) {
      throw new AssertionError(why + " (CI=true: a missing test tool is a failure)");
    }
    assumeTrue(false, why);
  }
}
