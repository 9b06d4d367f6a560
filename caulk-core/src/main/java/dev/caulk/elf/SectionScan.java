package dev.caulk.elf;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A best-effort look at the section header table (gABI "Sections") to tell whether an object still
 * carries a symbol table or debug information. Loaders ignore sections, so any problem here (no
 * table, truncated table, or a source that cannot reach the end of the file) yields "nothing found"
 * rather than an error.
 *
 * @param hasSymbolTable an {@code SHT_SYMTAB} section exists
 * @param hasDebugInfo a section named {@code .debug_*} or {@code .zdebug_*} exists
 */
record SectionScan(boolean hasSymbolTable, boolean hasDebugInfo) {
  static final int MAX_SECTIONS = 65536;
  static final int MAX_SHSTRTAB = 1 << 20;
  private static final int SHT_SYMTAB = 2;
  private static final SectionScan NONE = new SectionScan(false, false);

  static SectionScan scan(ElfParser p, long shoff, int shentsize, int shnum, int shstrndx) {
    try {
      return doScan(p, shoff, shentsize, shnum, shstrndx);
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }

  private static SectionScan doScan(ElfParser p, long shoff, int shentsize, int shnum, int shstrndx)
      throws IOException {
    boolean is64 = p.is64();
    if (shoff == 0 || shentsize < (is64 ? 64 : 40) || shentsize > 1024) {
      return NONE;
    }
    long count = shnum;
    long strndx = shstrndx;
    if (shnum == 0 || shstrndx == 0xffff) {
      // Extended numbering: the real values live in section header 0 (sh_size, sh_link).
      ByteBuffer first = p.read(shoff, shentsize, "section header 0");
      if (shnum == 0) {
        count = is64 ? first.getLong(32) : ElfParser.u32(first, 20);
      }
      if (shstrndx == 0xffff) {
        strndx = ElfParser.u32(first, is64 ? 40 : 24);
      }
    }
    if (count <= 0 || count > MAX_SECTIONS || count * shentsize > 8L * 1024 * 1024) {
      return NONE;
    }
    ByteBuffer table = p.read(shoff, count * shentsize, "section header table");
    boolean symtab = false;
    long namesOffset = -1;
    long namesSize = 0;
    for (int i = 0; i < count; i++) {
      int at = i * shentsize;
      if (table.getInt(at + 4) == SHT_SYMTAB) {
        symtab = true;
      }
      if (i == strndx) {
        namesOffset = is64 ? table.getLong(at + 24) : ElfParser.u32(table, at + 16);
        namesSize = is64 ? table.getLong(at + 32) : ElfParser.u32(table, at + 20);
      }
    }
    if (namesOffset < 0 || namesSize <= 0 || namesSize > MAX_SHSTRTAB) {
      return new SectionScan(symtab, false);
    }
    ByteBuffer names = p.read(namesOffset, namesSize, "section name table");
    boolean debug = false;
    for (int i = 0; i < count && !debug; i++) {
      long name = ElfParser.u32(table, i * shentsize);
      debug = startsWith(names, name, ".debug_") || startsWith(names, name, ".zdebug_");
    }
    return new SectionScan(symtab, debug);
  }

  private static boolean startsWith(ByteBuffer names, long at, String prefix) {
    if (at < 0 || at + prefix.length() > names.limit()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (names.get((int) at + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
