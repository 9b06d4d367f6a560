package dev.caulk.elf;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes the run-time file closure of a program inside an {@link ElfFileSystem}: the program (or
 * script and its {@code #!} interpreter), the ELF interpreter, and every {@code DT_NEEDED} library,
 * found in the order glibc's {@code ld.so(8)} searches:
 *
 * <ol>
 *   <li>{@code DT_RPATH} of the requesting object, then of the object that loaded it, up to the
 *       program (only when the requesting object has no {@code DT_RUNPATH});
 *   <li>{@code LD_LIBRARY_PATH} ({@link #withLibraryPath});
 *   <li>{@code DT_RUNPATH} of the requesting object;
 *   <li>the directories of {@code /etc/ld.so.conf} and its includes (what {@code ld.so.cache}
 *       indexes);
 *   <li>the default directories (multiarch, {@code lib64}, {@code /lib}, {@code /usr/lib}), skipped
 *       with {@code DF_1_NODEFLIB}.
 * </ol>
 *
 * {@code $ORIGIN}, {@code $LIB} and {@code $PLATFORM} are expanded; candidates of another class or
 * machine are skipped; a name already loaded (by name, soname or file) is not searched again. When
 * the interpreter is musl's ({@code ld-musl-*}), musl's order is used instead (LD_LIBRARY_PATH,
 * then RUNPATH-or-RPATH of the requester and its loaders, then {@code /etc/ld-musl-ARCH.path} or
 * {@code /lib:/usr/local/lib:/usr/lib}).
 *
 * <p>Instances are immutable; the {@code with*} methods return modified copies. Strict by default.
 */
public final class LibraryResolver {
  private final ElfFileSystem fs;
  private final List<String> libraryPath;
  private final boolean strict;
  private final Optional<String> lib;
  private final Optional<String> platform;

  private LibraryResolver(
      ElfFileSystem fs,
      List<String> libraryPath,
      boolean strict,
      Optional<String> lib,
      Optional<String> platform) {
    this.fs = fs;
    this.libraryPath = List.copyOf(libraryPath);
    this.strict = strict;
    this.lib = lib;
    this.platform = platform;
  }

  /** A strict resolver over {@code fs} with no {@code LD_LIBRARY_PATH}. */
  public static LibraryResolver of(ElfFileSystem fs) {
    return new LibraryResolver(
        Objects.requireNonNull(fs, "fs"), List.of(), true, Optional.empty(), Optional.empty());
  }

  /**
   * Returns a copy that searches these directories where glibc searches {@code LD_LIBRARY_PATH}
   * (e.g. from the image config's {@code Env}); entries may use {@code $ORIGIN} (of the program).
   */
  public LibraryResolver withLibraryPath(List<String> directories) {
    return new LibraryResolver(fs, directories, strict, lib, platform);
  }

  /**
   * Returns a copy that, when {@code strict}, throws {@link UnresolvedLibraryException} at the
   * first unresolved need, and otherwise records it in {@link LibraryClosure#missing()} and carries
   * on.
   */
  public LibraryResolver strict(boolean strict) {
    return new LibraryResolver(fs, libraryPath, strict, lib, platform);
  }

  /**
   * Returns a copy that expands {@code $LIB} to {@code value} (glibc's build-time choice: {@code
   * lib}, {@code lib64}, or {@code lib/x86_64-linux-gnu} on Debian). By default it is guessed from
   * the root: {@code lib/TRIPLET} when that directory exists, else {@code lib64} for 64-bit when
   * present, else {@code lib}.
   */
  public LibraryResolver withLib(String value) {
    return new LibraryResolver(fs, libraryPath, strict, Optional.of(value), platform);
  }

  /**
   * Returns a copy that expands {@code $PLATFORM} to {@code value} (default: e.g. {@code x86_64},
   * {@code aarch64}).
   */
  public LibraryResolver withPlatform(String value) {
    return new LibraryResolver(fs, libraryPath, strict, lib, Optional.of(value));
  }

  /**
   * Resolves the closure of the program at {@code path} (an ELF executable or shared object, or a
   * {@code #!} script).
   *
   * @throws UnresolvedLibraryException in strict mode, for the first need that cannot be found
   * @throws ElfFormatException if the program or a needed object is malformed (message starts with
   *     its path)
   * @throws IOException if {@code path} does not exist or the file system fails
   */
  public LibraryClosure resolve(String path) throws IOException {
    return new ClosureBuilder(this, new PathWalker(fs)).run(path, false);
  }

  /**
   * Like {@link #resolve}, then adds the libraries glibc loads with {@code dlopen} (see {@link
   * #runtimeExtraNames}) that exist in the root, with their own closures. Absent extras are not
   * errors; unresolved needs of present ones are recorded in {@link LibraryClosure#missing()} even
   * in strict mode, since the extras are optional.
   *
   * @throws IOException as for {@link #resolve}
   */
  public LibraryClosure resolveWithRuntimeExtras(String path) throws IOException {
    return new ClosureBuilder(this, new PathWalker(fs)).run(path, true);
  }

  /**
   * The libraries glibc may load at run time for this closure without a {@code DT_NEEDED} entry:
   * one {@code libnss_SERVICE.so.2} per service named in the root's {@code /etc/nsswitch.conf}
   * (glibc's defaults {@code files dns} when absent), and {@code libgcc_s.so.1}. Empty when the
   * closure does not use glibc ({@code libc.so.6}/{@code libpthread.so.0}), e.g. static or musl
   * programs.
   *
   * @throws IOException if reading {@code /etc/nsswitch.conf} fails
   */
  public List<String> runtimeExtraNames(LibraryClosure closure) throws IOException {
    if (!GlibcExtras.usesGlibc(closure)) {
      return List.of();
    }
    return GlibcExtras.names(new PathWalker(fs));
  }

  List<String> libraryPath() {
    return libraryPath;
  }

  boolean isStrict() {
    return strict;
  }

  Optional<String> lib() {
    return lib;
  }

  Optional<String> platform() {
    return platform;
  }
}
