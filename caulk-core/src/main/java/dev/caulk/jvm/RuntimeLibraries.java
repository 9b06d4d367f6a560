package dev.caulk.jvm;

import dev.caulk.elf.ElfFile;
import dev.caulk.elf.ElfFileSystem;
import dev.caulk.elf.LibraryClosure;
import dev.caulk.elf.LibraryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shared libraries a jlink'd runtime loads from the system (libc, libz, libstdc++, the dynamic
 * loader...), found by caulk's ELF closure in a sysroot with the runtime placed at its image path.
 * The roots are {@code bin/java} (with the libraries glibc itself loads at run time) and every ELF
 * file under the runtime's {@code lib/}: {@code libjvm.so} and the modules' libraries are opened
 * with {@code dlopen} by the JVM, so no {@code DT_NEEDED} chain reaches them. The runtime's own
 * folders are searched like {@code LD_LIBRARY_PATH} ({@code libjava.so} needs {@code libjvm.so},
 * which the JVM has loaded from {@code lib/server} by then).
 */
public final class RuntimeLibraries {
  /**
   * Libraries of desktop modules that a headless service never loads: what they need (X11, ALSA) is
   * not required to be on the build host.
   */
  static final Set<String> DESKTOP_ONLY =
      Set.of("libawt_xawt.so", "libjawt.so", "libsplashscreen.so", "libjsound.so");

  /**
   * The closure.
   *
   * @param entries what to copy from the sysroot, each path once: files and the symlinks met
   * @param libraries the sonames (or names) loaded from outside the runtime, sorted
   * @param skipped desktop-only libraries whose needs were not all found (never loaded headless)
   */
  public record Closure(
      List<LibraryClosure.PathEntry> entries, List<String> libraries, List<String> skipped) {}

  private RuntimeLibraries() {}

  /**
   * @param runtime the runtime's directory on the host
   * @param imageHome where the runtime is in the image, e.g. {@code /opt/java}
   * @param sysroot where system libraries come from ({@code /} for the build host)
   */
  public static Closure of(Path runtime, String imageHome, Path sysroot) throws IOException {
    ElfFileSystem fs =
        new Mounted(
            ElfFileSystem.ofHostRoot(sysroot), imageHome, ElfFileSystem.ofHostRoot(runtime));
    LibraryResolver resolver =
        LibraryResolver.of(fs)
            .strict(false)
            .withLibraryPath(List.of(imageHome + "/lib", imageHome + "/lib/server"));
    Map<String, LibraryClosure.PathEntry> entries = new LinkedHashMap<>();
    Set<String> names = new TreeSet<>();
    List<String> skipped = new ArrayList<>();
    List<String> roots = new ArrayList<>();
    roots.add("bin/java");
    for (String rel : JavaRuntime.files(runtime)) {
      Path p = runtime.resolve(rel);
      if (rel.startsWith("lib/") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && isElf(p)) {
        roots.add(rel);
      }
    }
    for (String rel : roots) {
      String inImage = imageHome + "/" + rel;
      LibraryClosure c =
          rel.equals("bin/java")
              ? resolver.resolveWithRuntimeExtras(inImage)
              : resolver.resolve(inImage);
      if (!c.missing().isEmpty()) {
        String file = rel.substring(rel.lastIndexOf('/') + 1);
        if (DESKTOP_ONLY.contains(file)) {
          skipped.add(file);
          continue;
        }
        LibraryClosure.Missing m = c.missing().get(0);
        throw new JvmException(
            "the Java runtime's "
                + rel
                + " needs "
                + m.name()
                + " (by "
                + m.neededBy()
                + "), which is not in "
                + sysroot);
      }
      for (LibraryClosure.PathEntry e : c.entries()) {
        if (!under(e.path(), imageHome)) {
          entries.putIfAbsent(e.path(), e);
        }
      }
      for (LibraryClosure.Library l : c.libraries()) {
        if (!under(l.realPath(), imageHome)) {
          names.add(l.soname().orElse(l.name()));
        }
      }
    }
    return new Closure(List.copyOf(entries.values()), List.copyOf(names), skipped);
  }

  private static boolean under(String path, String dir) {
    return path.equals(dir) || path.startsWith(dir + "/");
  }

  private static boolean isElf(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return ElfFile.hasElfMagic(in.readNBytes(4));
    }
  }

  /** A host root with another root mounted at one absolute path (no symlink on the way to it). */
  private record Mounted(ElfFileSystem host, String at, ElfFileSystem mounted)
      implements ElfFileSystem {
    @Override
    public Optional<Node> lookup(String absolutePath) throws IOException {
      if (under(absolutePath, at)) {
        String rest = absolutePath.substring(at.length());
        return mounted.lookup(rest.isEmpty() ? "/" : rest);
      }
      if (at.startsWith(absolutePath.equals("/") ? "/" : absolutePath + "/")) {
        return Optional.of(new Directory());
      }
      return host.lookup(absolutePath);
    }

    @Override
    public List<String> list(String absoluteDirectory) throws IOException {
      if (under(absoluteDirectory, at)) {
        String rest = absoluteDirectory.substring(at.length());
        return mounted.list(rest.isEmpty() ? "/" : rest);
      }
      return host.list(absoluteDirectory);
    }
  }
}
