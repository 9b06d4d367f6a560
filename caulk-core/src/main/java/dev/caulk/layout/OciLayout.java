package dev.caulk.layout;

import com.google.re2j.Pattern;
import dev.caulk.digest.Digest;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.OciConversion;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * An OCI image layout directory (image-layout.md), the {@code oci:DIR[:TAG]} location.
 *
 * <p>A layout is {@code oci-layout} (the version marker), {@code index.json} (an image index whose
 * entries are tagged with the {@code org.opencontainers.image.ref.name} annotation) and
 * content-addressed {@code blobs/<alg>/<hex>}. Several tagged images can share one layout and its
 * blobs. Reading verifies every blob (through {@link Images}); writing copies the missing blobs
 * first and then replaces {@code index.json} in one atomic rename, so a failed write leaves the
 * tags as they were (at worst with unreferenced blobs, which the spec allows).
 *
 * <p>Blob paths are built from validated digests only, and every file is checked to resolve inside
 * the layout, so a hostile layout cannot make caulk read or write outside it.
 */
public final class OciLayout {
  /** The annotation that tags an {@code index.json} entry (annotations.md). */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** The layout version caulk writes and reads (image-layout.md, "oci-layout file"). */
  public static final String LAYOUT_VERSION = "1.0.0";

  private static final int MAX_LAYOUT_FILE = 64 * 1024;

  /**
   * image-layout.md's grammar for {@code ref.name}: components of alphanumerics joined by
   * separators.
   */
  private static final Pattern REF =
      Pattern.compile(
          "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*");

  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final LayoutFiles files;
  private final String what;

  private OciLayout(Path dir, Path root) {
    this.dir = dir;
    this.what = "oci layout " + dir;
    this.files = new LayoutFiles(root, what);
  }

  /**
   * Opens an existing layout, checking its {@code oci-layout} marker.
   *
   * @throws InvalidLayoutException when {@code dir} is not a layout of version 1.x
   */
  public static OciLayout open(Path dir) throws IOException {
    if (!Files.isDirectory(dir))
      throw new InvalidLayoutException("oci layout " + dir + ": no such directory");
    OciLayout layout = new OciLayout(dir, dir.toRealPath());
    layout.checkMarker();
    return layout;
  }

