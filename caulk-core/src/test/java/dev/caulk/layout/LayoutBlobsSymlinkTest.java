package dev.caulk.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Artifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layout whose blobs directory points elsewhere is refused before anything is created there. */
class LayoutBlobsSymlinkTest {
  @TempDir Path tmp;

  private static List<Path> tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void aBlobsSymlinkOutOfTheLayoutIsRefusedAndNothingIsCreatedAtItsTarget() throws IOException {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Path dir = tmp.resolve("layout");
    OciLayout layout = OciLayout.create(dir);
    Files.createSymbolicLink(dir.resolve("blobs"), elsewhere);
    var image = MediaFixtures.image(Files.createDirectories(tmp.resolve("work")), "a");
    InvalidLayoutException e =
        assertThrows(
            InvalidLayoutException.class, () -> layout.write(Artifact.of(image), "x", null));
    assertTrue(
        e.getMessage().endsWith(": blobs resolves outside the layout (symlink); refusing to write"),
        e.getMessage());
    assertEquals(List.of(elsewhere), tree(elsewhere), "no sha256/ made at the symlink's target");
  }

  @Test
  void aBlobsSymlinkInsideTheLayoutIsFollowed() throws IOException {
    Path dir = tmp.resolve("layout");
    OciLayout layout = OciLayout.create(dir);
    Files.createDirectories(dir.resolve("store"));
    Files.createSymbolicLink(dir.resolve("blobs"), dir.resolve("store"));
    var image = MediaFixtures.image(Files.createDirectories(tmp.resolve("work")), "a");
    layout.write(Artifact.of(image), "x", null);
    assertTrue(Files.isDirectory(dir.resolve("store/sha256")));
  }
}
