package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Layer;
import dev.caulk.tar.LayerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compression-level reaches the layers: resolved into the settings, keyed and applied by the cache.
 */
class LayerCacheTest {
  @TempDir Path tmp;

  @Test
  void theCompressionLevelIsResolvedKeyedAndApplied() throws IOException {
    BuildSettings one =
        BuildSettings.resolve(
            BuildConfig.builder().compressionLevel(1).build(), tmp, List.of("svc"), null, null);
    BuildSettings unset =
        BuildSettings.resolve(BuildConfig.builder().build(), tmp, List.of("svc"), null, null);
    assertEquals(1, one.compressionLevel());
    assertEquals(BuildSettings.DEFAULT_COMPRESSION_LEVEL, unset.compressionLevel());

    byte[] words = new byte[3 << 20];
    Random r = new Random(5);
    for (int i = 0; i < words.length; i++) words[i] = (byte) "layer digest ".charAt(r.nextInt(13));
    Path bin = Files.write(tmp.resolve("bin"), words);
    LayerRecipe recipe = new LayerRecipe("app").file("/app/service", bin, 0755, 0, 0);
    Instant epoch = Instant.ofEpochSecond(1);
    LayerCache cache = new LayerCache(tmp.resolve("cache"));
    Layer fast = cache.layer(recipe, epoch, LayerFormat.gzip(one.compressionLevel()));
    Layer small = cache.layer(recipe, epoch, LayerFormat.gzip(9));
    assertNotEquals(
        recipe.cacheKey(epoch, LayerFormat.gzip(1)), recipe.cacheKey(epoch, LayerFormat.gzip(9)));
    assertNotEquals(fast.digest(), small.digest(), "another level, other bytes");
    assertEquals(fast.diffId(), small.diffId(), "the same tar");
    assertTrue(small.size() < fast.size(), small.size() + " < " + fast.size());
    assertEquals(fast.digest(), cache.layer(recipe, epoch, LayerFormat.gzip(1)).digest());
  }
}
