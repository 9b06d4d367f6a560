package dev.caulk.elf;

/**
 * The object file type ({@code e_type}, System V gABI "ELF Header"). Position-independent
 * executables and static-pie binaries are {@link #DYN}, like shared libraries.
 */
public enum ElfType {
  /** {@code ET_NONE}. */
  NONE,
  /** {@code ET_REL}: a relocatable object ({@code .o}); not loadable. */
  REL,
  /** {@code ET_EXEC}: a fixed-address executable. */
  EXEC,
  /** {@code ET_DYN}: a shared object or position-independent executable. */
  DYN,
  /** {@code ET_CORE}: a core dump. */
  CORE,
  /** Any other (OS- or processor-specific) value. */
  OTHER;

  static ElfType of(int code) {
    return switch (code) {
      case 0 -> NONE;
      case 1 -> REL;
      case 2 -> EXEC;
      case 3 -> DYN;
      case 4 -> CORE;
      default -> OTHER;
    };
  }

  /** True for the types a loader can map: {@link #EXEC} and {@link #DYN}. */
  public boolean isLoadable() {
    return this == EXEC || this == DYN;
  }
}
