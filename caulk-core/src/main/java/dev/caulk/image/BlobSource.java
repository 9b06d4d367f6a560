package dev.caulk.image;

import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where the blobs of an image live: the one thing a medium (registry, layout, archive) must supply
 * to back an {@link Image}. The stream need not be verified: {@link Images} verifies every byte.
 */
@FunctionalInterface
public interface BlobSource {
  /** Opens the blob the descriptor names. */
  InputStream open(Descriptor descriptor) throws IOException;
}
