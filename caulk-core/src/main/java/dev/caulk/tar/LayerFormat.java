package dev.caulk.tar;

import dev.caulk.spec.MediaType;
import dev.caulk.spec.MediaType.Compression;

/**
 * How a built layer is stored: compression and level. The media type follows (OCI names; an image
 * of the Docker family renames them when it is assembled).
 *
 * @param compression none, gzip or zstd (zstd layers need an OCI image: Docker has no zstd type)
 * @param level gzip 0-9 (6 by default; 0 stores), zstd 1-19 (3 by default); ignored without
 *     compression
 */
public record LayerFormat(Compression compression, int level) {
  /** gzip at level 6: what every registry and runtime reads. */
  public static final LayerFormat GZIP = new LayerFormat(Compression.GZIP, 6);

  /** zstd at level 3: smaller and faster, OCI only. */
  public static final LayerFormat ZSTD = new LayerFormat(Compression.ZSTD, 3);

  /** A plain tar: digest and diffID are the same. */
  public static final LayerFormat UNCOMPRESSED = new LayerFormat(Compression.NONE, 0);

  public LayerFormat {
    if (compression == null) throw new IllegalArgumentException("compression is required");
    if (compression == Compression.GZIP && (level < 0 || level > 9))
      throw new IllegalArgumentException("gzip level must be 0-9");
    if (compression == Compression.ZSTD && (level < 1 || level > 19))
      throw new IllegalArgumentException("zstd level must be 1-19");
  }

  /** gzip at the given level, 0-9. */
  public static LayerFormat gzip(int level) {
    return new LayerFormat(Compression.GZIP, level);
  }

  /** The OCI layer media type of this format. */
  public String mediaType() {
    return MediaType.layerType(false, compression);
  }
}