  /**
   * Opens the layout at {@code dir}, creating it (directory, {@code oci-layout}, an empty {@code
   * index.json}) when it does not exist yet. A non-empty directory that is not a layout is refused
   * rather than turned into one.
   */
  public static OciLayout create(Path dir) throws IOException {
    Files.createDirectories(dir);
    OciLayout layout = new OciLayout(dir, dir.toRealPath());
    Path marker = layout.files.root().resolve("oci-layout");
    if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      try (var entries = Files.list(layout.files.root())) {
        if (entries.anyMatch(
            p -> !p.getFileName().toString().startsWith(LayoutFiles.TEMP_PREFIX))) {
          throw new InvalidLayoutException(
              layout.what
                  + ": directory is not empty and has no oci-layout file; refusing to turn it into a layout");
        }
      }
      layout.files.writeAtomically(
          layout.files.root().resolve("index.json"),
          SpecJson.write(Index.of(MediaType.OCI_INDEX, List.of())));
      layout.files.writeAtomically(
          marker,
          ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    layout.checkMarker();
    return layout;
  }

  /** The directory as given. */
  public Path dir() {
    return dir;
  }

  /** The parsed {@code index.json} (bounded to 4 MiB). */
  public Index index() throws IOException {
    byte[] raw =
        files.readSmall(
            files.root().resolve("index.json"), "index.json", SpecJson.MAX_MANIFEST_BYTES);
    return SpecJson.index(raw, what + ": index.json");
  }

  /** The tags ({@code ref.name} annotations) of the index's entries, in index order. */
  public List<String> tags() throws IOException {
    List<String> tags = new ArrayList<>();
    for (Descriptor d : index().manifests()) {
      String t = d.annotation(REF_NAME);
      if (t != null && !tags.contains(t)) tags.add(t);
    }
    return tags;
  }

  /**
   * Reads the image or index tagged {@code tag}; with a null tag, the layout's only entry.
   *
   * @throws InvalidLayoutException naming the tags on offer when the tag is absent or, for a null
   *     tag, when the layout holds several entries
   */
  public Artifact read(String tag) throws IOException {
    if (tag != null && tag.startsWith("@")) return readDigest(tag.substring(1));
    Descriptor d = find(index().manifests(), tag);
    String name = what + (tag == null ? "" : ":" + tag);
    byte[] raw = Images.readBlob(blobs(), d, SpecJson.MAX_MANIFEST_BYTES, name + ": manifest");
    return Images.open(raw, d.mediaType(), blobs(), name);
  }

  /**
   * Reads the manifest or index with this digest: an {@code index.json} entry, a child of an index
   * in the layout (a platform image of a multi-platform one, an artifact), or any manifest blob.
   */
  private Artifact readDigest(String digest) throws IOException {
    Digest wanted;
    try {
      wanted = Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new InvalidLayoutException(
          what + ": invalid digest '" + clip(digest) + "': " + e.getMessage());
    }
    String name = what + "@" + wanted.shortString();
    Descriptor d = findDigest(index().manifests(), wanted, 0);
    if (d == null) {
      Path real = files.existing(files.blobPath(wanted), "blob " + wanted.shortString());
      if (real == null)
        throw new InvalidLayoutException(
            what + ": no manifest or blob " + wanted.shortString() + " in the layout");
      long size = Files.size(real);
      if (size > SpecJson.MAX_MANIFEST_BYTES)
        throw new InvalidLayoutException(name + ": blob of " + size + " bytes is not a manifest");
      d = Descriptor.of(null, wanted, size);
    }
    byte[] raw = Images.readBlob(blobs(), d, SpecJson.MAX_MANIFEST_BYTES, name + ": manifest");
    return Images.open(raw, d.mediaType(), blobs(), name);
  }

  private @Nullable Descriptor findDigest(List<Descriptor> entries, Digest wanted, int depth)
      throws IOException {
    if (depth > 8) return null;
    for (Descriptor d : entries) if (d.digest().equals(wanted)) return d;
    for (Descriptor d : entries) {
      if (!MediaType.isIndex(d.mediaType())
          || files.existing(files.blobPath(d.digest()), "blob " + d.digest().shortString()) == null)
        continue;
      byte[] raw =
          Images.readBlob(
              blobs(),
              d,
              SpecJson.MAX_MANIFEST_BYTES,
              what + ": index " + d.digest().shortString());
      Descriptor found =
          findDigest(
              SpecJson.index(raw, what + ": index " + d.digest().shortString()).manifests(),
              wanted,
              depth + 1);
      if (found != null) return found;
    }
    return null;
  }

  /** True when the layout holds a blob with this digest (inside the layout, a regular file). */
  public boolean hasBlob(Digest digest) throws IOException {
    return files.existing(files.blobPath(digest), "blob " + digest.shortString()) != null;
  }

  /**
   * The layout's blobs as a {@link BlobSource}: a missing blob, or one that resolves outside the
   * layout, is a clear {@link InvalidLayoutException}. Streams are not verified here; {@link
   * Images} verifies what it reads.
   */
  public BlobSource blobs() {
    return d -> {
      String label = "blob " + d.digest().shortString();
      Path real = files.existing(files.blobPath(d.digest()), label);
      if (real == null)
        throw new InvalidLayoutException(
            what + ": " + label + " is missing (named by a descriptor, not in blobs/)");
      return Files.newInputStream(real);
    };
  }

  /** {@link #write(Artifact, String, EventListener, boolean)} converting Docker media types. */
  public Digest write(Artifact artifact, @Nullable String tag, @Nullable EventListener listener)
      throws IOException {
    return write(artifact, tag, listener, false);
  }

  /**
   * Writes an image or index and tags it: every blob the layout lacks is streamed in (verified,
   * through a temp file and a rename), child manifests before their index, and only then is {@code
   * index.json} replaced atomically. An existing entry with the same tag is replaced; other entries
   * are kept. A null tag adds an untagged entry.
   *
   * <p>A layout holds OCI images: a Docker v2 schema 2 image or manifest list is converted to OCI
   * media types as skopeo converts it ({@link OciConversion}), which gives it a new digest; the
   * listener is told both digests. With {@code preserveDigests} the conversion is refused instead.
   *
   * @param listener receives progress per blob and the conversion warning; may be null
   * @return the digest of the written manifest or index
   */
  public Digest write(
      Artifact artifact,
      @Nullable String tag,
      @Nullable EventListener listener,
      boolean preserveDigests)
      throws IOException {
    Descriptor d = writeBlobs(artifact, tag, listener, preserveDigests);
    updateIndex(List.of(new Entry(d, tag)));
    return d.digest();
  }

  /**
   * Writes several images, each as {@link #write(Artifact, String, EventListener, boolean)} does,
   * with one update of {@code index.json} at the end instead of one per image (a build of many
   * services); {@code index.json} is left as it is when it already says exactly that. The entries
   * are applied in order, so a later one replaces an earlier one with its tag.
   *
   * @return the digests written, in order
   */
  public List<Digest> writeAll(
      List<Tagged> images, @Nullable EventListener listener, boolean preserveDigests)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<Digest> out = new ArrayList<>();
    for (Tagged t : images) {
      Descriptor d = writeBlobs(t.artifact(), t.tag(), listener, preserveDigests);
      entries.add(new Entry(d, t.tag()));
      out.add(d.digest());
    }
    updateIndex(entries);
    return out;
  }

  /** An image to {@link #writeAll} and its tag (null: untagged). */
  public record Tagged(Artifact artifact, @Nullable String tag) {}

  /** An entry for {@code index.json} and the tag it replaces (null: untagged). */
  private record Entry(Descriptor entry, @Nullable String tag) {}

