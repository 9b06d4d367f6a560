package dev.caulk.location;

import dev.caulk.digest.Digest;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a {@link ImageLocation.OciLayout} is read and written: through {@link OciLayout}. */
final class LayoutSite {
  private LayoutSite() {}

  static Artifact open(Path dir, String tag) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no OCI layout there");
    }
    return OciLayout.open(dir).read(tag);
  }

  /** Empty when the directory is missing or holds no entry tagged {@code tag}. */
  static Optional<Artifact> openIfPresent(Path dir, String tag) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    OciLayout layout = OciLayout.open(dir);
    if (tag != null && !tag.startsWith("@") && !layout.tags().contains(tag)) {
      return Optional.empty();
    }
    return Optional.of(layout.read(tag));
  }

  static Digest write(
      Artifact artifact, Path dir, String tag, EventListener listener, boolean preserveDigests)
      throws IOException {
    return OciLayout.create(dir).write(artifact, tag, listener, preserveDigests);
  }

  /** Writes a build's images into one layout, each tagged with its name: one index update. */
  static void writeAll(List<ImageLocation.Named> images, Path dir, EventListener listener)
      throws IOException {
    List<OciLayout.Tagged> tagged = new ArrayList<>();
    for (ImageLocation.Named n : images) {
      tagged.add(new OciLayout.Tagged(n.artifact(), n.name()));
    }
    OciLayout.create(dir).writeAll(tagged, listener, false);
  }

  static List<String> tags(Path dir) throws IOException {
    return OciLayout.open(dir).tags();
  }
}
