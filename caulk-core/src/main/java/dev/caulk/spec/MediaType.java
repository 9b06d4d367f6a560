package dev.caulk.spec;

import org.jspecify.annotations.Nullable;

/**
 * Media types of the OCI image spec and Docker's image manifest v2 schema 2, with predicates.
 *
 * <p>Media types stay plain strings in the wire records: the spec says unknown ones must not be an
 * error where they can be ignored, so a closed enum would be the wrong model.
 */
public final class MediaType {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_ND =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";
  public static final String OCI_LAYER_ND_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  public static final String OCI_LAYER_ND_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";

  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_V1 =
      "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_MANIFEST_V1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_FOREIGN =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  /**
   * What a client accepts when pulling a manifest: all four, so that registries never fall back to
   * schema 1.
   */
  public static final String ACCEPT_MANIFESTS =
      String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

  private MediaType() {}

  /**
   * True for an RFC 6838 {@code type/subtype} name, as the image-spec schema's mediaType pattern
   * says.
   */
  public static boolean isValid(@Nullable String mt) {
    return mt != null && SpecRules.MEDIA_TYPE.matcher(mt).matches();
  }

  public static boolean isIndex(@Nullable String mt) {
    return OCI_INDEX.equals(mt) || DOCKER_MANIFEST_LIST.equals(mt);
  }

  public static boolean isImageManifest(@Nullable String mt) {
    return OCI_MANIFEST.equals(mt) || DOCKER_MANIFEST.equals(mt);
  }

  public static boolean isManifest(@Nullable String mt) {
    return isIndex(mt) || isImageManifest(mt);
  }

  public static boolean isSchema1(@Nullable String mt) {
    return DOCKER_MANIFEST_V1.equals(mt) || DOCKER_MANIFEST_V1_SIGNED.equals(mt);
  }

  /** An image config: what makes a manifest a container image rather than another OCI artifact. */
  public static boolean isImageConfig(@Nullable String mt) {
    return OCI_CONFIG.equals(mt) || DOCKER_CONFIG.equals(mt);
  }

  public static boolean isLayer(@Nullable String mt) {
    return mt != null
        && (mt.startsWith("application/vnd.oci.image.layer.")
            || mt.startsWith("application/vnd.docker.image.rootfs."));
  }

  public static boolean isDocker(@Nullable String mt) {
    return mt != null && mt.startsWith("application/vnd.docker.");
  }

  /** Layers a registry must not be asked to store (foreign and non-distributable ones). */
  public static boolean isNonDistributable(@Nullable String mt) {
    return DOCKER_LAYER_FOREIGN.equals(mt)
        || (mt != null && mt.startsWith("application/vnd.oci.image.layer.nondistributable."));
  }

  /** The compression a layer media type declares. */
  public static Compression layerCompression(@Nullable String mt) {
    if (mt == null) return Compression.NONE;
    if (mt.endsWith("+gzip") || mt.endsWith(".tar.gzip")) return Compression.GZIP;
    if (mt.endsWith("+zstd")) return Compression.ZSTD;
    return Compression.NONE;
  }

  /** The layer media type of the given family (OCI or Docker) for a compression. */
  public static String layerType(boolean docker, Compression c) {
    if (docker) {
      return c == Compression.NONE ? DOCKER_LAYER : DOCKER_LAYER_GZIP;
    }
    return switch (c) {
      case NONE -> OCI_LAYER;
      case GZIP -> OCI_LAYER_GZIP;
      case ZSTD -> OCI_LAYER_ZSTD;
    };
  }

  /** Layer compressions caulk reads and writes. */
  public enum Compression {
    NONE,
    GZIP,
    ZSTD
  }
}