  /** Checks the tag, writes the blobs and returns the entry for {@code index.json}. */
  private Descriptor writeBlobs(
      Artifact artifact,
      @Nullable String tag,
      @Nullable EventListener listener,
      boolean preserveDigests)
      throws IOException {
    Objects.requireNonNull(artifact, "artifact");
    if (tag != null && !REF.matcher(tag).matches()) {
      String hint =
          tag.startsWith("@")
              ? " (a digest names what is there; write with a tag, or none)"
              : " (image-layout.md ref.name grammar)";
      throw new InvalidLayoutException(what + ": invalid tag '" + clip(tag) + "'" + hint);
    }
    if (OciConversion.needed(artifact)) {
      Digest before = artifact.digest();
      if (preserveDigests) {
        throw new InvalidLayoutException(
            what
                + ": "
                + before.shortString()
                + " has Docker media types; an OCI layout holds OCI images"
                + " and converting changes the digest, which --preserve-digests forbids (write docker-archive: or a registry to keep it)");
      }
      artifact = OciConversion.toOci(artifact);
      if (listener != null) {
        listener.warn(
            what
                + ": converted Docker media types to OCI, so the digest changed: "
                + before
                + " -> "
                + artifact.digest());
      }
    }
    LayoutWriter writer = new LayoutWriter(files, listener, what);
    Image image = artifact.image();
    Descriptor d =
        image != null
            ? writer.writeImage(image, null)
            : writer.writeIndex(
                Objects.requireNonNull(artifact.index(), "an artifact holds an image or an index"),
                null,
                0);
    if (tag != null) d = d.withAnnotations(Map.of(REF_NAME, tag));
    return d;
  }

  private void updateIndex(List<Entry> entries) throws IOException {
    ReentrantLock jvmLock = LOCKS.computeIfAbsent(files.root(), p -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel ch =
        FileChannel.open(files.root().resolve("oci-layout"), StandardOpenOption.WRITE)) {
      FileLock lock = ch.lock(); // released when the channel closes; serialises caulk processes
      if (!lock.isValid()) throw new IOException(what + ": could not lock oci-layout");
      Path indexFile = files.root().resolve("index.json");
      byte[] raw = files.readSmall(indexFile, "index.json", SpecJson.MAX_MANIFEST_BYTES);
      Index current = SpecJson.index(raw, what + ": index.json");
      List<Descriptor> kept = new ArrayList<>(current.manifests());
      for (Entry e : entries) {
        String tag = e.tag();
        kept.removeIf(
            d -> {
              String t = d.annotation(REF_NAME);
              return tag != null
                  ? tag.equals(t)
                  : t == null && d.digest().equals(e.entry().digest());
            });
        kept.add(e.entry());
      }
      Index next =
          new Index(
              2,
              MediaType.OCI_INDEX,
              current.artifactType(),
              kept,
              current.subject(),
              current.annotations());
      byte[] json = SpecJson.write(next);
      if (json.length > SpecJson.MAX_MANIFEST_BYTES) {
        // What is written must read back: index.json is held to the same bound as when it is read.
        throw new InvalidLayoutException(
            what
                + ": index.json would grow to "
                + json.length
                + " bytes with "
                + kept.size()
                + " entries, more than the "
                + SpecJson.MAX_MANIFEST_BYTES
                + " bytes caulk reads back; remove tags or write another layout");
      }
      if (!Arrays.equals(json, raw)) {
        files.writeAtomically(indexFile, json); // unchanged (a rebuild): the file is left alone
      }
    } finally {
      jvmLock.unlock();
    }
  }

  private Descriptor find(List<Descriptor> entries, String tag) throws InvalidLayoutException {
    if (tag == null) {
      if (entries.size() == 1) return entries.get(0);
      if (entries.isEmpty()) throw new InvalidLayoutException(what + ": index.json has no entries");
      throw new InvalidLayoutException(
          what
              + ": holds "
              + entries.size()
              + " entries; name one of the tags: "
              + tagList(entries));
    }
    for (Descriptor d : entries) {
      if (tag.equals(d.annotation(REF_NAME))) return d;
    }
    throw new InvalidLayoutException(
        what + ": no entry tagged '" + clip(tag) + "' (tags: " + tagList(entries) + ")");
  }

  private static String tagList(List<Descriptor> entries) {
    Map<String, Boolean> tags = new LinkedHashMap<>();
    int untagged = 0;
    for (Descriptor d : entries) {
      String t = d.annotation(REF_NAME);
      if (t == null) untagged++;
      else tags.put(clip(t), true);
    }
    String s = tags.isEmpty() ? "none" : String.join(", ", tags.keySet());
    return untagged == 0 ? s : s + "; " + untagged + " untagged";
  }

  private void checkMarker() throws IOException {
    byte[] raw = files.readSmall(files.root().resolve("oci-layout"), "oci-layout", MAX_LAYOUT_FILE);
    var node = SpecJson.tree(raw, what + ": oci-layout");
    String version = node.path("imageLayoutVersion").asText("");
    if (!version.equals(LAYOUT_VERSION) && !version.startsWith("1.")) {
      throw new InvalidLayoutException(
          what + ": unsupported imageLayoutVersion '" + clip(version) + "' (caulk reads 1.x)");
    }
    if (!Files.exists(files.root().resolve("index.json"), LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidLayoutException(what + ": index.json is missing");
    }
  }

  private static String clip(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
