package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Docker v2 schema 2 images and manifest lists seen with OCI media types, as skopeo converts them
 * for an {@code oci:} destination: the manifest and index media types, the config descriptor's and
 * each layer's media type change to their OCI names; the config and layer bytes stay as they are
 * (an uncompressed Docker layer stays uncompressed, as {@code ...layer.v1.tar}). The manifest is
 * new JSON, so its digest changes; an OCI image is returned as it is.
 */
public final class OciConversion {
  private static final int MAX_DEPTH = 8;

  private OciConversion() {}

  /** True when the artifact, or any manifest under it, has a Docker media type. */
  public static boolean needed(Artifact a) throws IOException {
    Image image = a.image();
    return image != null ? MediaType.isDocker(image.mediaType()) : needed(indexOf(a), 0);
  }

  /** The artifact with OCI media types throughout, or {@code a} itself when it has them already. */
  public static Artifact toOci(Artifact a) throws IOException {
    if (!needed(a)) return a;
    Image image = a.image();
    return image != null ? Artifact.of(image(image)) : Artifact.of(index(indexOf(a), 0));
  }

  private static ImageIndex indexOf(Artifact a) {
    return Objects.requireNonNull(a.index(), "an artifact holds an image or an index");
  }

  /** The OCI name of a Docker layer media type (foreign layers become non-distributable ones). */
  static @Nullable String layerType(@Nullable String mt) {
    if (MediaType.DOCKER_LAYER.equals(mt)) return MediaType.OCI_LAYER;
    if (MediaType.DOCKER_LAYER_GZIP.equals(mt)) return MediaType.OCI_LAYER_GZIP;
    if (MediaType.DOCKER_LAYER_FOREIGN.equals(mt)) return MediaType.OCI_LAYER_ND_GZIP;
    return mt;
  }

  private static boolean needed(ImageIndex index, int depth) throws IOException {
    if (depth > MAX_DEPTH)
      throw new InvalidSpecException("image index nested more than " + MAX_DEPTH + " levels deep");
    if (MediaType.isDocker(index.mediaType())) return true;
    for (Descriptor child : index.index().manifests()) {
      if (MediaType.isDocker(child.mediaType())) return true;
      if (MediaType.isIndex(child.mediaType()) && needed(index.childIndex(child), depth + 1))
        return true;
    }
    return false;
  }

  private static Image image(Image source) throws IOException {
    if (!MediaType.isDocker(source.mediaType())) return source;
    Manifest m = source.manifest();
    if (m.layers().isEmpty()) {
      // docker build writes "layers": [] for FROM scratch with only metadata; the image-spec's
      // schema requires a layer.
      throw new InvalidSpecException(
          "image "
              + source.digest().shortString()
              + " has no layers, and an OCI image manifest"
              + " needs at least one (image-spec), so it cannot go into an OCI layout; write docker-archive: or a registry");
    }
    Descriptor config = m.config();
    if (MediaType.DOCKER_CONFIG.equals(config.mediaType()))
      config = retyped(config, MediaType.OCI_CONFIG);
    List<Descriptor> layers = new ArrayList<>(m.layers().size());
    for (Descriptor l : m.layers()) layers.add(retyped(l, layerType(l.mediaType())));
    Manifest converted =
        new Manifest(
            2,
            MediaType.OCI_MANIFEST,
            m.artifactType(),
            config,
            layers,
            m.subject(),
            m.annotations());
    return new ConvertedImage(source, converted, SpecJson.write(converted));
  }

  private static ImageIndex index(ImageIndex source, int depth) throws IOException {
    if (depth > MAX_DEPTH)
      throw new InvalidSpecException("image index nested more than " + MAX_DEPTH + " levels deep");
    Index idx = source.index();
    List<Descriptor> children = new ArrayList<>(idx.manifests().size());
    Map<Digest, Object> converted = new HashMap<>();
    for (Descriptor child : idx.manifests()) {
      Object c = null;
      byte[] raw = null;
      String mt = child.mediaType();
      if (MediaType.isIndex(child.mediaType())) {
        ImageIndex ci = index(source.childIndex(child), depth + 1);
        c = ci;
        raw = ci.rawManifest();
        mt = MediaType.OCI_INDEX;
      } else if (MediaType.isImageManifest(child.mediaType())) {
        Image ci = image(source.image(child));
        c = ci;
        raw = ci.rawManifest();
        mt = MediaType.OCI_MANIFEST;
      }
      if (c == null || raw == null) {
        children.add(child); // neither image nor index: named as it is, the writer decides
        continue;
      }
      Digest d = Digest.sha256(raw);
      converted.put(d, c);
      children.add(
          new Descriptor(
              mt,
              d,
              raw.length,
              child.urls(),
              child.annotations(),
              null,
              child.platform(),
              child.artifactType()));
    }
    Index out =
        new Index(
            2, MediaType.OCI_INDEX, idx.artifactType(), children, idx.subject(), idx.annotations());
    return new ConvertedIndex(source, out, SpecJson.write(out), converted);
  }

  private static Descriptor retyped(Descriptor d, @Nullable String mediaType) {
    return new Descriptor(
        mediaType,
        d.digest(),
        d.size(),
        d.urls(),
        d.annotations(),
        d.data(),
        d.platform(),
        d.artifactType());
  }

  /** An image under a converted manifest: config and layer bytes are the source's. */
  private static final class ConvertedImage implements Image {
    private final Image source;
    private final Manifest manifest;
    private final byte[] raw;
    private @Nullable List<Layer> layers;

    ConvertedImage(Image source, Manifest manifest, byte[] raw) {
      this.source = source;
      this.manifest = manifest;
      this.raw = raw;
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
    public byte[] rawConfig() throws IOException {
      return source.rawConfig();
    }

    @Override
    public ConfigFile config() throws IOException {
      return source.config();
    }

    @Override
    public synchronized List<Layer> layers() throws IOException {
      if (layers == null) {
        List<Layer> src = source.layers();
        if (src.size() != manifest.layers().size()) {
          throw new InvalidSpecException(
              "image has "
                  + src.size()
                  + " layers but its manifest lists "
                  + manifest.layers().size());
        }
        List<Layer> out = new ArrayList<>(src.size());
        for (int i = 0; i < src.size(); i++)
          out.add(new RetypedLayer(src.get(i), manifest.layers().get(i)));
        layers = List.copyOf(out);
      }
      return layers;
    }

    @Override
    public String mediaType() {
      return MediaType.OCI_MANIFEST;
    }

    @Override
    public boolean isContainerImage() throws IOException {
      return source.isContainerImage();
    }
  }

  /**
   * An index under converted JSON: its children are the converted images and indexes, by their new
   * digests.
   */
  private static final class ConvertedIndex implements ImageIndex {
    private final ImageIndex source;
    private final Index index;
    private final byte[] raw;
    private final Map<Digest, Object> children;

    ConvertedIndex(ImageIndex source, Index index, byte[] raw, Map<Digest, Object> children) {
      this.source = source;
      this.index = index;
      this.raw = raw;
      this.children = Map.copyOf(children);
    }

    @Override
    public byte[] rawManifest() {
      return raw.clone();
    }

    @Override
    public Index index() {
      return index;
    }

    @Override
    public Image image(Descriptor child) throws IOException {
      if (children.get(child.digest()) instanceof Image i) return i;
      return source.image(child);
    }

    @Override
    public ImageIndex childIndex(Descriptor child) throws IOException {
      if (children.get(child.digest()) instanceof ImageIndex i) return i;
      return source.childIndex(child);
    }

    @Override
    public String mediaType() {
      return MediaType.OCI_INDEX;
    }
  }
}
