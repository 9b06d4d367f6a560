package dev.caulk.scan.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The non-executable {@code PT_LOAD} segments of an ELF file, read in one forward pass over a
 * stream (ELF gABI, "Program Header"). Executable segments (code) are skipped, not kept; writable
 * segments (where {@code .go.buildinfo} lives) are kept first, then read-only ones (where Go's
 * pre-1.18 build info strings live), up to a byte budget. Reads by virtual address then resolve
 * pointers found in the data without seeking back in the stream.
 */
final class ElfSegments {
  private static final int PT_LOAD = 1;
  private static final int PF_X = 1;
  private static final int PF_W = 2;
  private static final int MAX_PHDR_BYTES = 1 << 20;
  private static final int MAX_SEGMENTS = 64;

  /** One kept segment; {@code filled} bytes from its start were present in the file. */
  static final class Segment {
    final long offset;
    final long vaddr;
    final boolean writable;
    final byte[] data;
    int filled;

    Segment(long offset, long vaddr, boolean writable, int size) {
      this.offset = offset;
      this.vaddr = vaddr;
      this.writable = writable;
      this.data = new byte[size];
    }
  }

  final boolean is64;
  final ByteOrder order;
  final List<Segment> segments;

  /** True when a wanted segment did not fit the budget. */
  final boolean overBudget;

  private final boolean writableOverBudget;

  private ElfSegments(
      boolean is64,
      ByteOrder order,
      List<Segment> segments,
      boolean overBudget,
      boolean writableOver) {
    this.is64 = is64;
    this.order = order;
    this.segments = segments;
    this.overBudget = overBudget;
    this.writableOverBudget = writableOver;
  }

  /** True when a writable segment (where build info would be) did not fit the budget. */
  boolean writableOverBudget() {
    return writableOverBudget;
  }

  /** True when the first bytes are the ELF magic {@code \x7fELF}. */
  static boolean isElf(byte[] head) {
    return head.length >= 4
        && head[0] == 0x7f
        && head[1] == 'E'
        && head[2] == 'L'
        && head[3] == 'F';
  }

