package dev.caulk.elf;

import dev.caulk.elf.LibraryClosure.FileEntry;
import dev.caulk.elf.LibraryClosure.Library;
import dev.caulk.elf.LibraryClosure.LinkEntry;
import dev.caulk.elf.LibraryClosure.Missing;
import dev.caulk.elf.LibraryClosure.PathEntry;
import dev.caulk.elf.LibraryClosure.Via;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One resolution run of a {@link LibraryResolver}: loads objects breadth-first like {@code ld.so}'s
 * {@code _dl_map_object_deps}, remembering for each its loader (for inherited {@code DT_RPATH}),
 * its origin (for {@code $ORIGIN}) and the names it answers to (request name, path, soname).
 */
final class ClosureBuilder {
  static final int MAX_OBJECTS = 4096;
  static final int MAX_SCRIPT_DEPTH = 4;
  static final int MAX_SEARCH_DIRS = 512;

  /**
   * Candidate paths probed per run; bounds the work a hostile root (many objects × needs × dirs)
   * can cause.
   */
  static final int MAX_PROBES = 1_000_000;

  /** A loaded object. {@code path} is what the loader opened; {@code origin} its directory. */
  private static final class Loaded {
    final ElfFile elf;
    final String path;
    final String realPath;
    final String origin;
    final @Nullable Loaded loader;
    @Nullable List<String> searchDirs;

    Loaded(ElfFile elf, String path, String realPath, String origin, @Nullable Loaded loader) {
      this.elf = elf;
      this.path = path;
      this.realPath = realPath;
      this.origin = origin;
      this.loader = loader;
    }
  }

  private final LibraryResolver options;
  private final PathWalker walker;
  private final SearchOrder order;
  private final Map<String, PathEntry> entries = new LinkedHashMap<>();
  private final List<Loaded> loaded = new ArrayList<>();
  private final Map<String, Loaded> byName = new HashMap<>();
  private final Map<String, Loaded> byRealPath = new HashMap<>();
  private final Map<String, Optional<ElfFile>> parsed = new HashMap<>();
  private final List<Library> libraries = new ArrayList<>();
  private final List<Missing> missing = new ArrayList<>();
  private int drained;
  private int probes;
  private boolean lenient;
  private @Nullable Loaded main;
  private @Nullable Loaded interpreter;

  ClosureBuilder(LibraryResolver options, PathWalker walker) {
    this.options = options;
    this.walker = walker;
    this.order = new SearchOrder(options, walker);
  }

  /** The main program, once {@link #program} has loaded it. */
  private Loaded main() {
    return Objects.requireNonNull(main, "the main program is loaded first");
  }

  LibraryClosure run(String path, boolean extras) throws IOException {
    lenient = !options.isStrict();
    program(path, null, 0);
    drain();
    if (extras && main != null) {
      Loaded libc =
          byName.containsKey("libc.so.6") ? byName.get("libc.so.6") : byName.get("libpthread.so.0");
      if (libc != null && !order.isMusl()) {
        lenient = true;
        for (String name : GlibcExtras.names(walker)) {
          need(name, libc, Via.DLOPEN, true);
        }
        drain();
      }
    }
    return new LibraryClosure(path, new ArrayList<>(entries.values()), libraries, missing);
  }

  /**
   * Resolves a program: an ELF file becomes the main object; a script recurses into its
   * interpreter.
   */
  private void program(String path, @Nullable String script, int depth) throws IOException {
    Optional<PathWalker.Resolved> r = walker.resolve(path);
    if (r.isEmpty() || !(r.get().node() instanceof ElfFileSystem.RegularFile file)) {
      if (script == null) {
        throw r.isEmpty()
            ? new NoSuchFileException(path, null, "not found in the root")
            : new NoSuchFileException(path, null, "not a regular file");
      }
      unresolved(new Missing(path, script, List.of()));
      return;
    }
    byte[] head;
    try (ElfSource source = file.open()) {
      head = Shebang.head(source, Shebang.MAX_LINE);
    }
    if (!ElfFile.hasElfMagic(head)) {
      Optional<Shebang> shebang = Shebang.parse(head);
      if (shebang.isEmpty()) {
        throw new ElfFormatException(path + ": not an ELF file or script");
      }
      if (depth >= MAX_SCRIPT_DEPTH) {
        throw new ElfFormatException(path + ": too many levels of script interpreters");
      }
      addEntries(r.get());
      program(shebang.get().interpreter(), path, depth + 1);
      return;
    }
    ElfFile elf = parseRequired(file, path);
    if (!elf.type().isLoadable()) {
      throw new ElfFormatException(path + ": ELF type " + elf.type() + " cannot be executed");
    }
    addEntries(r.get());
    String real = r.get().path();
    if (script != null) {
      libraries.add(new Library(path, path, real, elf.soname(), script, Via.SHEBANG, elf));
    }
    order.init(elf);
    main = register(new Loaded(elf, path, real, PathNames.parent(real), null), path);
    if (elf.interpreter().isPresent()) {
      loadInterpreter(elf.interpreter().get());
    }
  }

