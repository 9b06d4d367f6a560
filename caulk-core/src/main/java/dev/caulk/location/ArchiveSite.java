package dev.caulk.location;

import dev.caulk.archive.DockerArchive;
import dev.caulk.digest.Digest;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.name.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a {@link ImageLocation.DockerArchive} is read and written: through {@link DockerArchive}. */
final class ArchiveSite {
  private ArchiveSite() {}

  static Artifact open(Path file, String reference) throws IOException {
    // The archive's blobs are read through positioned reads of its own file channel, opened on
    // demand, so the index built here is all that stays in memory; the handle closes with the JVM.
    return DockerArchive.open(file).read(reference);
  }

  static Optional<Artifact> openIfPresent(Path file, String reference) throws IOException {
    return Files.isRegularFile(file) ? Optional.of(open(file, reference)) : Optional.empty();
  }

  /** Writes one image; {@code reference} null writes it untagged. */
  static Digest write(Artifact artifact, Path file, Reference reference, EventListener listener)
      throws IOException {
    if (artifact.isIndex()) {
      throw new IOException(
          "docker-archive holds single images, not an index: pick one with --platform"
              + " (or write oci:DIR for the whole index)");
    }
    DockerArchive.write(
        file, List.of(new DockerArchive.Entry(artifact.image(), reference)), listener);
    return artifact.digest();
  }

  static void writeAll(Path file, List<ImageLocation.Named> images, EventListener listener)
      throws IOException {
    List<DockerArchive.Entry> entries = new ArrayList<>();
    for (ImageLocation.Named n : images) {
      if (n.artifact().isIndex()) {
        throw new IOException(
            "docker-archive holds single images, not an index (" + n.reference() + ")");
      }
      entries.add(new DockerArchive.Entry(n.artifact().image(), n.reference()));
    }
    DockerArchive.write(file, entries, listener);
  }

  static List<String> tags(Path file) throws IOException {
    try (DockerArchive a = DockerArchive.open(file)) {
      return a.repoTags();
    }
  }
}
