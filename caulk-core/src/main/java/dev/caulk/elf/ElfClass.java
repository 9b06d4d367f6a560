package dev.caulk.elf;

/**
 * The ELF file class ({@code e_ident[EI_CLASS]}, System V gABI "ELF Identification"): the width of
 * addresses and offsets. A loader only maps objects of its own class.
 */
public enum ElfClass {
  /** {@code ELFCLASS32}: 32-bit objects. */
  ELF32,
  /** {@code ELFCLASS64}: 64-bit objects. */
  ELF64
}
