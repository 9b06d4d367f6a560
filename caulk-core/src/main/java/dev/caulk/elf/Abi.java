package dev.caulk.elf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-machine facts a loader builds in: the Debian/Ubuntu multiarch triplet (the directory glibc is
 * installed into there), the usual {@code AT_PLATFORM} string for {@code $PLATFORM}, and the
 * default library directories searched last.
 */
final class Abi {
  private static final long EF_ARM_ABI_FLOAT_HARD = 0x400;

  private Abi() {}

  /** The multiarch triplet, e.g. {@code x86_64-linux-gnu}, if the machine has one. */
  static Optional<String> multiarch(ElfFile elf) {
    boolean is64 = elf.elfClass() == ElfClass.ELF64;
    boolean little = elf.byteOrder() == ByteOrder.LITTLE_ENDIAN;
    String triplet =
        switch (elf.machine().code()) {
          case 62 -> is64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
          case 3 -> "i386-linux-gnu";
          case 183 -> is64 ? "aarch64-linux-gnu" : null;
          case 40 ->
              (elf.flags() & EF_ARM_ABI_FLOAT_HARD) != 0
                  ? "arm-linux-gnueabihf"
                  : "arm-linux-gnueabi";
          case 21 -> little ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu";
          case 20 -> "powerpc-linux-gnu";
          case 22 -> is64 ? "s390x-linux-gnu" : null;
          case 243 -> is64 ? "riscv64-linux-gnu" : null;
          case 8 ->
              is64
                  ? (little ? "mips64el-linux-gnuabi64" : "mips64-linux-gnuabi64")
                  : (little ? "mipsel-linux-gnu" : "mips-linux-gnu");
          case 258 -> is64 ? "loongarch64-linux-gnu" : null;
          case 43 -> is64 ? "sparc64-linux-gnu" : null;
          default -> null;
        };
    return Optional.ofNullable(triplet);
  }

  /**
   * A typical {@code AT_PLATFORM} value for {@code $PLATFORM} (the kernel reports the real CPU).
   */
  static String platform(ElfFile elf) {
    return switch (elf.machine().code()) {
      case 62 -> "x86_64";
      case 3 -> "i686";
      case 183 -> "aarch64";
      case 40 -> "v7l";
      case 21 -> elf.byteOrder() == ByteOrder.LITTLE_ENDIAN ? "ppc64le" : "ppc64";
      case 22 -> "s390x";
      case 243 -> "riscv64";
      case 8 -> "mips";
      case 258 -> "loongarch";
      default -> "unknown";
    };
  }

  /**
   * glibc's default directories for this machine, most specific first: the multiarch pair, the
   * {@code lib64} pair for 64-bit machines (Fedora/RHEL/SUSE layout), then {@code /lib} and {@code
   * /usr/lib}.
   */
  static List<String> glibcDefaultDirs(ElfFile elf) {
    List<String> dirs = new ArrayList<>();
    multiarch(elf)
        .ifPresent(
            t -> {
              dirs.add("/lib/" + t);
              dirs.add("/usr/lib/" + t);
            });
    if (elf.elfClass() == ElfClass.ELF64) {
      dirs.add("/lib64");
      dirs.add("/usr/lib64");
    }
    dirs.add("/lib");
    dirs.add("/usr/lib");
    return dirs;
  }

  /** musl's built-in system path when {@code /etc/ld-musl-ARCH.path} is absent. */
  static List<String> muslDefaultDirs() {
    return List.of("/lib", "/usr/local/lib", "/usr/lib");
  }
}