  private void loadInterpreter(String interp) throws IOException {
    Optional<PathWalker.Resolved> r = walker.resolve(interp);
    if (r.isEmpty() || !(r.get().node() instanceof ElfFileSystem.RegularFile file)) {
      unresolved(new Missing(interp, main().path, List.of()));
      return;
    }
    ElfFile elf = parseRequired(file, interp);
    addEntries(r.get());
    interpreter =
        register(new Loaded(elf, interp, r.get().path(), PathNames.parent(interp), main), interp);
    libraries.add(
        new Library(
            interp, interp, r.get().path(), elf.soname(), main().path, Via.INTERPRETER, elf));
  }

  /** Processes the {@code DT_NEEDED} lists of objects not yet processed, breadth-first. */
  private void drain() throws IOException {
    while (drained < loaded.size()) {
      Loaded obj = loaded.get(drained++);
      for (String name : obj.elf.needed()) {
        need(name, obj, Via.NEEDED, false);
      }
    }
  }

  private void need(String name, Loaded requester, Via via, boolean optional) throws IOException {
    String expanded = order.expandName(name, requester.origin);
    Loaded existing = byName.get(expanded);
    if (existing != null) {
      byName.putIfAbsent(name, existing);
      return;
    }
    if (order.isMuslSelf(expanded) && interpreter != null) {
      byName.put(name, interpreter);
      return;
    }
    List<String> dirs;
    List<String> candidates = new ArrayList<>();
    if (expanded.contains("/")) {
      dirs = List.of();
      candidates.add(expanded);
    } else {
      if (requester.searchDirs == null) {
        requester.searchDirs = searchDirs(requester);
      }
      dirs = requester.searchDirs;
      for (String dir : dirs) {
        candidates.add(PathNames.child(dir, expanded));
      }
    }
    for (String candidate : candidates) {
      if (++probes > MAX_PROBES) {
        throw new ElfFormatException(
            "library search of " + main().path + " exceeded " + MAX_PROBES + " probes");
      }
      Optional<PathWalker.Resolved> r = walker.resolve(candidate);
      if (r.isEmpty() || !(r.get().node() instanceof ElfFileSystem.RegularFile file)) {
        continue;
      }
      Loaded same = byRealPath.get(r.get().path());
      if (same != null) {
        byName.putIfAbsent(name, same);
        byName.putIfAbsent(expanded, same);
        return;
      }
      Optional<ElfFile> elf = parseOptional(file, r.get().path());
      if (elf.isEmpty()
          || !elf.get().isCompatibleWith(main().elf)
          || !elf.get().type().isLoadable()) {
        continue;
      }
      if (loaded.size() >= MAX_OBJECTS) {
        throw new ElfFormatException(
            "more than " + MAX_OBJECTS + " objects in the closure of " + main().path);
      }
      addEntries(r.get());
      Loaded lib =
          register(
              new Loaded(
                  elf.get(), candidate, r.get().path(), PathNames.parent(candidate), requester),
              name);
      byName.putIfAbsent(expanded, lib);
      libraries.add(
          new Library(
              name, candidate, r.get().path(), elf.get().soname(), requester.path, via, elf.get()));
      return;
    }
    if (!optional) {
      unresolved(new Missing(name, requester.path, dirs));
    }
  }

  private List<String> searchDirs(Loaded requester) throws IOException {
    List<SearchOrder.Scope> chain = new ArrayList<>();
    for (Loaded l = requester; l != null && chain.size() < MAX_OBJECTS; l = l.loader) {
      chain.add(new SearchOrder.Scope(l.elf, l.origin));
    }
    return order.directories(chain, main().origin);
  }

  private Loaded register(Loaded obj, String requestedName) {
    loaded.add(obj);
    byRealPath.putIfAbsent(obj.realPath, obj);
    byName.putIfAbsent(requestedName, obj);
    byName.putIfAbsent(obj.path, obj);
    obj.elf.soname().ifPresent(s -> byName.putIfAbsent(s, obj));
    return obj;
  }

  private void addEntries(PathWalker.Resolved r) {
    for (PathWalker.Link link : r.links()) {
      entries.putIfAbsent(link.path(), new LinkEntry(link.path(), link.target()));
    }
    entries.putIfAbsent(r.path(), new FileEntry(r.path()));
  }

  private void unresolved(Missing m) throws UnresolvedLibraryException {
    if (!lenient) {
      throw new UnresolvedLibraryException(m);
    }
    if (!missing.contains(m)) {
      missing.add(m);
    }
  }

  private ElfFile parseRequired(ElfFileSystem.RegularFile file, String path) throws IOException {
    try (ElfSource source = file.open()) {
      return ElfFile.read(source);
    } catch (ElfFormatException e) {
      throw new ElfFormatException(path + ": " + e.getMessage());
    }
  }

  /** Parses a search candidate; a malformed one is skipped (cached per real path). */
  private Optional<ElfFile> parseOptional(ElfFileSystem.RegularFile file, String realPath)
      throws IOException {
    Optional<ElfFile> cached = parsed.get(realPath);
    if (cached == null) {
      try (ElfSource source = file.open()) {
        cached = Optional.of(ElfFile.read(source));
      } catch (ElfFormatException e) {
        cached = Optional.empty();
      }
      parsed.put(realPath, cached);
    }
    return cached;
  }
}
