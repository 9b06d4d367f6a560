package dev.caulk.compress;

import com.github.luben.zstd.ZstdInputStream;
import dev.caulk.spec.MediaType.Compression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Detects a stream's compression from its magic bytes and decompresses it.
 *
 * <p>Layer media types cannot be trusted to name the compression: Docker archives label
 * uncompressed tars with the gzip media type, and hand-made images get it wrong too. The first
 * bytes never lie, so every reader sniffs them.
 */
public final class Compressions {
  private Compressions() {}

  /** The compression of the stream's first bytes; the stream must support mark/reset. */
  public static Compression sniff(InputStream in) throws IOException {
    in.mark(4);
    byte[] b = in.readNBytes(4);
    in.reset();
    if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) return Compression.GZIP;
    if (b.length >= 4
        && (b[0] & 0xff) == 0x28
        && (b[1] & 0xff) == 0xb5
        && (b[2] & 0xff) == 0x2f
        && (b[3] & 0xff) == 0xfd) {
      return Compression.ZSTD;
    }
    return Compression.NONE;
  }

  /**
   * Wraps {@code in} so that reading gives the decompressed bytes, whatever the compression.
   * Closing the result closes {@code in}.
   */
  public static InputStream decompress(InputStream in) throws IOException {
    InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, 64 * 1024);
    return switch (sniff(buffered)) {
      case GZIP -> new GZIPInputStream(buffered, 64 * 1024);
      case ZSTD -> new ZstdInputStream(buffered);
      case NONE -> buffered;
    };
  }
}
