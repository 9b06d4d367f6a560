package dev.caulk.tar;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.mutate.Mutate;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Crafts tars for tests, hostile ones included: names are written exactly as given (no
 * normalisation), so {@code ../x} and {@code /etc/passwd} reach the reader untouched.
 */
public final class TestTars {
  private TestTars() {}

  /** A tar under construction. */
  public static final class Tar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TarWriter w = new TarWriter(out, 1234567890L);

    public Tar file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    }

    public Tar file(String name, byte[] content, int mode, long uid, long gid) {
      return entry(name, EntryType.FILE, mode, uid, gid, content, null, Map.of());
    }

    public Tar dir(String name) {
      return dir(name, 0755);
    }

    public Tar dir(String name, int mode) {
      return entry(name, EntryType.DIR, mode, 0, 0, new byte[0], null, Map.of());
    }

    public Tar symlink(String name, String target) {
      return entry(name, EntryType.SYMLINK, 0777, 0, 0, new byte[0], target, Map.of());
    }

    public Tar hardlink(String name, String target) {
      return entry(name, EntryType.HARDLINK, 0644, 0, 0, new byte[0], target, Map.of());
    }

    public Tar device(String name, EntryType type, int major, int minor) {
      try {
        w.write(
            new TarWriter.Header(name, type, 0666, 0, 0, 0, null, major, minor, Map.of()),
            InputStream0.EMPTY,
            "test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Any entry; xattr values are raw bytes as ISO-8859-1 characters. */
    public Tar entry(
        String name,
        EntryType type,
        int mode,
        long uid,
        long gid,
        byte[] content,
        String link,
        Map<String, String> xattrs) {
      try {
        w.write(
            new TarWriter.Header(name, type, mode, uid, gid, content.length, link, 0, 0, xattrs),
            new ByteArrayInputStream(content),
            "test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Appends raw bytes (hand-made headers). */
    public Tar raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    public byte[] bytes() {
      try {
        w.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }

  private static final class InputStream0 {
    static final java.io.InputStream EMPTY = java.io.InputStream.nullInputStream();
  }

  public static Tar tar() {
    return new Tar();
  }

  /** A hand-made ustar header block with a valid checksum. */
  public static byte[] header(String name, char type, long size) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 1);
    h[156] = (byte) type;
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.ISO_8859_1), 0, h, 257, 8);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    byte[] ck = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(ck, 0, h, 148, 6);
    h[154] = 0;
    return h;
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = String.format("%0" + (len - 1) + "o", v);
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
  }

  public static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An in-memory gzip layer of a tar. */
  public static Layer layer(byte[] tar) {
    byte[] gz = gzip(tar);
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(gz), gz.length);
    return Layers.fromBlobs(d, Digest.sha256(tar), x -> new ByteArrayInputStream(gz), "test");
  }

  /** An OCI image (linux/amd64) whose layers are the given tars, base first. */
  public static Image image(byte[]... tars) throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (byte[] t : tars) layers.add(layer(t));
    return Mutate.appendLayers(Images.scratch(Platform.LINUX_AMD64), layers, null);
  }

  /** An image of the given layers. */
  public static Image imageOf(List<Layer> layers) throws IOException {
    return Mutate.appendLayers(Images.scratch(Platform.LINUX_AMD64), layers, null);
  }

  /** All entries of an uncompressed tar. */
  public static List<TarEntry> entries(byte[] tar) throws IOException {
    List<TarEntry> out = new ArrayList<>();
    try (TarReader r = TarEntries.reader(new ByteArrayInputStream(tar), "test")) {
      for (TarEntry e; (e = r.next()) != null; ) out.add(e);
    }
    return out;
  }
}
