package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * A layer under another media type (Docker's name for it in an OCI manifest, or back); bytes and
 * verification are the source's.
 */
record RetypedLayer(Layer source, Descriptor descriptor) implements Layer {
  @Override
  public Digest digest() {
    return source.digest();
  }

  @Override
  public @Nullable Digest diffId() {
    return source.diffId();
  }

  @Override
  public long size() {
    return source.size();
  }

  @Override
  public @Nullable String mediaType() {
    return descriptor.mediaType();
  }

  @Override
  public Layer origin() {
    return source.origin();
  }

  @Override
  public InputStream compressed() throws IOException {
    return source.compressed();
  }

  @Override
  public InputStream uncompressed() throws IOException {
    return source.uncompressed();
  }
}
