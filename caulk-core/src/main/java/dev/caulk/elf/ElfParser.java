package dev.caulk.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the loader-relevant parts of an ELF object (System V gABI chapters "ELF Header", "Program
 * Header", "Dynamic Section") with bounded reads. Every count, size and offset read from the file
 * is checked against the file size and a sanity cap before use, so hostile input ends in an {@link
 * ElfFormatException} instead of a huge allocation or a long loop.
 */
final class ElfParser {
  static final int MAX_PROGRAM_HEADERS = 4096;
  static final int MAX_DYNAMIC_ENTRIES = 65536;
  static final int MAX_NEEDED = 4096;
  static final int MAX_STRING = 32 * 1024;
  static final int MAX_INTERP = 4096;

  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final int PT_INTERP = 3;
  private static final long DT_NULL = 0;
  private static final long DT_NEEDED = 1;
  private static final long DT_STRTAB = 5;
  private static final long DT_STRSZ = 10;
  private static final long DT_SONAME = 14;
  private static final long DT_RPATH = 15;
  private static final long DT_RUNPATH = 29;
  private static final long DT_FLAGS_1 = 0x6ffffffbL;

  private final ElfSource source;
  private long size;
  private boolean is64;
  private @Nullable ByteOrder order;

  /** A {@code PT_LOAD} segment's file image: where {@code vaddr} lives in the file. */
  private record Load(long offset, long vaddr, long filesz) {}

  ElfParser(ElfSource source) {
    this.source = source;
  }

  ElfFile parse() throws IOException {
    size = source.size();
    if (size < 4) {
      throw new ElfFormatException("not an ELF file");
    }
    ByteBuffer magic = read(0, 4, "magic");
    if (!ElfFile.hasElfMagic(new byte[] {magic.get(0), magic.get(1), magic.get(2), magic.get(3)})) {
      throw new ElfFormatException("not an ELF file");
    }
    ByteBuffer ident = read(0, 16, "identification");
    int cls = ident.get(4);
    int data = ident.get(5);
    int version = ident.get(6);
    int osAbi = ident.get(7) & 0xff;
    if (cls != 1 && cls != 2) {
      throw new ElfFormatException("unsupported ELF class " + cls);
    }
    if (data != 1 && data != 2) {
      throw new ElfFormatException("unsupported ELF data encoding " + data);
    }
    if (version != 1) {
      throw new ElfFormatException("unsupported ELF version " + version);
    }
    is64 = cls == 2;
    order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;

    ByteBuffer h = read(0, is64 ? 64 : 52, "header");
    ElfType type = ElfType.of(h.getShort(16) & 0xffff);
    Machine machine = new Machine(h.getShort(18) & 0xffff);
    long phoff = is64 ? h.getLong(32) : u32(h, 28);
    long shoff = is64 ? h.getLong(40) : u32(h, 32);
    long flags = u32(h, is64 ? 48 : 36);
    int phentsize = h.getShort(is64 ? 54 : 42) & 0xffff;
    int phnum = h.getShort(is64 ? 56 : 44) & 0xffff;
    int shentsize = h.getShort(is64 ? 58 : 46) & 0xffff;
    int shnum = h.getShort(is64 ? 60 : 48) & 0xffff;
    int shstrndx = h.getShort(is64 ? 62 : 50) & 0xffff;

    List<Load> loads = new ArrayList<>();
    long[] interp = null;
    long[] dynamic = null;
    if (phnum > 0) {
      if (phnum == 0xffff) {
        throw new ElfFormatException(
            "extended program header numbering (PN_XNUM) is not supported");
      }
      if (phnum > MAX_PROGRAM_HEADERS) {
        throw new ElfFormatException(
            "too many program headers: " + phnum + " > " + MAX_PROGRAM_HEADERS);
      }
      if (phentsize < (is64 ? 56 : 32) || phentsize > 1024) {
        throw new ElfFormatException("bad program header entry size " + phentsize);
      }
      ByteBuffer ph = read(phoff, (long) phnum * phentsize, "program header table");
      for (int i = 0; i < phnum; i++) {
        int at = i * phentsize;
        int ptype = ph.getInt(at);
        long off = is64 ? ph.getLong(at + 8) : u32(ph, at + 4);
        long vaddr = is64 ? ph.getLong(at + 16) : u32(ph, at + 8);
        long filesz = is64 ? ph.getLong(at + 32) : u32(ph, at + 16);
        if (ptype == PT_LOAD) {
          loads.add(new Load(off, vaddr, filesz));
        } else if (ptype == PT_INTERP && interp == null) {
          interp = new long[] {off, filesz};
        } else if (ptype == PT_DYNAMIC && dynamic == null) {
          dynamic = new long[] {off, filesz};
        }
      }
    }

    Optional<String> interpreter =
        interp == null ? Optional.empty() : Optional.of(interpreter(interp[0], interp[1]));

    List<String> needed = new ArrayList<>();
    List<String> rpath = new ArrayList<>();
    List<String> runpath = new ArrayList<>();
    Optional<String> soname = Optional.empty();
    long flags1 = 0;
    if (dynamic != null) {
      int entSize = is64 ? 16 : 8;
      long count = Long.divideUnsigned(dynamic[1], entSize);
      if (Long.compareUnsigned(count, MAX_DYNAMIC_ENTRIES) > 0) {
        throw new ElfFormatException(
            "dynamic section too large: " + Long.toUnsignedString(count) + " entries");
      }
      ByteBuffer dyn = read(dynamic[0], count * entSize, "dynamic section");
      List<Long> neededOffsets = new ArrayList<>();
      List<Long> rpathOffsets = new ArrayList<>();
      List<Long> runpathOffsets = new ArrayList<>();
      long sonameOffset = -1;
      long strtab = -1;
      long strsz = -1;
      for (int i = 0; i < count; i++) {
        long tag = is64 ? dyn.getLong(i * 16) : dyn.getInt(i * 8);
        long val = is64 ? dyn.getLong(i * 16 + 8) : u32(dyn, i * 8 + 4);
        if (tag == DT_NULL) {
          break;
        } else if (tag == DT_NEEDED) {
          if (neededOffsets.size() >= MAX_NEEDED) {
            throw new ElfFormatException("too many DT_NEEDED entries (> " + MAX_NEEDED + ")");
          }
          neededOffsets.add(val);
        } else if (tag == DT_RPATH) {
          rpathOffsets.add(val);
        } else if (tag == DT_RUNPATH) {
          runpathOffsets.add(val);
        } else if (tag == DT_SONAME) {
          sonameOffset = val;
        } else if (tag == DT_STRTAB) {
          strtab = val;
        } else if (tag == DT_STRSZ) {
          strsz = val;
        } else if (tag == DT_FLAGS_1) {
          flags1 = val;
        }
      }
      boolean wantsStrings =
          !neededOffsets.isEmpty()
              || !rpathOffsets.isEmpty()
              || !runpathOffsets.isEmpty()
              || sonameOffset != -1;
      if (wantsStrings) {
        StringTable strings = stringTable(strtab, strsz, loads);
        for (long off : neededOffsets) {
          needed.add(strings.get(off, "DT_NEEDED"));
        }
        for (long off : rpathOffsets) {
          splitPath(strings.get(off, "DT_RPATH"), rpath);
        }
        for (long off : runpathOffsets) {
          splitPath(strings.get(off, "DT_RUNPATH"), runpath);
        }
        if (sonameOffset != -1) {
          soname = Optional.of(strings.get(sonameOffset, "DT_SONAME"));
        }
      }
    }

    SectionScan sections = SectionScan.scan(this, shoff, shentsize, shnum, shstrndx);
    return new ElfFile(
        is64 ? ElfClass.ELF64 : ElfClass.ELF32,
        order,
        osAbi,
        type,
        machine,
        flags,
        interpreter,
        needed,
        rpath,
        runpath,
        soname,
        flags1,
        dynamic != null,
        sections.hasSymbolTable(),
        sections.hasDebugInfo());
  }

  private String interpreter(long offset, long length) throws IOException {
    if (Long.compareUnsigned(length, MAX_INTERP) > 0) {
      throw new ElfFormatException(
          "interpreter path too long: " + Long.toUnsignedString(length) + " bytes");
    }
    ByteBuffer b = read(offset, length, "interpreter path");
    int end = 0;
    while (end < length && b.get(end) != 0) {
      end++;
    }
    if (end == 0) {
      throw new ElfFormatException("empty interpreter path");
    }
    byte[] bytes = new byte[end];
    b.get(0, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private StringTable stringTable(long strtab, long strsz, List<Load> loads)
      throws ElfFormatException {
    if (strtab == -1) {
      throw new ElfFormatException("dynamic section names strings but has no DT_STRTAB");
    }
    for (Load load : loads) {
      long delta = strtab - load.vaddr();
      if (Long.compareUnsigned(strtab, load.vaddr()) >= 0
          && Long.compareUnsigned(delta, load.filesz()) < 0) {
        long offset = load.offset() + delta;
        long limit = load.filesz() - delta;
        if (strsz != -1 && Long.compareUnsigned(strsz, limit) < 0) {
          limit = strsz;
        }
        if (offset < 0 || offset > size) {
          throw new ElfFormatException("truncated ELF: string table beyond end of file");
        }
        return new StringTable(offset, Math.min(limit < 0 ? Long.MAX_VALUE : limit, size - offset));
      }
    }
    throw new ElfFormatException(
        String.format("DT_STRTAB address 0x%x is not in any PT_LOAD segment", strtab));
  }

  /** The dynamic string table at a file offset, at most {@code limit} bytes long. */
  private final class StringTable {
    private final long offset;
    private final long limit;

    StringTable(long offset, long limit) {
      this.offset = offset;
      this.limit = limit;
    }

    String get(long index, String what) throws IOException {
      return readCString(offset, limit, index, what);
    }
  }

  /**
   * Reads a NUL-terminated string at {@code base + index}, never past {@code base + limit} or
   * {@link #MAX_STRING}.
   */
  String readCString(long base, long limit, long index, String what) throws IOException {
    if (index < 0 || index >= limit) {
      throw new ElfFormatException(what + " string offset beyond string table");
    }
    long available = Math.min(limit - index, MAX_STRING + 1L);
    int chunk = 256;
    int scanned = 0;
    while (true) {
      int want = (int) Math.min(available, Math.max(chunk, scanned * 2L));
      ByteBuffer b = read(base + index, want, "string table");
      for (int i = scanned; i < want; i++) {
        if (b.get(i) == 0) {
          byte[] bytes = new byte[i];
          b.get(0, bytes);
          return new String(bytes, StandardCharsets.UTF_8);
        }
      }
      scanned = want;
      if (want >= available) {
        throw new ElfFormatException(
            what
                + (available > MAX_STRING
                    ? " string too long (> " + MAX_STRING + " bytes)"
                    : " string not terminated"));
      }
    }
  }

  /**
   * Reads exactly {@code length} bytes at {@code position}, or fails with {@code "truncated ELF:
   * <what> beyond end of file"}.
   */
  ByteBuffer read(long position, long length, String what) throws IOException {
    if (position < 0 || length < 0 || length > Integer.MAX_VALUE - 8 || position > size - length) {
      throw new ElfFormatException("truncated ELF: " + what + " beyond end of file");
    }
    ByteBuffer b =
        ByteBuffer.allocate((int) length).order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
    while (b.hasRemaining()) {
      int n = source.read(position + b.position(), b);
      if (n <= 0) {
        throw new ElfFormatException("truncated ELF: " + what + " beyond end of file");
      }
    }
    return b.clear();
  }

  boolean is64() {
    return is64;
  }

  long size() {
    return size;
  }

  static long u32(ByteBuffer b, int at) {
    return b.getInt(at) & 0xffffffffL;
  }

  private static void splitPath(String value, List<String> out) {
    for (String part : value.split(":", -1)) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
  }
}
