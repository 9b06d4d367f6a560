package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An image read from a manifest; the config loads (and is verified) on first use. */
final class ManifestImage implements Image {
  private final byte[] raw;
  private final Manifest manifest;
  private final BlobSource blobs;
  private final String what;
  private byte @Nullable [] rawConfig;
  private @Nullable ConfigFile config;
  private @Nullable List<Layer> layers;

  ManifestImage(byte[] raw, Manifest manifest, BlobSource blobs, String what) {
    this.raw = raw.clone();
    this.manifest = manifest;
    this.blobs = blobs;
    this.what = what;
  }

  @Override
  public byte[] rawManifest() {
    return raw.clone();
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public synchronized byte[] rawConfig() throws IOException {
    if (rawConfig == null) {
      rawConfig =
          Images.readBlob(blobs, manifest.config(), SpecJson.MAX_CONFIG_BYTES, what + ": config");
    }
    return rawConfig.clone();
  }

  @Override
  public synchronized ConfigFile config() throws IOException {
    if (config == null) {
      if (!isContainerImage()) throw NotAContainerImageException.of(what, this);
      config = SpecJson.config(rawConfig(), what + ": config");
    }
    return config;
  }

  @Override
  public synchronized List<Layer> layers() throws IOException {
    if (layers == null) {
      List<Descriptor> ds = manifest.layers();
      if (!isContainerImage()) {
        // An artifact's blobs are not tar changesets: no diffIDs to pair them with, no tar to open.
        List<Layer> out = new ArrayList<>(ds.size());
        for (Descriptor d : ds) out.add(new BlobLayer(d, null, blobs, what));
        layers = List.copyOf(out);
        return layers;
      }
      List<Digest> diffIds = config().rootfs().diffIds();
      if (diffIds.size() != ds.size()) {
        throw new InvalidSpecException(
            what
                + ": manifest lists "
                + ds.size()
                + " layers but the config has "
                + diffIds.size()
                + " diff_ids");
      }
      List<Layer> out = new ArrayList<>(ds.size());
      for (int i = 0; i < ds.size(); i++)
        out.add(new BlobLayer(ds.get(i), diffIds.get(i), blobs, what));
      layers = List.copyOf(out);
    }
    return layers;
  }

  @Override
  public Digest digest() {
    return Digest.sha256(raw);
  }

  @Override
  public String mediaType() {
    return manifest.mediaType() == null
        ? dev.caulk.spec.MediaType.OCI_MANIFEST
        : manifest.mediaType();
  }
}
