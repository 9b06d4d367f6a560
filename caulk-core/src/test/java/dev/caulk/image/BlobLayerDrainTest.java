package dev.caulk.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caulk.digest.Digest;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: reading a file-backed layer again after its end once failed with
 * ClosedChannelException.
 */
class BlobLayerDrainTest {
  @TempDir Path tmp;

  @Test
  void readingPastTheEndTwiceIsHarmless() throws IOException {
    byte[] tar = "some tar bytes".getBytes();
    byte[] gz = ImagesTest.gzip(tar);
    Path f = tmp.resolve("layer.gz");
    Files.write(f, gz);
    Layer l =
        Layers.fromFile(
            f,
            Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(gz), gz.length),
            Digest.sha256(tar));
    try (InputStream in = l.uncompressed()) {
      assertArrayEquals(tar, in.readAllBytes());
      assertEquals(-1, in.read());
      assertEquals(-1, in.read(new byte[10], 0, 10));
    }
  }
}
