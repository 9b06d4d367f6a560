package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * One layer of an image: a tar changeset, stored compressed or not.
 *
 * <p>Both streams verify as they are read: {@link #compressed()} against {@link #digest()} and
 * {@link #size()}, {@link #uncompressed()} against {@link #diffId()}. A mismatch fails the read
 * that reaches the end of the stream with a {@link dev.caulk.digest.DigestMismatchException}, so a
 * consumer must read to the end before trusting what it read.
 */
public interface Layer {
  /** The digest of the stored (usually compressed) blob; the manifest's layer digest. */
  Digest digest();

  /**
   * The digest of the uncompressed tar; the config's diffID. Null for a blob of an artifact that is
   * not a container image.
   */
  @Nullable Digest diffId();

  /** The stored blob's size in bytes. */
  long size();

  /** The media type the manifest gives this layer. */
  @Nullable String mediaType();

  /** The stored bytes, verified as they stream. */
  InputStream compressed() throws IOException;

  /**
   * The tar, decompressed as needed (compression sniffed from the bytes), verified as it streams.
   */
  InputStream uncompressed() throws IOException;

  /**
   * The layer this one shows under another media type, or itself: where its bytes really come from
   * (a registry copy mounts a blob from the repository it was read from).
   */
  default Layer origin() {
    return this;
  }

  /** This layer's descriptor as a manifest lists it. */
  default Descriptor descriptor() {
    return Descriptor.of(mediaType(), digest(), size());
  }
}
