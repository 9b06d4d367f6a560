package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.testing.ImageFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images built from generated content, with layers stored as files (as a build would leave them).
 */
final class TestImages {
  static final int MIB = 1024 * 1024;

  private TestImages() {}

  /**
   * An OCI image with one gzip layer per size; each layer holds one file of random (incompressible)
   * bytes.
   */
  static Image image(Path dir, long seed, int... fileSizes) throws IOException {
    return image(dir, seed, Platform.LINUX_AMD64, fileSizes);
  }

  static Image image(Path dir, long seed, Platform platform, int... fileSizes) throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < fileSizes.length; i++) {
      byte[] tar =
          ImageFixtures.tar(
              ImageFixtures.file(
                  "data/" + seed + "-" + i,
                  ImageFixtures.randomBytes(seed * 31 + i, fileSizes[i])));
      byte[] gz = ImageFixtures.gzip(tar);
      Path f = dir.resolve("layer-" + seed + "-" + i + ".tar.gz");
      Files.write(f, gz);
      Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(gz), gz.length);
      layers.add(Layers.fromFile(f, d, Digest.sha256(tar)));
    }
    ConfigFile cfg = Images.scratch(platform).config();
    return Images.of(cfg, layers, false, null);
  }

  /**
   * Asserts that two images have the same manifest, config and layer bytes (reading every layer to
   * its end).
   */
  static void assertSameImage(Image expected, Image actual) throws IOException {
    assertArrayEquals(expected.rawManifest(), actual.rawManifest(), "manifest bytes");
    assertEquals(expected.digest(), actual.digest());
    assertArrayEquals(expected.rawConfig(), actual.rawConfig(), "config bytes");
    List<Layer> a = actual.layers();
    List<Layer> e = expected.layers();
    assertEquals(e.size(), a.size());
    for (int i = 0; i < e.size(); i++) {
      try (InputStream x = e.get(i).compressed();
          InputStream y = a.get(i).compressed()) {
        assertArrayEquals(x.readAllBytes(), y.readAllBytes(), "layer " + i);
      }
    }
  }
}
