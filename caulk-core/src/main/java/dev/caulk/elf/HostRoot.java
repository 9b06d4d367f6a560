package dev.caulk.elf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ElfFileSystem} over a host directory. To keep the operating system from following a
 * symlink in a parent component (which could lead outside the root, e.g. {@code lib -> /usr/lib} on
 * the host), each lookup checks that the parent's real path is exactly the lexical one under the
 * real root, and reads the last component with {@link LinkOption#NOFOLLOW_LINKS}. A concurrent
 * change of the host tree between the check and the open is not guarded against (see docs/elf.md).
 */
final class HostRoot implements ElfFileSystem {
  private static final int MAX_LIST = 100_000;
  private final Path root;

  HostRoot(Path root) throws IOException {
    Path real = root.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new NotDirectoryException(root.toString());
    }
    this.root = real;
  }

  @Override
  public Optional<Node> lookup(String absolutePath) throws IOException {
    Optional<Path> host = toHost(absolutePath);
    if (host.isEmpty()) {
      return Optional.empty();
    }
    Path p = host.get();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    }
    if (attrs.isSymbolicLink()) {
      return Optional.of(new Symlink(Files.readSymbolicLink(p).toString()));
    }
    if (attrs.isDirectory()) {
      return Optional.of(new Directory());
    }
    if (attrs.isRegularFile()) {
      return Optional.of(new RegularFile(attrs.size(), () -> ElfSource.open(p)));
    }
    return Optional.of(new Other());
  }

  @Override
  public List<String> list(String absoluteDirectory) throws IOException {
    Optional<Path> host = toHost(absoluteDirectory);
    if (host.isEmpty() || !Files.isDirectory(host.get(), LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(host.get())) {
      for (Path child : dir) {
        if (names.size() >= MAX_LIST) {
          break;
        }
        names.add(child.getFileName().toString());
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    }
    return names;
  }

  /**
   * Maps a normalized absolute path to the host, or empty if it is malformed or a parent is not a
   * real directory.
   */
  private Optional<Path> toHost(String absolutePath) throws IOException {
    if (!PathNames.isNormalizedAbsolute(absolutePath)) {
      return Optional.empty();
    }
    if (absolutePath.equals("/")) {
      return Optional.of(root);
    }
    Path p = root.resolve(absolutePath.substring(1));
    Path parent = p.getParent();
    if (parent == null) {
      return Optional.empty();
    }
    try {
      if (!parent.toRealPath().equals(parent)
          || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    }
    return Optional.of(p);
  }
}
