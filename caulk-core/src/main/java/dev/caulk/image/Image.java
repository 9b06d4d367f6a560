package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, lazily loaded container image: a manifest, a config and layers.
 *
 * <p>Where an image comes from (registry, OCI layout, archive, a build) is the business of the code
 * that opened it; everything else in caulk reads images through this interface only. The raw
 * manifest and config bytes are exactly what their digests were computed over: a copy writes these
 * bytes, never a re-serialisation.
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
  default @Nullable String mediaType() throws IOException {
    return manifest().mediaType();
  }

  /**
   * True for a container image: its config is an image config and every layer a tar layer. False
   * for the other OCI artifacts (a Helm chart, a signature, an SBOM), which can be copied and
   * inspected but not unpacked, audited or run; their {@link #config()} fails naming what they are.
   */
  default boolean isContainerImage() throws IOException {
    Manifest m = manifest();
    String cfg = m.config().mediaType();
    if (cfg != null && !MediaType.isImageConfig(cfg)) return false;
    for (Descriptor l : m.layers()) {
      if (l.mediaType() != null && !MediaType.isLayer(l.mediaType())) return false;
    }
    return true;
  }

  /**
   * What kind of artifact this is: the manifest's {@code artifactType}, else its config media type
   * when that is not an image config, else the media type of its first blob that is not a tar layer
   * (cosign's signatures have an image config). Null for a container image.
   */
  default @Nullable String artifactType() throws IOException {
    Manifest m = manifest();
    if (m.artifactType() != null && !m.artifactType().isEmpty()) return m.artifactType();
    String cfg = m.config().mediaType();
    if (cfg != null && !MediaType.isImageConfig(cfg)) return cfg;
    for (Descriptor l : m.layers()) {
      if (l.mediaType() != null && !MediaType.isLayer(l.mediaType())) return l.mediaType();
    }
    return null;
  }

  /** A descriptor of the manifest, with the config's platform (for a container image). */
  default Descriptor descriptor() throws IOException {
    byte[] raw = rawManifest();
    Descriptor d = Descriptor.of(mediaType(), Digest.sha256(raw), raw.length);
    if (!isContainerImage()) return d;
    ConfigFile c = config();
    return c.os() != null && c.architecture() != null ? d.withPlatform(c.platform()) : d;
  }

  /** The sum of the stored sizes of config and layers, as a registry stores them. */
  default long compressedSize() throws IOException {
    long total = manifest().config().size();
    for (Layer l : layers()) total += l.size();
    return total;
  }
}
