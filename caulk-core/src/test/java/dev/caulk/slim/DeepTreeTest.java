package dev.caulk.slim;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Image;
import dev.caulk.tar.TestTars;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deep directory: harden's cost grew with the cube of the depth (1,000 deep took 55 s, 2,047, the
 * deepest a 4 KiB tar name holds, more than 300 s). bench/hostile times 2,047.
 */
class DeepTreeTest {
  @TempDir Path tmp;

  @Test
  void hardenOfADeepDirectoryIsFast() throws Exception {
    TestTars.Tar t = TinyDebian.base();
    StringBuilder p = new StringBuilder("d");
    t.dir(p.toString());
    for (int i = 1; i < 1000; i++) {
      p.append("/d");
      t.dir(p.toString());
    }
    String deepest = "/" + p;
    Image img = TinyDebian.image(TinyDebian.config().build(), t);
    SlimTest.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> SlimTest.read(Slimmer.harden(img, Slimmer.Options.defaults().withTempDir(tmp))));
    assertTrue(r.has(deepest), "the deepest directory is kept");
  }
}
