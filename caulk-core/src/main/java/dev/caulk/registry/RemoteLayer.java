package dev.caulk.registry;

import dev.caulk.digest.Digest;
import dev.caulk.image.Layer;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer that lives in a registry. It says where it came from, so that a push to another
 * repository of the same registry can mount the blob instead of copying its bytes (spec.md
 * "Mounting a blob from another repository"), even after the image around it was edited.
 */
public final class RemoteLayer implements Layer {
  private final Layer delegate;
  private final Reference source;

  RemoteLayer(Layer delegate, Reference source) {
    this.delegate = delegate;
    this.source = source;
  }

  /** The image this layer was read from ({@code registry/repository@digest}). */
  public Reference source() {
    return source;
  }

  @Override
  public Digest digest() {
    return delegate.digest();
  }

  @Override
  public Digest diffId() {
    return delegate.diffId();
  }

  @Override
  public long size() {
    return delegate.size();
  }

  @Override
  public String mediaType() {
    return delegate.mediaType();
  }

  @Override
  public InputStream compressed() throws IOException {
    return delegate.compressed();
  }

  @Override
  public InputStream uncompressed() throws IOException {
    return delegate.uncompressed();
  }

  @Override
  public Descriptor descriptor() {
    return delegate.descriptor();
  }
}
