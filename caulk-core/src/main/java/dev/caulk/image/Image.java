package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Manifest;
import java.io.IOException;
import java.util.List;

/**
 * An immutable, lazily loaded container image: a manifest, a config and layers.
 *
 * <p>Where an image comes from (registry, OCI layout, archive, a build) is the business of the
 * code that opened it; everything else in caulk reads images through this interface only. The raw
 * manifest and config bytes are exactly what their digests were computed over: a copy writes
 * these bytes, never a re-serialisation.
 */
public interface Image {
  /** The manifest's bytes as stored. */
  byte[] rawManifest() throws IOException;

  /** The parsed manifest. */
  Manifest manifest() throws IOException;

  /** The config's bytes as stored (verified against the manifest's config descriptor). */
  byte[] rawConfig() throws IOException;

  /** The parsed config. */
  ConfigFile config() throws IOException;

  /** The layers, base first. */
  List<Layer> layers() throws IOException;

  /** The manifest digest: the image's identity in a registry. */
  default Digest digest() throws IOException {
    return Digest.sha256(rawManifest());
  }

  /** The manifest's media type. */
  default String mediaType() throws IOException {
    return manifest().mediaType();
  }

  /** A descriptor of the manifest, with the config's platform. */
  default Descriptor descriptor() throws IOException {
    byte[] raw = rawManifest();
    return Descriptor.of(mediaType(), Digest.sha256(raw), raw.length).withPlatform(config().platform());
  }

  /** The sum of the stored sizes of config and layers, as a registry stores them. */
  default long compressedSize() throws IOException {
    long total = manifest().config().size();
    for (Layer l : layers()) total += l.size();
    return total;
  }
}
