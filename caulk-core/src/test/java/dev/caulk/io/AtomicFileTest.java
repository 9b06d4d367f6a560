package dev.caulk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @Test
  void replacesTheFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("sub/report.json");
    AtomicFile.write(f, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFile.write(f, "two".getBytes(StandardCharsets.UTF_8));
    assertEquals("two", Files.readString(f));
    assertEquals(1, count(f.getParent()), "only the target is left");
  }

  @Test
  void aFailedBodyKeepsTheOldFileAndRemovesTheTemporaryOne(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("sbom.json");
    Files.writeString(f, "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFile.write(
                    f,
                    out -> {
                      out.write("half".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(1, count(dir), "the temporary file is gone");
  }

  @Test
  void aDirectoryIsRefused(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class, () -> AtomicFile.write(dir, new byte[1]));
    assertTrue(e.getMessage().endsWith(": is a directory"), e.getMessage());
  }

  private static long count(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
