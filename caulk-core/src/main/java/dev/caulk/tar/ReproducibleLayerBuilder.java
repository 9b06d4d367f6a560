package dev.caulk.tar;

import dev.caulk.compress.ParallelGzipOutputStream;
import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestingOutputStream;
import dev.caulk.image.Layers;
import dev.caulk.spec.Descriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Builds a layer whose bytes depend only on what was added: the idea of Jib's reproducible layers
 * (build.md §1.3), in caulk's own code.
 *
 * <ul>
 *   <li>entries sorted by path, component by component (parents before children; within a directory
 *       whiteouts first, as layer.md asks, then names in order);
 *   <li>every parent directory written explicitly, {@code 0755 0:0}, unless added with other
 *       attributes ({@link #directory}); whiteouts do not create parents, so that deleting {@code
 *       /tmp/x} does not reset {@code /tmp}'s {@code 1777} (add the parent yourself with the lower
 *       layer's attributes when a runtime needs it);
 *   <li>one modification time for every entry (constructor argument; {@link #mtimeFromEnvironment}
 *       reads {@code SOURCE_DATE_EPOCH}); no atime, ctime or user names;
 *   <li>PAX headers only where ustar cannot say it (long or non-ASCII names, sizes past 8 GiB,
 *       large ids, xattrs);
 *   <li>hard links grouped: the first path of a group in archive order carries the content;
 *   <li>one streaming pass: tar, diffID, compression and digest computed together, each byte
 *       written once to a temporary file.
 * </ul>
 *
 * <p>Not thread-safe. Paths are container paths ({@code /app/x} or {@code app/x}); {@code ..} is
 * rejected with {@link IllegalArgumentException}, as are duplicates.
 */
public final class ReproducibleLayerBuilder {
  /**
   * Jib's default modification time, 1970-01-01T00:00:01Z: after the epoch so that tools never read
   * it as "unset".
   */
  public static final Instant DEFAULT_MTIME = Instant.ofEpochSecond(1);

  /** Where a file's bytes come from when the layer is written; opened once, read to the end. */
  @FunctionalInterface
  public interface ContentSource {
    /** Opens the content; the builder closes the stream. */
    InputStream open() throws IOException;
  }

  record Spec(
      EntryType type,
      int mode,
      long uid,
      long gid,
      long size,
      @Nullable ContentSource source,
      @Nullable String link,
      int major,
      int minor,
      Map<String, String> xattrs) {
    Spec withXattrs(Map<String, String> x) {
      return new Spec(type, mode, uid, gid, size, source, link, major, minor, x);
    }
  }

  private static final Spec IMPLICIT_DIR =
      new Spec(EntryType.DIR, 0755, 0, 0, 0, null, null, 0, 0, Map.of());
  private static final Spec WHITEOUT =
      new Spec(EntryType.FILE, 0644, 0, 0, 0, null, null, 0, 0, Map.of());

  private final long mtime;
  private final Map<String, Spec> entries = new HashMap<>();

  /** A builder stamping every entry with {@link #DEFAULT_MTIME}. */
  public ReproducibleLayerBuilder() {
    this(DEFAULT_MTIME);
  }

  /**
   * A builder stamping every entry with the given instant (whole seconds; fractions are dropped).
   *
   * @throws IllegalArgumentException before 1970 or after the ustar range (year 6429)
   */
  public ReproducibleLayerBuilder(Instant mtime) {
    long s = mtime.getEpochSecond();
    if (s < 0 || s > 077777777777L)
      throw new IllegalArgumentException("layer mtime " + mtime + " is outside 1970..6429");
    this.mtime = s;
  }

  /**
   * The mtime for reproducible builds: {@code SOURCE_DATE_EPOCH} (seconds since the epoch, as
   * reproducible-builds.org defines it) when set, else {@link #DEFAULT_MTIME}.
   *
   * @param env the environment, usually {@code System.getenv()}
   * @throws IllegalArgumentException when the variable is set but not a non-negative integer
   */
  public static Instant mtimeFromEnvironment(Map<String, String> env) {
    String v = env.get("SOURCE_DATE_EPOCH");
    if (v == null || v.isBlank()) return DEFAULT_MTIME;
    try {
      long s = Long.parseLong(v.trim());
      if (s < 0) throw new NumberFormatException();
      return Instant.ofEpochSecond(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH must be a non-negative whole number of seconds");
    }
  }

  /** Adds a regular file whose content is a host file (read when the layer is built). */
  public ReproducibleLayerBuilder file(String path, Path hostFile, int mode, long uid, long gid)
      throws IOException {
    long size = Files.size(hostFile);
    return file(path, size, () -> Files.newInputStream(hostFile), mode, uid, gid);
  }

  /** Adds a regular file with the given bytes. */
  public ReproducibleLayerBuilder file(String path, byte[] content, int mode, long uid, long gid) {
    byte[] copy = content.clone();
    return file(path, copy.length, () -> new ByteArrayInputStream(copy), mode, uid, gid);
  }

  /**
   * Adds a regular file of {@code size} bytes read from {@code source} when the layer is built; the
   * build fails if the source gives a different number of bytes.
   */
  public ReproducibleLayerBuilder file(
      String path, long size, ContentSource source, int mode, long uid, long gid) {
    if (size < 0) throw new IllegalArgumentException("negative size for " + path);
    return put(
        path,
        new Spec(
            EntryType.FILE,
            checkMode(mode),
            checkId(uid),
            checkId(gid),
            size,
            source,
            null,
            0,
            0,
            Map.of()));
  }

  /**
   * Adds a directory with explicit attributes (also overriding the implicit {@code 0755 0:0} of a
   * parent).
   */
  public ReproducibleLayerBuilder directory(String path, int mode, long uid, long gid) {
    return put(
        path,
        new Spec(
            EntryType.DIR,
            checkMode(mode),
            checkId(uid),
            checkId(gid),
            0,
            null,
            null,
            0,
            0,
            Map.of()));
  }

  /**
   * Adds a symbolic link (mode {@code 0777}); the target is written as given, relative or absolute.
   */
  public ReproducibleLayerBuilder symlink(String path, String target, long uid, long gid) {
    if (target == null || target.isEmpty() || target.indexOf('\0') >= 0)
      throw new IllegalArgumentException("invalid symlink target for " + path);
    return put(
        path,
        new Spec(
            EntryType.SYMLINK, 0777, checkId(uid), checkId(gid), 0, null, target, 0, 0, Map.of()));
  }

  /**
   * Adds a hard link to a regular file (or another hard link) added to this builder; it shares the
   * file's content, mode and owner.
   */
  public ReproducibleLayerBuilder hardlink(String path, String target) {
    return put(path, new Spec(EntryType.HARDLINK, 0, 0, 0, 0, null, norm(target), 0, 0, Map.of()));
  }

  /** Adds a character or block device, or a FIFO (major/minor ignored for FIFOs). */
  public ReproducibleLayerBuilder special(
      String path, EntryType type, int mode, long uid, long gid, int major, int minor) {
    if (type != EntryType.CHAR_DEVICE && type != EntryType.BLOCK_DEVICE && type != EntryType.FIFO) {
      throw new IllegalArgumentException("not a device or FIFO type: " + type);
    }
    boolean dev = type != EntryType.FIFO;
    if (major < 0 || minor < 0 || major > 07777777 || minor > 07777777)
      throw new IllegalArgumentException("device number out of range");
    return put(
        path,
        new Spec(
            type,
            checkMode(mode),
            checkId(uid),
            checkId(gid),
            0,
            null,
            null,
            dev ? major : 0,
            dev ? minor : 0,
            Map.of()));
  }

  /**
   * Sets extended attributes of an entry already added, written as PAX {@code SCHILY.xattr.*}
   * records. Values are raw bytes as ISO-8859-1 characters, as {@link TarEntry#xattrs()} gives
   * them.
   */
  public ReproducibleLayerBuilder xattrs(String path, Map<String, String> xattrs) {
    String n = norm(path);
    Spec s = entries.get(n);
    if (s == null)
      throw new IllegalArgumentException("no entry " + TarEntries.quote(n) + " to set xattrs on");
    for (String k : xattrs.keySet()) {
      if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0)
        throw new IllegalArgumentException("invalid xattr name " + TarEntries.quote(k));
    }
    entries.put(n, s.withXattrs(Map.copyOf(xattrs)));
    return this;
  }

  /** Adds a whiteout deleting {@code path} (and what lies below it) from lower layers. */
  public ReproducibleLayerBuilder whiteout(String path) {
    return put(Whiteouts.whiteoutFor(norm(path)), WHITEOUT);
  }

  /** Marks a directory opaque: its lower-layer children are hidden. */
  public ReproducibleLayerBuilder opaque(String dir) {
    return put(Whiteouts.opaqueFor(norm(dir)), WHITEOUT);
  }

  /**
   * Adds a host directory tree under {@code containerDir}, not following symlinks. Modes are
   * reduced to what survives a Git checkout under any umask: {@code 0755} for directories and
   * owner-executable files, {@code 0644} for other files. Sockets and devices are rejected.
   */
  public ReproducibleLayerBuilder tree(String containerDir, Path hostDir, long uid, long gid)
      throws IOException {
    HostTree.add(this, norm(containerDir), hostDir, uid, gid);
    return this;
  }

  /** Number of entries added so far (implicit parents not counted). */
  public int size() {
    return entries.size();
  }

  /**
   * The entries {@link #build} writes, in archive order, as a tar reader would give them back
   * (implicit parents included): the layer's tree without writing or reading it.
   *
   * @throws IllegalArgumentException for inconsistent entries, as {@link #build} does
   */
  public List<TarEntry> entries() {
    Instant when = Instant.ofEpochSecond(mtime);
    List<TarEntry> out = new java.util.ArrayList<>();
    for (Map.Entry<String, Spec> e : LayerPlan.plan(entries, IMPLICIT_DIR).entrySet()) {
      Spec s = e.getValue();
      out.add(
          new TarEntry(
              e.getKey(),
              s.type(),
              s.mode(),
              s.uid(),
              s.gid(),
              s.type() == EntryType.FILE ? s.size() : 0,
              s.link(),
              s.xattrs(),
              when,
              s.major(),
              s.minor()));
    }
    return out;
  }

  /**
   * Writes the layer to a new temporary file in {@code directory}.
   *
   * @throws IOException on I/O errors or when a file source gives a different size than declared
   * @throws IllegalArgumentException for inconsistent entries (a file used as a parent, a hard link
   *     to nothing)
   */
  public BuiltLayer build(Path directory, LayerFormat format) throws IOException {
    TreeMap<String, Spec> all = LayerPlan.plan(entries, IMPLICIT_DIR);
    String suffix =
        switch (format.compression()) {
          case GZIP -> ".tar.gz";
          case ZSTD -> ".tar.zst";
          case NONE -> ".tar";
        };
    Path tmp = Files.createTempFile(directory, "layer-", suffix);
    try {
      DigestingOutputStream blob =
          new DigestingOutputStream(
              new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 256 * 1024));
      java.io.OutputStream compressed =
          switch (format.compression()) {
            case GZIP -> new ParallelGzipOutputStream(blob, format.level());
            case ZSTD -> new ChunkingOutputStream(zstd(blob, format.level()), 128 * 1024);
            case NONE -> blob;
          };
      DigestingOutputStream tarOut = new DigestingOutputStream(compressed);
      TarWriter w = new TarWriter(tarOut, mtime);
      for (Map.Entry<String, Spec> e : all.entrySet()) {
        Spec s = e.getValue();
        TarWriter.Header h =
            new TarWriter.Header(
                e.getKey(),
                s.type(),
                s.mode(),
                s.uid(),
                s.gid(),
                s.size(),
                s.link(),
                s.major(),
                s.minor(),
                s.xattrs());
        if (s.type() == EntryType.FILE && s.size() > 0) {
          try (InputStream in =
              Objects.requireNonNull(s.source(), "a file entry has a content source").open()) {
            w.write(h, in, "layer builder");
          }
        } else {
          w.write(h, InputStream.nullInputStream(), "layer builder");
        }
      }
      w.finish();
      Digest diffId = tarOut.digest();
      long uncompressed = tarOut.count();
      tarOut.close();
      Digest digest =
          format.compression() == dev.caulk.spec.MediaType.Compression.NONE
              ? diffId
              : blob.digest();
      long size = blob.count();
      Descriptor d = Descriptor.of(format.mediaType(), digest, size);
      return new BuiltLayer(
          Layers.fromFile(tmp, d, diffId),
          tmp,
          digest,
          diffId,
          size,
          uncompressed,
          format.mediaType(),
          all.size());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  private static java.io.OutputStream zstd(java.io.OutputStream out, int level) throws IOException {
    com.github.luben.zstd.ZstdOutputStream z =
        new com.github.luben.zstd.ZstdOutputStream(out, level);
    z.setChecksum(true);
    return z;
  }

  private ReproducibleLayerBuilder put(String path, Spec spec) {
    String n = norm(path);
    if (n.isEmpty() && spec.type() != EntryType.DIR)
      throw new IllegalArgumentException("the root can only be a directory");
    if (entries.putIfAbsent(n, spec) != null)
      throw new IllegalArgumentException("path " + TarEntries.quote("/" + n) + " added twice");
    return this;
  }

  static String norm(String path) {
    try {
      return TarEntries.normalize(path, "layer builder");
    } catch (InvalidLayerException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static int checkMode(int mode) {
    if (mode < 0 || mode > 07777)
      throw new IllegalArgumentException(
          "mode " + Integer.toOctalString(mode) + " is not within 07777");
    return mode;
  }

  private static long checkId(long id) {
    if (id < 0) throw new IllegalArgumentException("negative uid/gid " + id);
    return id;
  }

  /** Paths added, for {@link HostTree} duplicate checks. */
  Set<String> paths() {
    return new HashSet<>(entries.keySet());
  }

  static List<String> components(String name) {
    return name.isEmpty() ? List.of() : List.of(name.split("/"));
  }
}
