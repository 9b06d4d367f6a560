package dev.caulk.elf;

import java.nio.ByteOrder;
import java.util.Optional;

/**
 * An ELF machine ({@code e_machine}, System V gABI "ELF Header"), kept as its numeric code so that
 * two unknown machines still compare correctly (a loader rejects any code other than its own).
 *
 * @param code the {@code e_machine} value (0..65535)
 */
public record Machine(int code) {
  /** {@code EM_386}. */
  public static final Machine I386 = new Machine(3);

  /** {@code EM_MIPS}. */
  public static final Machine MIPS = new Machine(8);

  /** {@code EM_PPC}. */
  public static final Machine PPC = new Machine(20);

  /** {@code EM_PPC64}. */
  public static final Machine PPC64 = new Machine(21);

  /** {@code EM_S390} (both s390 and s390x). */
  public static final Machine S390 = new Machine(22);

  /** {@code EM_ARM} (32-bit Arm). */
  public static final Machine ARM = new Machine(40);

  /** {@code EM_SPARCV9}. */
  public static final Machine SPARCV9 = new Machine(43);

  /** {@code EM_X86_64}. */
  public static final Machine X86_64 = new Machine(62);

  /** {@code EM_AARCH64}. */
  public static final Machine AARCH64 = new Machine(183);

  /** {@code EM_RISCV}. */
  public static final Machine RISCV = new Machine(243);

  /** {@code EM_LOONGARCH}. */
  public static final Machine LOONGARCH = new Machine(258);

  /** Validates the code range. */
  public Machine {
    if (code < 0 || code > 0xffff) {
      throw new IllegalArgumentException("e_machine out of range: " + code);
    }
  }

  /**
   * A human-readable name, e.g. {@code "x86-64"}, or {@code "machine 0x1234"} for unknown codes.
   */
  public String displayName() {
    return switch (code) {
      case 3 -> "Intel 80386";
      case 8 -> "MIPS";
      case 20 -> "PowerPC";
      case 21 -> "PowerPC64";
      case 22 -> "IBM S/390";
      case 40 -> "ARM";
      case 43 -> "SPARC V9";
      case 62 -> "x86-64";
      case 183 -> "AArch64";
      case 243 -> "RISC-V";
      case 258 -> "LoongArch";
      default -> String.format("machine 0x%x", code);
    };
  }

  /**
   * Maps this machine to the OCI {@code platform.architecture} value (the Go {@code GOARCH} names
   * the image-spec uses), which for some machines depends on the ELF class and byte order (ppc64 vs
   * ppc64le, mips vs mips64le, s390 vs s390x).
   *
   * @return the architecture, or empty when OCI has no name for this combination
   */
  public Optional<String> ociArchitecture(ElfClass elfClass, ByteOrder order) {
    boolean is64 = elfClass == ElfClass.ELF64;
    boolean little = order == ByteOrder.LITTLE_ENDIAN;
    String arch =
        switch (code) {
          case 3 -> is64 ? null : "386";
          case 62 -> is64 ? "amd64" : null;
          case 40 -> is64 ? null : "arm";
          case 183 -> is64 ? "arm64" : null;
          case 21 -> is64 ? (little ? "ppc64le" : "ppc64") : null;
          case 22 -> is64 ? "s390x" : "s390";
          case 243 -> is64 ? "riscv64" : null;
          case 8 -> is64 ? (little ? "mips64le" : "mips64") : (little ? "mipsle" : "mips");
          case 258 -> is64 ? "loong64" : null;
          case 43 -> is64 ? "sparc64" : null;
          default -> null;
        };
    return Optional.ofNullable(arch);
  }

  @Override
  public String toString() {
    return displayName();
  }
}
