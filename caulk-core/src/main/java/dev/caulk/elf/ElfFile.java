package dev.caulk.elf;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a dynamic loader sees in an ELF object: identification, type, machine, interpreter and the
 * dynamic-section entries that drive library loading. Produced by {@link #read(ElfSource)}.
 *
 * <p>{@code rpath} and {@code runpath} hold the colon-separated entries of {@code DT_RPATH} /
 * {@code DT_RUNPATH} unexpanded ({@code $ORIGIN} etc. are expanded during resolution) with empty
 * entries dropped. Per the gABI "Shared Object Dependencies", a loader ignores {@code DT_RPATH}
 * when {@code DT_RUNPATH} is present; both are kept here as written.
 *
 * @param elfClass 32 or 64 bit
 * @param byteOrder the data encoding ({@code EI_DATA})
 * @param osAbi {@code EI_OSABI} (0 = System V, 3 = GNU/Linux)
 * @param type the object type
 * @param machine the target machine
 * @param flags {@code e_flags} (processor-specific, e.g. Arm float ABI)
 * @param interpreter the {@code PT_INTERP} path, if any
 * @param needed {@code DT_NEEDED} names in order
 * @param rpath {@code DT_RPATH} entries
 * @param runpath {@code DT_RUNPATH} entries
 * @param soname {@code DT_SONAME}, if any
 * @param flags1 {@code DT_FLAGS_1} (e.g. {@code DF_1_PIE}, {@code DF_1_NODEFLIB}), 0 if absent
 * @param hasDynamicSection whether a {@code PT_DYNAMIC} segment exists
 * @param hasSymbolTable whether a {@code .symtab} section ({@code SHT_SYMTAB}) exists (not
 *     stripped)
 * @param hasDebugInfo whether any {@code .debug_*} or {@code .zdebug_*} section exists
 */
public record ElfFile(
    ElfClass elfClass,
    ByteOrder byteOrder,
    int osAbi,
    ElfType type,
    Machine machine,
    long flags,
    Optional<String> interpreter,
    List<String> needed,
    List<String> rpath,
    List<String> runpath,
    Optional<String> soname,
    long flags1,
    boolean hasDynamicSection,
    boolean hasSymbolTable,
    boolean hasDebugInfo) {

  /**
   * {@code DF_1_NODEFLIB}: do not search the default library directories for this object's needs.
   */
  public static final long DF_1_NODEFLIB = 0x800L;

  /** {@code DF_1_PIE}: the object is a position-independent executable. */
  public static final long DF_1_PIE = 0x08000000L;

  /** Copies the lists and checks for nulls. */
  public ElfFile {
    Objects.requireNonNull(elfClass, "elfClass");
    Objects.requireNonNull(byteOrder, "byteOrder");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(interpreter, "interpreter");
    Objects.requireNonNull(soname, "soname");
    needed = List.copyOf(needed);
    rpath = List.copyOf(rpath);
    runpath = List.copyOf(runpath);
  }

  /**
   * Parses the header, program headers, interpreter and dynamic section (and, best effort, the
   * section headers) from a random-access source, reading only those parts.
   *
   * @throws ElfFormatException if the bytes are not ELF, are truncated, or exceed sanity limits
   * @throws IOException if reading fails
   */
  public static ElfFile read(ElfSource source) throws IOException {
    return new ElfParser(source).parse();
  }

  /**
   * Parses a host file, following symlinks (a convenience for host tools; inside an image root use
   * an {@link ElfFileSystem}, which never lets the host follow links).
   *
   * @throws IOException if the file cannot be read or is not a well-formed ELF object
   */
  public static ElfFile read(Path file) throws IOException {
    try (ElfSource source = ElfSource.of(FileChannel.open(file, StandardOpenOption.READ))) {
      return read(source);
    }
  }

  /** True when {@code head} starts with the ELF magic {@code 0x7f 'E' 'L' 'F'}. */
  public static boolean hasElfMagic(byte[] head) {
    return head.length >= 4
        && head[0] == 0x7f
        && head[1] == 'E'
        && head[2] == 'L'
        && head[3] == 'F';
  }

  /**
   * True when nothing is loaded at run time: no interpreter and no {@code DT_NEEDED}. Covers
   * classic static executables and static-pie ones (type {@link ElfType#DYN} without interpreter).
   */
  public boolean isStatic() {
    return interpreter.isEmpty() && needed.isEmpty();
  }

  /**
   * True for a static-pie executable: {@link ElfType#DYN}, {@code DF_1_PIE}, no interpreter, no
   * needs.
   */
  public boolean isStaticPie() {
    return type == ElfType.DYN && isStatic() && (flags1 & DF_1_PIE) != 0;
  }

  /** True for a position-independent executable (dynamic or static-pie). */
  public boolean isPie() {
    return type == ElfType.DYN && ((flags1 & DF_1_PIE) != 0 || interpreter.isPresent());
  }

  /** The OCI {@code platform.architecture} for this object, e.g. {@code amd64}, if OCI names it. */
  public Optional<String> ociArchitecture() {
    return machine.ociArchitecture(elfClass, byteOrder);
  }

  /**
   * True when a loader for {@code other} would map this object: same class, byte order and machine
   * (glibc's {@code open_verify} silently skips candidates that differ and keeps searching).
   */
  public boolean isCompatibleWith(ElfFile other) {
    return elfClass == other.elfClass
        && byteOrder.equals(other.byteOrder)
        && machine.equals(other.machine);
  }
}
