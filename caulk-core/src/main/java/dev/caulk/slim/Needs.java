package dev.caulk.slim;

import dev.caulk.elf.LibraryClosure;
import dev.caulk.elf.LibraryResolver;
import dev.caulk.event.EventListener;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.fs.Spool;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The paths an image must keep to run: programs with their ELF closures, paths and globs (with
 * every symlink on the way, so names keep resolving), recursively for directories. Paths are real
 * tree paths; directories on the way are implied and added when the layer is written.
 */
final class Needs {
  /** Directories never kept recursively just because they are a workdir or a home. */
  private static final Set<String> SYSTEM_DIRS =
      Set.of(
          "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32",
          "/media", "/mnt", "/opt", "/proc", "/run", "/sbin", "/srv", "/sys", "/usr", "/var",
          "/tmp");

  private final FileTree tree;
  private final ImageFiles files;
  private final LibraryResolver resolver;
  private final EventListener log;
  private final Set<String> paths = new LinkedHashSet<>();
  private final List<String> missing = new ArrayList<>();

  Needs(ImageFiles files, List<String> libraryPath, EventListener log) {
    this.files = files;
    this.tree = files.tree();
    this.resolver =
        LibraryResolver.of(files.elfFileSystem()).strict(false).withLibraryPath(libraryPath);
    this.log = log;
  }

  Set<String> paths() {
    return paths;
  }

  List<String> missingLibraries() {
    return missing;
  }

  /**
   * Keeps a program, its {@code #!} interpreters and its ELF closure with the libraries glibc loads
   * at run time (NSS modules named in {@code nsswitch.conf}, {@code libgcc_s}).
   *
   * @param what how the program is named in an error ({@code entrypoint '/app/x'})
   * @throws EntrypointException when the program is missing, or neither ELF nor a script
   */
  void program(String path, String what) throws IOException {
    LibraryClosure c;
    try {
      c = resolver.resolveWithRuntimeExtras(path);
    } catch (NoSuchFileException e) {
      throw new EntrypointException(what + " is not in the image", e);
    } catch (dev.caulk.elf.ElfFormatException e) {
      throw new EntrypointException(what + ": " + e.getMessage(), e);
    }
    path(path, false);
    for (LibraryClosure.PathEntry e : c.entries()) paths.add(e.path());
    for (LibraryClosure.Missing m : c.missing()) {
      String line = m.name() + " (needed by " + m.neededBy() + ")";
      if (!missing.contains(line)) {
        missing.add(line);
        log.warn("the image lacks " + line + "; the program may fail to start");
      }
    }
  }

  /**
   * Keeps what a path leads to and every symlink on the way; a directory with everything below it
   * when {@code recursive}. Symlinks met below a kept directory keep their targets (the target
   * itself, not what lies below it).
   *
   * @return false when the path does not exist (or dangles)
   */
  boolean path(String path, boolean recursive) {
    ImagePaths.Walk w = ImagePaths.walk(tree, path);
    paths.addAll(w.links());
    if (w.target() == null) return false;
    paths.add(w.target());
    if (recursive) subtree(w.target());
    return true;
  }

  /** Keeps a path without following a symlink at its end (the link itself is what is kept). */
  boolean link(String path) {
    ImagePaths.Walk w = ImagePaths.walk(tree, path, false);
    paths.addAll(w.links());
    if (w.target() == null) return false;
    paths.add(w.target());
    return true;
  }

  private void subtree(String dir) {
    Optional<Node> n = tree.node(dir);
    if (n.isEmpty() || !n.get().isDirectory()) return;
    List<String> todo = new ArrayList<>(List.of(dir));
    while (!todo.isEmpty()) {
      String d = todo.remove(todo.size() - 1);
      for (Node c : tree.children(d)) {
        paths.add(c.path());
        if (c.isDirectory()) todo.add(c.path());
        else if (c.isSymlink()) path(c.path(), false);
      }
    }
  }

  /** Keeps every path a glob matches, recursively; returns how many matched. */
  int glob(PathGlob g) {
    List<String> matched = new ArrayList<>();
    for (Node n : tree.walk()) {
      if (g.matches(n.path())) matched.add(n.path());
    }
    for (String p : matched) path(p, true);
    return matched.size();
  }

  /** Keeps a {@code --keep}/{@code --include} argument; warns when it matches nothing. */
  void keepArgument(String arg) throws SlimException {
    PathGlob g = PathGlob.compile(arg);
    boolean found =
        PathGlob.isGlob(arg) ? glob(g) > 0 : path(ImagePaths.normalize("/" + arg), true);
    if (!found) log.warn(Entrypoint.quote(arg) + " matches nothing in the image");
  }

  /**
   * Keeps a workdir or home: recursively, unless it is a system folder such as {@code /} or {@code
   * /usr/bin}.
   */
  void ownDirectory(String dir) {
    if (dir == null || dir.isEmpty() || !dir.startsWith("/")) return;
    String d = ImagePaths.normalize(dir);
    ImagePaths.Walk w = ImagePaths.walk(tree, d);
    String real = w.target() == null ? d : w.target();
    boolean system =
        SYSTEM_DIRS.contains(real)
            || (real.startsWith("/usr/") && ImagePaths.components(real).size() <= 2);
    path(d, !system);
  }

  /**
   * Content bytes of the kept regular files, each inode once: the floor a static minifier cannot go
   * under.
   */
  long bytes() {
    Set<Long> seen = new java.util.HashSet<>();
    long sum = 0;
    for (String p : paths) {
      Optional<Spool.Ref> r = files.ref(p);
      if (r.isPresent() && seen.add(r.get().id())) sum += r.get().length();
    }
    return sum;
  }
}
