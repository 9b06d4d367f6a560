package dev.caulk.elf;

import dev.caulk.elf.ElfFileSystem.Directory;
import dev.caulk.elf.ElfFileSystem.Node;
import dev.caulk.elf.ElfFileSystem.RegularFile;
import dev.caulk.elf.ElfFileSystem.Symlink;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves paths inside an {@link ElfFileSystem} the way the kernel's path walk does (one component
 * at a time, symlinks expanded in place, {@code ..} applied to the resolved parent), but confined
 * to the view: absolute link targets restart at the view's root and {@code ..} at the root stays
 * there. Every symlink met on the way, in a directory component or at the end, is recorded so that
 * it can be copied. Relative paths are taken relative to {@code /}. Results are memoized per
 * walker.
 */
final class PathWalker {
  /** Linux {@code MAXSYMLINKS}: links followed in one walk before giving up with ELOOP. */
  static final int MAX_SYMLINKS = 40;

  /** A symlink met during a walk: where it is (a real path) and what it says. */
  record Link(String path, String target) {}

  /**
   * The end of a walk.
   *
   * @param path the real path (no symlinks in it)
   * @param node the entry there (never a symlink)
   * @param links the symlinks followed, in order of first use, each once
   */
  record Resolved(String path, Node node, List<Link> links) {}

  private final ElfFileSystem fs;
  private final Map<String, Optional<Resolved>> cache = new HashMap<>();

  PathWalker(ElfFileSystem fs) {
    this.fs = fs;
  }

  ElfFileSystem fileSystem() {
    return fs;
  }

  /**
   * Resolves {@code path}, following every symlink.
   *
   * @return the resolution, or empty when a component is missing or not a directory
   * @throws IOException on a symlink loop (more than {@value #MAX_SYMLINKS} links) or a store
   *     failure
   */
  Optional<Resolved> resolve(String path) throws IOException {
    Optional<Resolved> cached = cache.get(path);
    if (cached != null) {
      return cached;
    }
    Optional<Resolved> result = walk(path);
    cache.put(path, result);
    return result;
  }

  private Optional<Resolved> walk(String path) throws IOException {
    Deque<String> pending = new ArrayDeque<>(PathNames.components(path));
    List<String> current = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    int followed = 0;
    Node node = new Directory();
    while (!pending.isEmpty()) {
      String name = pending.pollFirst();
      if (name.equals("..")) {
        if (!(node instanceof Directory)) {
          return Optional.empty();
        }
        if (!current.isEmpty()) {
          current.remove(current.size() - 1);
        }
        node = new Directory();
        continue;
      }
      if (!(node instanceof Directory)) {
        return Optional.empty();
      }
      current.add(name);
      String here = PathNames.absolute(current);
      Optional<Node> found = fs.lookup(here);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      node = found.get();
      if (node instanceof Symlink link) {
        if (++followed > MAX_SYMLINKS) {
          throw new FileSystemException(path, null, "too many levels of symbolic links");
        }
        if (link.target().isEmpty()) {
          return Optional.empty();
        }
        Link step = new Link(here, link.target());
        if (!links.contains(step)) {
          links.add(step);
        }
        current.remove(current.size() - 1);
        if (link.target().startsWith("/")) {
          current.clear();
        }
        List<String> target = PathNames.components(link.target());
        for (int i = target.size() - 1; i >= 0; i--) {
          pending.addFirst(target.get(i));
        }
        node = new Directory();
      }
    }
    if (!current.isEmpty() && node instanceof Directory) {
      // The walk ended on ".." or a link to a directory: confirm what is there.
      Optional<Node> found = fs.lookup(PathNames.absolute(current));
      if (found.isEmpty()) {
        return Optional.empty();
      }
      node = found.get();
    }
    return Optional.of(new Resolved(PathNames.absolute(current), node, List.copyOf(links)));
  }

  /**
   * Reads at most {@code max} bytes of a regular file, following symlinks.
   *
   * @return the bytes, or empty when there is no such regular file
   * @throws IOException if reading fails
   */
  Optional<byte[]> readHead(String path, int max) throws IOException {
    Optional<Resolved> r = resolve(path);
    if (r.isEmpty() || !(r.get().node() instanceof RegularFile file)) {
      return Optional.empty();
    }
    try (ElfSource source = file.open()) {
      return Optional.of(Shebang.head(source, max));
    }
  }
}