  /**
   * Streams an ELF file, keeping its non-executable loadable segments.
   *
   * @param head the bytes already read from the start of the file (at least the ELF magic)
   * @param in the rest of the file
   * @param size the file's size
   * @param budget most bytes to keep
   */
  static ElfSegments read(byte[] head, InputStream in, long size, long budget) throws IOException {
    Cursor c = new Cursor(head, in);
    byte[] ident = c.readAt(0, 16);
    if (!isElf(ident)) throw new CatalogException("not an ELF file");
    boolean is64 =
        switch (ident[4]) {
          case 1 -> false;
          case 2 -> true;
          default -> throw new CatalogException("ELF: invalid class " + ident[4]);
        };
    ByteOrder order =
        switch (ident[5]) {
          case 1 -> ByteOrder.LITTLE_ENDIAN;
          case 2 -> ByteOrder.BIG_ENDIAN;
          default -> throw new CatalogException("ELF: invalid data encoding " + ident[5]);
        };
    ByteBuffer eh = ByteBuffer.wrap(c.readAt(0, is64 ? 64 : 52)).order(order);
    long phoff = is64 ? eh.getLong(0x20) : Integer.toUnsignedLong(eh.getInt(0x1c));
    int phentsize = Short.toUnsignedInt(eh.getShort(is64 ? 0x36 : 0x2a));
    int phnum = Short.toUnsignedInt(eh.getShort(is64 ? 0x38 : 0x2c));
    int expected = is64 ? 56 : 32;
    if (phnum == 0) throw new CatalogException("ELF: no program headers");
    if (phentsize != expected)
      throw new CatalogException(
          "ELF: program header size " + phentsize + ", expected " + expected);
    long phbytes = (long) phnum * phentsize;
    if (phoff < (is64 ? 64 : 52)
        || phoff > MAX_PHDR_BYTES
        || phbytes > MAX_PHDR_BYTES
        || phoff + phbytes > size) {
      throw new CatalogException("ELF: program headers out of bounds");
    }
    ByteBuffer ph = ByteBuffer.wrap(c.readAt(phoff, (int) phbytes)).order(order);
    List<long[]> loads = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      int base = i * phentsize;
      int type = ph.getInt(base);
      if (type != PT_LOAD) continue;
      long flags;
      long off;
      long vaddr;
      long filesz;
      if (is64) {
        flags = Integer.toUnsignedLong(ph.getInt(base + 4));
        off = ph.getLong(base + 8);
        vaddr = ph.getLong(base + 16);
        filesz = ph.getLong(base + 32);
      } else {
        off = Integer.toUnsignedLong(ph.getInt(base + 4));
        vaddr = Integer.toUnsignedLong(ph.getInt(base + 8));
        filesz = Integer.toUnsignedLong(ph.getInt(base + 16));
        flags = Integer.toUnsignedLong(ph.getInt(base + 24));
      }
      if ((flags & PF_X) != 0 || filesz <= 0 || off < 0 || off >= size) continue;
      loads.add(new long[] {off, vaddr, Math.min(filesz, size - off), (flags & PF_W) != 0 ? 1 : 0});
    }
    // Writable segments first: they hold .go.buildinfo; read-only ones only serve old pointers.
    loads.sort(Comparator.<long[]>comparingLong(l -> -l[3]).thenComparingLong(l -> l[0]));
    List<Segment> kept = new ArrayList<>();
    long left = budget;
    boolean over = false;
    boolean writableOver = false;
    for (long[] l : loads) {
      if (kept.size() == MAX_SEGMENTS || l[2] > left || l[2] > Integer.MAX_VALUE - 16) {
        over = true;
        writableOver |= l[3] == 1;
        continue;
      }
      kept.add(new Segment(l[0], l[1], l[3] == 1, (int) l[2]));
      left -= l[2];
    }
    kept.sort(Comparator.comparingLong(s -> s.offset));
    c.fill(kept);
    return new ElfSegments(is64, order, List.copyOf(kept), over, writableOver);
  }

  /** Reads {@code len} bytes at a virtual address, from one kept segment. */
  byte[] readVirtual(long vaddr, int len) throws CatalogException {
    for (Segment s : segments) {
      long rel = vaddr - s.vaddr;
      if (rel >= 0 && rel < s.data.length) {
        if (rel + len > s.filled)
          throw new CatalogException(
              "ELF: address 0x" + Long.toHexString(vaddr) + " past the end of the file");
        byte[] out = new byte[len];
        System.arraycopy(s.data, (int) rel, out, 0, len);
        return out;
      }
    }
    throw new CatalogException(
        "ELF: address 0x"
            + Long.toHexString(vaddr)
            + " is not in a kept data segment"
            + (overBudget ? " (segments over the memory bound were not kept)" : ""));
  }

  /** Forward-only reader over head bytes, then the stream. */
  private static final class Cursor {
    private final InputStream in;
    private byte[] head;
    private long pos;

    Cursor(byte[] head, InputStream in) {
      this.head = head;
      this.in = in;
      this.pos = head.length;
    }

    /** Bytes at an offset; offsets before the current position must be within the head. */
    byte[] readAt(long offset, int len) throws IOException {
      if (offset + len > pos) {
        int more = (int) (offset + len - pos);
        byte[] grown = new byte[head.length + more];
        System.arraycopy(head, 0, grown, 0, head.length);
        int got = in.readNBytes(grown, head.length, more);
        if (got < more) throw new EOFException("ELF: file ends inside its headers");
        head = grown;
        pos += more;
      }
      byte[] out = new byte[len];
      System.arraycopy(head, (int) offset, out, 0, len);
      return out;
    }

    /** Copies every kept segment's bytes, reading forward and skipping what no segment needs. */
    void fill(List<Segment> segs) throws IOException {
      for (Segment s : segs) copy(s, head, 0, head.length);
      long end = 0;
      for (Segment s : segs) end = Math.max(end, s.offset + s.data.length);
      byte[] buf = new byte[64 * 1024];
      while (pos < end) {
        long next = end;
        for (Segment s : segs) {
          if (s.offset + s.data.length > pos) next = Math.min(next, Math.max(s.offset, pos));
        }
        if (next > pos) {
          long want = next - pos;
          long skipped = skip(want);
          pos += skipped;
          if (skipped < want) return;
          continue;
        }
        int n = in.read(buf, 0, (int) Math.min(buf.length, end - pos));
        if (n <= 0) return;
        for (Segment s : segs) copy(s, buf, pos, n);
        pos += n;
      }
    }

    private long skip(long n) throws IOException {
      long done = 0;
      while (done < n) {
        long k = in.skip(n - done);
        if (k <= 0) {
          if (in.read() < 0) break;
          k = 1;
        }
        done += k;
      }
      return done;
    }

    private static void copy(Segment s, byte[] src, long srcFileOffset, int n) {
      long from = Math.max(s.offset, srcFileOffset);
      long to = Math.min(s.offset + s.data.length, srcFileOffset + n);
      if (from >= to) return;
      System.arraycopy(
          src, (int) (from - srcFileOffset), s.data, (int) (from - s.offset), (int) (to - from));
      s.filled = (int) Math.max(s.filled, to - s.offset);
    }
  }
}
