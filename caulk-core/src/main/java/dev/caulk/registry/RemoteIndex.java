package dev.caulk.registry;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import java.io.IOException;

/** An image index read from a registry; its children are fetched (and verified) when asked for. */
public final class RemoteIndex implements ImageIndex {
  private final ImageIndex delegate;
  private final Reference source;

  RemoteIndex(ImageIndex delegate, Reference source) {
    this.delegate = delegate;
    this.source = source;
  }

  /** Where this index was read from, pinned by digest. */
  public Reference source() {
    return source;
  }

  @Override
  public byte[] rawManifest() throws IOException {
    return delegate.rawManifest();
  }

  @Override
  public Index index() throws IOException {
    return delegate.index();
  }

  @Override
  public Image image(Descriptor child) throws IOException {
    return new RemoteImage(delegate.image(child), source.withDigest(child.digest()));
  }

  @Override
  public ImageIndex childIndex(Descriptor child) throws IOException {
    return new RemoteIndex(delegate.childIndex(child), source.withDigest(child.digest()));
  }

  @Override
  public Digest digest() throws IOException {
    return delegate.digest();
  }

  @Override
  public String mediaType() throws IOException {
    return delegate.mediaType();
  }
}
