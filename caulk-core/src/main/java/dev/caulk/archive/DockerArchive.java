package dev.caulk.archive;

import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.name.InvalidReferenceException;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.SpecJson;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code docker save} archive, the {@code docker-archive:FILE[:REF]} location.
 *
 * <p>Reading indexes the tar's headers once ({@link #open}) and then serves every blob by a
 * positioned, bounded read of the file, verified by {@link Images}. It understands the classic
 * format ({@code manifest.json} naming {@code <id>/layer.tar} and {@code <sha>.json}, as docker
 * before 25 and skopeo write it), Docker 25+'s OCI layout inside the tar, and a plain OCI layout
 * tar (no {@code manifest.json}). Writing ({@link #write}) produces one tar that is both.
 *
 * <p>Not thread-safe to close while reading; reads themselves may run in parallel.
 */
public final class DockerArchive implements Closeable {
  /** containerd's annotation for an image's full name in {@code index.json}. */
  public static final String IMAGE_NAME_ANNOTATION = "io.containerd.image.name";

  /** The OCI tag annotation, the tag alone in Docker's archives. */
  public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";

  private static final int MAX_MANIFEST_JSON = 16 * 1024 * 1024;

  /**
   * One image to write and the reference it is saved under ({@code RepoTags}); a null reference (or
   * one without a tag) saves it untagged.
   */
  public record Entry(Image image, Reference ref) {
    public Entry {
      Objects.requireNonNull(image, "image");
    }
  }

  private final TarIndex tar;
  private final @Nullable List<ManifestEntry> manifest;
  private final @Nullable Index index;
  private final ArchiveImages images;
  private final String what;

  private DockerArchive(
      TarIndex tar, @Nullable List<ManifestEntry> manifest, @Nullable Index index, String what) {
    this.tar = tar;
    this.manifest = manifest;
    this.index = index;
    this.what = what;
    this.images = new ArchiveImages(tar, index, what);
  }

  /**
   * Indexes the archive: every tar header is checked (no path escapes, links out, duplicates or
   * entries past the end of the file) and {@code manifest.json} / {@code index.json} are parsed.
   */
  public static DockerArchive open(Path file) throws IOException {
    String what = "docker-archive " + file;
    if (!Files.isRegularFile(file)) throw new InvalidArchiveException(what + ": no such file");
    TarIndex tar = TarIndex.open(file, what);
    try {
      List<ManifestEntry> manifest = null;
      TarIndex.Entry m = tar.file("manifest.json", "manifest.json");
      if (m != null) {
        byte[] raw = tar.read(m, MAX_MANIFEST_JSON, "manifest.json");
        if (!SpecJson.tree(raw, what + ": manifest.json").isArray()) {
          throw new InvalidArchiveException(
              what + ": manifest.json: invalid JSON: expected an array of images");
        }
        ManifestEntry[] parsed =
            SpecJson.read(raw, ManifestEntry[].class, what + ": manifest.json");
        for (int i = 0; i < parsed.length; i++) {
          if (parsed[i] == null || parsed[i].config() == null) {
            throw new InvalidArchiveException(
                what + ": manifest.json entry " + i + " has no Config");
          }
        }
        manifest = List.of(parsed);
      }
      Index index = null;
      TarIndex.Entry ij = tar.file("index.json", "index.json");
      if (ij != null && tar.contains("oci-layout")) {
        index =
            SpecJson.index(
                tar.read(ij, SpecJson.MAX_MANIFEST_BYTES, "index.json"), what + ": index.json");
      }
      if (manifest == null && index == null) {
        throw new InvalidArchiveException(
            what + ": has neither manifest.json nor an OCI index.json; not an image archive");
      }
      return new DockerArchive(tar, manifest, index, what);
    } catch (IOException | RuntimeException e) {
      tar.close();
      throw e;
    }
  }

  /** The tags the archive holds, as written ({@code RepoTags}, or index.json's image names). */
  public List<String> repoTags() {
    List<String> tags = new ArrayList<>();
    if (manifest != null) {
      for (ManifestEntry e : manifest) tags.addAll(e.tags());
    } else {
      for (Descriptor d : indexPresent().manifests()) {
        String n = d.annotation(IMAGE_NAME_ANNOTATION);
        if (n != null) tags.add(n);
      }
    }
    return tags;
  }

  /**
   * Reads one image.
   *
   * @param ref a tag such as {@code alpine:3} or {@code ghcr.io/o/r:v1} (matched against {@code
   *     RepoTags} after normalisation, so {@code alpine} matches {@code
   *     docker.io/library/alpine:latest}), {@code @N} for the N-th image (0-based, as skopeo's
   *     {@code @source-index}), or null for the archive's only image
   * @throws InvalidArchiveException naming what the archive holds when the choice fails
   */
  public Artifact read(String ref) throws IOException {
    if (manifest != null) {
      int i = select(ref, manifest.size());
      String name = what + ":" + (ref == null ? "@" + i : ref);
      return Artifact.of(images.image(manifest.get(i), wanted(ref), name));
    }
    int i = select(ref, indexPresent().manifests().size());
    Descriptor d = indexPresent().manifests().get(i);
    String name = what + ":" + (ref == null ? "@" + i : ref);
    var blobs = images.blobs(Map.of());
    byte[] raw = Images.readBlob(blobs, d, SpecJson.MAX_MANIFEST_BYTES, name + ": manifest");
    return Images.open(raw, d.mediaType(), blobs, name);
  }

  /**
   * Writes the images to one archive at {@code file}, replacing it atomically (see the class
   * comment).
   */
  public static void write(Path file, List<Entry> images, @Nullable EventListener listener)
      throws IOException {
    new ArchiveWriter("docker-archive " + file, listener).write(file, List.copyOf(images));
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  private int select(String ref, int count) throws InvalidArchiveException {
    if (count == 0) throw new InvalidArchiveException(what + ": holds no images");
    if (ref == null) {
      if (count == 1) return 0;
      throw new InvalidArchiveException(
          what + ": holds " + count + " images; name one: " + listing());
    }
    if (ref.startsWith("@")) {
      int i;
      try {
        i = Integer.parseInt(ref.substring(1));
      } catch (NumberFormatException e) {
        throw new InvalidArchiveException(
            what + ": invalid image index '" + TarIndex.clip(ref) + "'");
      }
      if (i < 0 || i >= count)
        throw new InvalidArchiveException(
            what + ": no image @" + i + "; the archive holds " + count);
      return i;
    }
    Reference wanted = wanted(ref);
    for (int i = 0; i < count; i++) {
      for (String t : tagsOf(i)) {
        if (wanted != null && DockerNames.sameTag(t, wanted)) return i;
      }
      if (manifest == null
          && ref.equals(indexPresent().manifests().get(i).annotation(REF_NAME_ANNOTATION)))
        return i;
    }
    throw new InvalidArchiveException(
        what + ": no image tagged '" + TarIndex.clip(ref) + "' (has: " + listing() + ")");
  }

  private @Nullable Reference wanted(@Nullable String ref) throws InvalidArchiveException {
    if (ref == null || ref.startsWith("@")) return null;
    try {
      Reference r = Reference.parse(ref);
      if (r.digest() != null)
        throw new InvalidArchiveException(
            what + ": name an image in an archive by tag or @N, not by digest");
      return r;
    } catch (InvalidReferenceException e) {
      if (manifest == null) return null;
      throw new InvalidArchiveException(what + ": " + e.getMessage());
    }
  }

  /**
   * The OCI index, when there is no manifest.json: {@link #open} refuses an archive with neither.
   */
  private Index indexPresent() {
    return Objects.requireNonNull(index, "an archive without manifest.json has an OCI index");
  }

  private List<String> tagsOf(int i) {
    if (manifest != null) return manifest.get(i).tags();
    String n = indexPresent().manifests().get(i).annotation(IMAGE_NAME_ANNOTATION);
    return n == null ? List.of() : List.of(n);
  }

  private String listing() {
    int count = manifest != null ? manifest.size() : indexPresent().manifests().size();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < count && parts.size() < 20; i++) {
      List<String> tags = tagsOf(i);
      parts.add(
          tags.isEmpty()
              ? "@" + i + " (untagged)"
              : "@" + i + " " + TarIndex.clip(String.join(" ", tags)));
    }
    if (count > parts.size()) parts.add("…");
    return String.join(", ", parts);
  }
}
