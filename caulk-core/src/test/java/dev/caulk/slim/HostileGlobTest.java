package dev.caulk.slim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code slim --include} globs with many stars: linear matching (RE2/J), where backtracking was
 * exponential.
 */
class HostileGlobTest {
  @Test
  void includeGlobWithManyStars() throws Exception {
    PathGlob g = PathGlob.compile("/app/" + "*a".repeat(16) + "*[b]");
    String path = "/app/" + "a".repeat(200);
    assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> g.matches(path)));
    assertTrue(g.matches(path + "b"));
    PathGlob cls = PathGlob.compile("/x/[!a]*");
    assertTrue(cls.matches("/x/ba") && !cls.matches("/x/ab"));
  }
}
