package dev.caulk.layout;

import dev.caulk.digest.Digest;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Small generated images for the layout and archive tests: layers are real tars (made with
 * commons-compress) stored as files, gzip-compressed or not.
 */
public final class MediaFixtures {
  private MediaFixtures() {}

  /** The bytes of a tar holding the given files (path → UTF-8 content), sorted, mtime 0. */
  public static byte[] tar(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : new TreeMap<>(files).entrySet()) {
        byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(content.length);
        entry.setMode(0644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  /** A layer stored in {@code dir} holding the given files. */
  public static Layer layer(Path dir, Map<String, String> files, boolean gzip, boolean docker)
      throws IOException {
    byte[] tar = tar(files);
    byte[] stored = gzip ? gzip(tar) : tar;
    Digest digest = Digest.sha256(stored);
    Path file = dir.resolve("layer-" + digest.hex() + (gzip ? ".tar.gz" : ".tar"));
    Files.write(file, stored);
    String mt =
        MediaType.layerType(docker, gzip ? MediaType.Compression.GZIP : MediaType.Compression.NONE);
    return Layers.fromFile(file, Descriptor.of(mt, digest, stored.length), Digest.sha256(tar));
  }

  /**
   * An image for the platform whose layers each hold one file {@code /<name>} with content {@code
   * name}.
   */
  public static Image image(Path dir, Platform platform, boolean docker, String... fileNames)
      throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (String f : fileNames)
      layers.add(layer(dir, Map.of(f, "content of " + f + "\n"), true, docker));
    ConfigFile cfg = Images.scratch(platform).config().withCreated("1970-01-01T00:00:00Z");
    return Images.of(cfg, layers, docker, null);
  }

  /** An OCI linux/amd64 image. */
  public static Image image(Path dir, String... fileNames) throws IOException {
    return image(dir, Platform.LINUX_AMD64, false, fileNames);
  }

  /**
   * An OCI index over the images, backed by an in-memory blob store holding their manifests,
   * configs and layers, with each child's platform taken from its config.
   */
  public static ImageIndex index(Image... images) throws IOException {
    Map<Digest, byte[]> store = new HashMap<>();
    List<Descriptor> children = new ArrayList<>();
    for (Image img : images) {
      store.put(img.digest(), img.rawManifest());
      store.put(img.manifest().config().digest(), img.rawConfig());
      for (Layer l : img.layers()) {
        try (InputStream in = l.compressed()) {
          store.put(l.digest(), in.readAllBytes());
        }
      }
      children.add(img.descriptor());
    }
    byte[] raw = SpecJson.write(Index.of(MediaType.OCI_INDEX, children));
    BlobSource blobs =
        d -> {
          byte[] b = store.get(d.digest());
          if (b == null) throw new IOException("no blob " + d.digest());
          return new ByteArrayInputStream(b);
        };
    return Images.indexFromManifest(raw, blobs, "test index");
  }

  /**
   * A layer whose compressed stream fails after {@code failAfter} bytes: a network drop mid-copy.
   */
  public static Layer failing(Layer real, long failAfter) {
    return new Layer() {
      @Override
      public Digest digest() {
        return real.digest();
      }

      @Override
      public Digest diffId() {
        return real.diffId();
      }

      @Override
      public long size() {
        return real.size();
      }

      @Override
      public String mediaType() {
        return real.mediaType();
      }

      @Override
      public InputStream uncompressed() throws IOException {
        return real.uncompressed();
      }

      @Override
      public InputStream compressed() throws IOException {
        InputStream in = real.compressed();
        return new InputStream() {
          long count;

          @Override
          public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (count >= failAfter)
              throw new IOException("simulated failure after " + count + " bytes");
            int n = in.read(b, off, (int) Math.min(len, failAfter - count));
            if (n > 0) count += n;
            return n;
          }

          @Override
          public void close() throws IOException {
            in.close();
          }
        };
      }
    };
  }

  /** Runs a program; returns its stdout, failing with its stderr when the exit status is not 0. */
  public static String run(Path cwd, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    Path err = Files.createTempFile(cwd, "stderr", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": timed out");
    }
    String stderr = Files.readString(err);
    Files.delete(err);
    if (p.exitValue() != 0)
      throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + stderr);
    return new String(out, StandardCharsets.UTF_8);
  }

  /** True when a program is on the PATH. */
  public static boolean installed(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, program))) return true;
    }
    return false;
  }
}
