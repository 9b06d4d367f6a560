package dev.caulk.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The library search order of the program's C library: glibc's ({@code ld.so(8)} "Finding shared
 * libraries", {@code elf/dl-load.c}) or musl's ({@code ldso/dynlink.c}), chosen from the
 * interpreter name. Also owns dynamic-string-token values and the system directories, computed once
 * per run.
 */
final class SearchOrder {
  private static final String[] MUSL_SELF = {
    "c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet."
  };

  /** One object of a requester's loader chain: its dynamic entries and {@code $ORIGIN}. */
  record Scope(ElfFile elf, String origin) {}

  private final LibraryResolver options;
  private final PathWalker walker;
  private @Nullable ElfFile main;
  private boolean musl;
  private @Nullable String muslArch;
  private @Nullable String lib;
  private @Nullable String platform;
  private @Nullable List<String> systemDirs;

  SearchOrder(LibraryResolver options, PathWalker walker) {
    this.options = options;
    this.walker = walker;
  }

  /** Chooses the flavor and token values for a main program. */
  void init(ElfFile program) throws IOException {
    main = program;
    String interp = program.interpreter().map(PathNames::fileName).orElse("");
    musl =
        interp.startsWith("ld-musl-")
            || program.needed().stream().anyMatch(n -> n.startsWith("libc.musl-"));
    if (interp.startsWith("ld-musl-") && interp.endsWith(".so.1")) {
      muslArch = interp.substring("ld-musl-".length(), interp.length() - ".so.1".length());
    }
    platform = options.platform().orElse(Abi.platform(program));
    lib = options.lib().isPresent() ? options.lib().get() : guessLib(program);
    systemDirs = null;
  }

  boolean isMusl() {
    return musl;
  }

  /** Expands tokens in a {@code DT_NEEDED} name (glibc does; musl does not). */
  String expandName(String name, String origin) {
    return musl ? name : Dst.expand(name, origin, lib, platform);
  }

  /**
   * True for names musl satisfies with its own loader ({@code libc.so}, {@code libpthread.so.0},
   * ...).
   */
  boolean isMuslSelf(String name) {
    if (!musl || !name.startsWith("lib")) {
      return false;
    }
    for (String reserved : MUSL_SELF) {
      if (name.startsWith(reserved, 3)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The directories to search for a name requested by {@code chain.get(0)}, whose loaders follow in
   * {@code chain}, in order and without duplicates.
   */
  List<String> directories(List<Scope> chain, String mainOrigin) throws IOException {
    Set<String> dirs = new LinkedHashSet<>();
    Scope requester = chain.get(0);
    if (musl) {
      add(dirs, options.libraryPath(), null);
      for (Scope s : chain) {
        add(dirs, s.elf().runpath().isEmpty() ? s.elf().rpath() : s.elf().runpath(), s.origin());
      }
      dirs.addAll(system());
    } else {
      if (requester.elf().runpath().isEmpty()) {
        for (Scope s : chain) {
          if (s.elf().runpath().isEmpty()) {
            add(dirs, s.elf().rpath(), s.origin());
          }
        }
      }
      add(dirs, options.libraryPath(), mainOrigin);
      add(dirs, requester.elf().runpath(), requester.origin());
      if ((requester.elf().flags1() & ElfFile.DF_1_NODEFLIB) == 0) {
        dirs.addAll(system());
      }
    }
    List<String> out = new ArrayList<>(dirs);
    return List.copyOf(out.subList(0, Math.min(out.size(), ClosureBuilder.MAX_SEARCH_DIRS)));
  }

  private void add(Set<String> dirs, List<String> entries, @Nullable String origin) {
    for (String entry : entries) {
      String dir =
          origin == null
              ? entry
              : musl
                  ? Dst.expand(entry, origin, null, null)
                  : Dst.expand(entry, origin, lib, platform);
      while (dir.length() > 1 && dir.endsWith("/")) {
        dir = dir.substring(0, dir.length() - 1);
      }
      if (!dir.isEmpty() && dirs.size() < ClosureBuilder.MAX_SEARCH_DIRS) {
        dirs.add(dir);
      }
    }
  }

  /** ld.so.conf + defaults (glibc), or the musl path file / defaults. */
  private List<String> system() throws IOException {
    if (systemDirs == null) {
      Set<String> dirs = new LinkedHashSet<>();
      if (musl) {
        Optional<byte[]> file =
            muslArch == null
                ? Optional.empty()
                : walker.readHead("/etc/ld-musl-" + muslArch + ".path", 64 * 1024);
        if (file.isPresent()) {
          for (String d : new String(file.get(), StandardCharsets.UTF_8).split("[:\n]")) {
            if (!d.isBlank()) {
              dirs.add(d.strip());
            }
          }
        } else {
          dirs.addAll(Abi.muslDefaultDirs());
        }
      } else {
        dirs.addAll(LdSoConf.read(walker, "/etc/ld.so.conf"));
        dirs.addAll(
            Abi.glibcDefaultDirs(Objects.requireNonNull(main, "init(program) comes first")));
      }
      systemDirs = List.copyOf(dirs);
    }
    return systemDirs;
  }

  private String guessLib(ElfFile program) throws IOException {
    Optional<String> triplet = Abi.multiarch(program);
    if (triplet.isPresent()
        && (isDirectory("/usr/lib/" + triplet.get()) || isDirectory("/lib/" + triplet.get()))) {
      return "lib/" + triplet.get();
    }
    if (program.elfClass() == ElfClass.ELF64
        && (isDirectory("/lib64") || isDirectory("/usr/lib64"))) {
      return "lib64";
    }
    return "lib";
  }

  private boolean isDirectory(String path) throws IOException {
    Optional<PathWalker.Resolved> r = walker.resolve(path);
    return r.isPresent() && r.get().node() instanceof ElfFileSystem.Directory;
  }
}
