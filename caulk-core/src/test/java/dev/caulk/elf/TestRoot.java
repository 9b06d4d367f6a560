package dev.caulk.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a small root directory for {@link ElfFileSystem#ofHostRoot}. */
final class TestRoot {
  final Path dir;

  TestRoot(Path dir) {
    this.dir = dir;
  }

  Path host(String path) {
    return dir.resolve(path.substring(1));
  }

  TestRoot file(String path, byte[] content) {
    try {
      Files.createDirectories(host(path).getParent());
      Files.write(host(path), content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestRoot text(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  TestRoot elf(String path, TestElf elf) {
    return file(path, elf.build());
  }

  TestRoot copy(Path from, String path) {
    try {
      Files.createDirectories(host(path).getParent());
      Files.copy(from, host(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestRoot link(String path, String target) {
    try {
      Files.createDirectories(host(path).getParent());
      Files.createSymbolicLink(host(path), Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LibraryResolver resolver() throws IOException {
    return LibraryResolver.of(ElfFileSystem.ofHostRoot(dir));
  }
}
