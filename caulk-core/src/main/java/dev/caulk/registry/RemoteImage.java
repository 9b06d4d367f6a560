package dev.caulk.registry;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.name.Reference;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An image read from a registry: the manifest is in memory, the config loads on first use, and
 * layers stream from the registry when read (verified as they stream). It names its source so that
 * writers can mount its blobs within the same registry.
 */
public final class RemoteImage implements Image {
  private final Image delegate;
  private final Reference source;
  private List<Layer> layers;

  RemoteImage(Image delegate, Reference source) {
    this.delegate = delegate;
    this.source = source;
  }

  /** Where this image was read from, pinned by digest: {@code registry/repository@digest}. */
  public Reference source() {
    return source;
  }

  @Override
  public byte[] rawManifest() throws IOException {
    return delegate.rawManifest();
  }

  @Override
  public Manifest manifest() throws IOException {
    return delegate.manifest();
  }

  @Override
  public byte[] rawConfig() throws IOException {
    return delegate.rawConfig();
  }

  @Override
  public ConfigFile config() throws IOException {
    return delegate.config();
  }

  @Override
  public synchronized List<Layer> layers() throws IOException {
    if (layers == null) {
      List<Layer> out = new ArrayList<>();
      for (Layer l : delegate.layers()) out.add(new RemoteLayer(l, source));
      layers = List.copyOf(out);
    }
    return layers;
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
