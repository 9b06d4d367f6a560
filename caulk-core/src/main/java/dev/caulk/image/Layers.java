package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Factories for layers. */
public final class Layers {
  private Layers() {}

  /**
   * A layer whose stored bytes are a file on disk (a build's output, a cache entry).
   *
   * @param descriptor digest, size and media type of the file's bytes
   * @param diffId the digest of the uncompressed tar
   */
  public static Layer fromFile(Path file, Descriptor descriptor, Digest diffId) {
    return new BlobLayer(
        descriptor, diffId, d -> Files.newInputStream(file), file.getFileName().toString());
  }

  /** A layer whose blob comes from a blob source. */
  public static Layer fromBlobs(
      Descriptor descriptor, Digest diffId, BlobSource blobs, String what) {
    return new BlobLayer(descriptor, diffId, blobs, what);
  }

  /**
   * Decompresses a verified compressed stream and verifies the result against a diffID; when the
   * tar ends, the rest of the compressed stream is read so that its digest is checked too.
   */
  public static InputStream uncompressedVerified(InputStream compressed, Digest diffId, String what)
      throws IOException {
    return BlobLayer.wrap(compressed, diffId, what);
  }
}
