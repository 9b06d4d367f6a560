package dev.caulk.build;

import dev.caulk.elf.ElfFile;
import dev.caulk.elf.ElfFileSystem;
import dev.caulk.elf.ElfSource;
import dev.caulk.elf.LibraryClosure;
import dev.caulk.elf.LibraryResolver;
import dev.caulk.elf.Shebang;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks a service binary before it goes into an image: architecture, static or dynamic, script
 * interpreter; and for a dynamic binary, the libraries it needs, resolved in the build host (or a
 * sysroot) the way ld.so would.
 */
final class BinaryInspector {
  /** What the build needs to know about a binary. */
  record Inspection(ElfFile elf, LibraryClosure closure) {
    boolean isDynamic() {
      return closure != null;
    }
  }

  private BinaryInspector() {}

  /**
   * @param inImagePath where the binary will live in the image (its {@code $ORIGIN})
   * @param wantArch the OCI architecture the image is for
   * @param sysroot where libraries come from
   * @param staticOnly fail on a dynamic binary instead of copying its libraries
   * @param baseHasFile tells whether the base image has a path (for {@code #!} interpreters); null
   *     for scratch
   */
  static Inspection inspect(
      Path binary,
      String inImagePath,
      String wantArch,
      Path sysroot,
      boolean staticOnly,
      java.util.function.Predicate<String> baseHasFile)
      throws IOException {
    if (!Files.isRegularFile(binary)) {
      throw new BuildConfigException(
          "binary "
              + binary
              + " not found (build it first, or set 'binary' in caulk.yaml; pattern placeholders: {service}, {os}, {arch})");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(binary)) {
      head = in.readNBytes(256);
    }
    Optional<Shebang> shebang = Shebang.parse(head);
    if (shebang.isPresent()) {
      String interp = shebang.get().interpreter();
      if (baseHasFile == null || !baseHasFile.test(interp)) {
        throw new BuildConfigException(
            binary
                + " is a script for "
                + interp
                + ", which the "
                + (baseHasFile == null
                    ? "scratch image does not have; use a compiled binary or a base image with "
                        + interp
                    : "base image does not have"));
      }
      return new Inspection(null, null);
    }
    if (!ElfFile.hasElfMagic(head))
      throw new BuildConfigException(binary + " is neither an ELF executable nor a #! script");
    ElfFile elf = ElfFile.read(binary);
    String arch = elf.ociArchitecture().orElse(elf.machine().displayName());
    if (!arch.equals(wantArch)) {
      throw new BuildConfigException(
          binary
              + " is built for "
              + arch
              + ", not "
              + wantArch
              + " (check the binary pattern and --platform)");
    }
    if (elf.isStatic()) return new Inspection(elf, null);
    if (staticOnly) {
      throw new BuildConfigException(
          binary
              + " is dynamically linked (needs "
              + String.join(", ", elf.needed())
              + "); build it statically (CGO_ENABLED=0, -static) or drop --static-only");
    }
    ElfFileSystem host = ElfFileSystem.ofHostRoot(sysroot);
    ElfFileSystem withBinary = new Overlay(host, inImagePath, binary);
    LibraryClosure closure = LibraryResolver.of(withBinary).resolveWithRuntimeExtras(inImagePath);
    return new Inspection(elf, closure);
  }

  /**
   * The host root with the service binary placed at its image path, so $ORIGIN means what it will
   * mean in the image.
   */
  private record Overlay(ElfFileSystem host, String path, Path binary) implements ElfFileSystem {
    @Override
    public Optional<Node> lookup(String absolutePath) throws IOException {
      if (absolutePath.equals(path)) {
        long size = Files.size(binary);
        return Optional.of(new RegularFile(size, () -> ElfSource.open(binary)));
      }
      if (path.startsWith(absolutePath.endsWith("/") ? absolutePath : absolutePath + "/"))
        return Optional.of(new Directory());
      return host.lookup(absolutePath);
    }

    @Override
    public List<String> list(String absoluteDirectory) throws IOException {
      return host.list(absoluteDirectory);
    }
  }
}
