package dev.caulk.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a program needs from its root file system to start: its own file, its interpreter, the
 * transitive {@code DT_NEEDED} libraries, and every symlink met on the way to each of them (in
 * directory components too, e.g. {@code /lib -> usr/lib} on merged-/usr systems), so that a slimmed
 * image can reproduce the exact paths the loader opens.
 *
 * @param executable the path that was resolved, as given
 * @param entries the paths to copy, in discovery order, each once: symlinks stay symlinks
 * @param libraries the loaded objects in load order (interpreter first, then breadth-first like
 *     ld.so)
 * @param missing the needs that could not be satisfied (always empty in strict mode)
 */
public record LibraryClosure(
    String executable, List<PathEntry> entries, List<Library> libraries, List<Missing> missing) {

  /** Copies the lists. */
  public LibraryClosure {
    Objects.requireNonNull(executable, "executable");
    entries = List.copyOf(entries);
    libraries = List.copyOf(libraries);
    missing = List.copyOf(missing);
  }

  /** True when every need was found. */
  public boolean isComplete() {
    return missing.isEmpty();
  }

  /** The paths of {@link #entries()}, in order. */
  public List<String> paths() {
    List<String> out = new ArrayList<>(entries.size());
    for (PathEntry e : entries) {
      out.add(e.path());
    }
    return List.copyOf(out);
  }

  /** The library loaded for a {@code DT_NEEDED} name or soname, if any. */
  public Optional<Library> library(String name) {
    for (Library lib : libraries) {
      if (lib.name().equals(name) || lib.soname().filter(name::equals).isPresent()) {
        return Optional.of(lib);
      }
    }
    return Optional.empty();
  }

  /** A path to copy: a regular file or a symlink (directories are implied by their contents). */
  public sealed interface PathEntry permits FileEntry, LinkEntry {
    /** The absolute path inside the root. */
    String path();
  }

  /**
   * A regular file to copy.
   *
   * @param path its real absolute path (no symlinks in it)
   */
  public record FileEntry(String path) implements PathEntry {}

  /**
   * A symlink to recreate as a symlink.
   *
   * @param path its real absolute path (no symlinks in its parents)
   * @param target the link text, unchanged
   */
  public record LinkEntry(String path, String target) implements PathEntry {}

  /** Why an object is loaded. */
  public enum Via {
    /** The script interpreter named by a {@code #!} line. */
    SHEBANG,
    /** The program interpreter ({@code PT_INTERP}), i.e. the dynamic loader. */
    INTERPRETER,
    /** A {@code DT_NEEDED} entry. */
    NEEDED,
    /** Loaded at run time with {@code dlopen} by glibc (NSS modules, {@code libgcc_s}). */
    DLOPEN
  }

  /**
   * A loaded object.
   *
   * @param name the name asked for (the {@code DT_NEEDED} string, or the interpreter path)
   * @param path the path the loader opens (search directory + name, unnormalized, as {@code ldd}
   *     prints it)
   * @param realPath the same file with every symlink resolved
   * @param soname its {@code DT_SONAME}, if any
   * @param neededBy the path of the object that asked for it
   * @param via why it is loaded
   * @param elf the parsed object
   */
  public record Library(
      String name,
      String path,
      String realPath,
      Optional<String> soname,
      String neededBy,
      Via via,
      ElfFile elf) {
    /** Checks for nulls. */
    public Library {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(realPath, "realPath");
      Objects.requireNonNull(soname, "soname");
      Objects.requireNonNull(neededBy, "neededBy");
      Objects.requireNonNull(via, "via");
      Objects.requireNonNull(elf, "elf");
    }
  }

  /**
   * A need that could not be satisfied.
   *
   * @param name the {@code DT_NEEDED} string or interpreter path
   * @param neededBy the path of the object that asked for it
   * @param searched the candidate directories tried, in order (empty for a path with a slash)
   */
  public record Missing(String name, String neededBy, List<String> searched) {
    /** Copies the list. */
    public Missing {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(neededBy, "neededBy");
      searched = List.copyOf(searched);
    }
  }
}
