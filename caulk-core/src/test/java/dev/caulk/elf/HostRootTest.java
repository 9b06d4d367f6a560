package dev.caulk.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.elf.ElfFileSystem.Directory;
import dev.caulk.elf.ElfFileSystem.RegularFile;
import dev.caulk.elf.ElfFileSystem.Symlink;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ElfFileSystem#ofHostRoot} and the confined symlink walk never leave the root. */
class HostRootTest {
  @TempDir Path tmp;

  @Test
  void literalLookups() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.writeString(root.resolve("usr/lib/libx.so.1.2"), "data");
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    ElfFileSystem fs = ElfFileSystem.ofHostRoot(root);
    assertInstanceOf(Directory.class, fs.lookup("/").orElseThrow());
    assertEquals(new Symlink("usr/lib"), fs.lookup("/lib").orElseThrow());
    RegularFile f = (RegularFile) fs.lookup("/usr/lib/libx.so.1.2").orElseThrow();
    assertEquals(4, f.size());
    try (ElfSource s = f.open()) {
      assertEquals(4, s.size());
    }
    // Through a symlinked parent, or not normalized: nothing.
    assertEquals(Optional.empty(), fs.lookup("/lib/libx.so.1.2"));
    assertEquals(Optional.empty(), fs.lookup("/usr/../usr/lib"));
    assertEquals(Optional.empty(), fs.lookup("usr/lib"));
    assertEquals(Optional.empty(), fs.lookup("/usr/lib/"));
    assertEquals(Optional.empty(), fs.lookup("/usr/lib/libx.so.1.2/child"));
    assertEquals(Optional.empty(), fs.lookup("/nope"));
    assertEquals(List.of("libx.so.1.2"), fs.list("/usr/lib"));
    assertEquals(List.of(), fs.list("/lib"));
    assertThrows(
        NotDirectoryException.class,
        () -> ElfFileSystem.ofHostRoot(root.resolve("usr/lib/libx.so.1.2")));
  }

  @Test
  void symlinksResolveInsideTheRoot() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "host secret");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/secret"), "root copy");
    Files.createSymbolicLink(root.resolve("abs"), outside); // absolute host path
    Files.createSymbolicLink(
        root.resolve("up"), Path.of("../../../../outside")); // climbs above the root
    Files.createSymbolicLink(root.resolve("etc2"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    PathWalker walker = new PathWalker(ElfFileSystem.ofHostRoot(root));

    assertEquals(
        Optional.empty(), walker.resolve("/abs/secret"), "absolute target must stay in the root");
    assertEquals(Optional.empty(), walker.resolve("/up/secret"), ".. must stop at the root");
    assertEquals(Optional.empty(), walker.resolve("/../../outside/secret"));
    PathWalker.Resolved r = walker.resolve("/etc2/secret").orElseThrow();
    assertEquals("/etc/secret", r.path());
    assertEquals(List.of(new PathWalker.Link("/etc2", "/etc")), r.links());
    assertEquals("root copy", new String(walker.readHead("/etc2/secret", 100).orElseThrow()));
    FileSystemException loop =
        assertThrows(FileSystemException.class, () -> walker.resolve("/loop/x"));
    assertTrue(loop.getMessage().contains("too many levels of symbolic links"), loop.getMessage());
  }

  @Test
  void escapingSymlinkAtHostLevelIsNotFollowed() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside/lib"));
    Files.writeString(outside.resolve("libc.so.6"), "host");
    Files.createSymbolicLink(root.resolve("lib"), tmp.resolve("outside/lib"));
    ElfFileSystem fs = ElfFileSystem.ofHostRoot(root);
    assertEquals(Optional.empty(), fs.lookup("/lib/libc.so.6"));
    assertEquals(List.of(), fs.list("/lib"));
  }

  @Test
  void chainsOfLinksAreRecordedInOrder() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib/x"));
    Files.writeString(root.resolve("usr/lib/x/libz.so.1.3"), "z");
    Files.createSymbolicLink(root.resolve("usr/lib/x/libz.so.1"), Path.of("libz.so.1.3"));
    Files.createSymbolicLink(root.resolve("usr/lib/x/libz.so"), Path.of("/lib/x/libz.so.1"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    PathWalker.Resolved r =
        new PathWalker(ElfFileSystem.ofHostRoot(root)).resolve("/lib/x/libz.so").orElseThrow();
    assertEquals("/usr/lib/x/libz.so.1.3", r.path());
    assertEquals(
        List.of("/lib", "/usr/lib/x/libz.so", "/usr/lib/x/libz.so.1"),
        r.links().stream().map(PathWalker.Link::path).collect(Collectors.toList()));
    assertEquals(
        Set.of("usr/lib", "/lib/x/libz.so.1", "libz.so.1.3"),
        r.links().stream().map(PathWalker.Link::target).collect(Collectors.toSet()));
  }
}
