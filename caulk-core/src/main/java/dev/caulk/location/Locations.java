package dev.caulk.location;

import dev.caulk.archive.DockerArchive;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.layout.OciLayout;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.registry.Remote;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Opens and writes images at any {@link ImageLocation}: the sources and sinks of every verb.
 * Registry options (credentials, TLS, retries, the event listener) apply to registry locations;
 * the listener also hears about layout and archive writes.
 */
public final class Locations {
  private Locations() {}

  /** What the location holds: an image or an index. */
  public static Artifact open(ImageLocation location, RegistryOptions options) throws IOException {
    if (location instanceof ImageLocation.Registry r) return Remote.open(r.reference(), options);
    if (location instanceof ImageLocation.OciLayout l) {
      if (!Files.isDirectory(l.dir())) throw new java.nio.file.NoSuchFileException(l.dir().toString(), null, "no OCI layout there");
      return OciLayout.open(l.dir()).read(l.tag());
    }
    ImageLocation.DockerArchive a = (ImageLocation.DockerArchive) location;
    // The archive's blobs are read through positioned reads of its own file channel, opened on
    // demand, so the index built here is all that stays in memory; the handle closes with the JVM.
    return DockerArchive.open(a.file()).read(a.reference());
  }

  /** {@link #write(Artifact, ImageLocation, RegistryOptions, boolean)}, converting for OCI layouts as needed. */
  public static Digest write(Artifact artifact, ImageLocation location, RegistryOptions options) throws IOException {
    return write(artifact, location, options, false);
  }

  /**
   * Writes an image or index and returns the digest of what was written (the manifest's, or the
   * index's). A registry target without tag uses the source's digest. Registries and archives keep
   * what they are given; an OCI layout holds OCI images, so a Docker-format image is converted
   * (a new digest) unless {@code preserveDigests}, which makes that an error.
   */
  public static Digest write(Artifact artifact, ImageLocation location, RegistryOptions options, boolean preserveDigests) throws IOException {
    if (location instanceof ImageLocation.Registry r) return Remote.write(artifact, r.reference(), options);
    if (location instanceof ImageLocation.OciLayout l) {
      return OciLayout.create(l.dir()).write(artifact, l.tag(), options.listener(), preserveDigests);
    }
    ImageLocation.DockerArchive a = (ImageLocation.DockerArchive) location;
    if (artifact.isIndex()) {
      throw new IOException("docker-archive holds single images, not an index: pick one with --platform (or write oci:DIR for the whole index)");
    }
    DockerArchive.write(a.file(), List.of(new DockerArchive.Entry(artifact.image(), archiveReference(a))), options.listener());
    return artifact.digest();
  }

  /** Writes several images into one {@code docker save} archive, each under its reference. */
  public static void writeArchive(java.nio.file.Path file, java.util.Map<Reference, Artifact> images, RegistryOptions options) throws IOException {
    List<DockerArchive.Entry> entries = new java.util.ArrayList<>();
    for (var e : images.entrySet()) {
      if (e.getValue().isIndex()) throw new IOException("docker-archive holds single images, not an index (" + e.getKey() + ")");
      entries.add(new DockerArchive.Entry(e.getValue().image(), e.getKey()));
    }
    DockerArchive.write(file, entries, options.listener());
  }

  /** Tags of a registry repository, of an OCI layout, or the references in an archive. */
  public static List<String> tags(ImageLocation location, RegistryOptions options) throws IOException {
    if (location instanceof ImageLocation.Registry r) return Remote.tags(r.reference(), options);
    if (location instanceof ImageLocation.OciLayout l) return OciLayout.open(l.dir()).tags();
    try (DockerArchive a = DockerArchive.open(((ImageLocation.DockerArchive) location).file())) {
      return a.repoTags();
    }
  }

  /** How a location is printed before {@code @digest} on stdout. */
  public static String describe(ImageLocation location) {
    if (location instanceof ImageLocation.Registry r) {
      Reference ref = r.reference();
      return ref.name() + (ref.tag() != null ? ":" + ref.tag() : "");
    }
    return location.toString();
  }

  private static Reference archiveReference(ImageLocation.DockerArchive a) {
    if (a.reference() == null || a.reference().startsWith("@")) return null;
    return Reference.parse(a.reference());
  }
}
