package dev.caulk.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small synthetic ELF objects: header, program headers (PT_INTERP, one PT_LOAD mapping the
 * whole file at a vaddr different from its offset, PT_DYNAMIC), interpreter string, dynamic string
 * table and dynamic section. Enough for a loader-level parser; no code.
 */
final class TestElf {
  boolean is64 = true;
  ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  int machine = 62;
  int type = 3;
  String interp;
  List<String> needed = new ArrayList<>();
  String soname;
  String rpath;
  String runpath;
  long flags1;

  static final long BASE = 0x400000;

  TestElf machine(int m) {
    machine = m;
    return this;
  }

  TestElf elf32() {
    is64 = false;
    return this;
  }

  TestElf bigEndian() {
    order = ByteOrder.BIG_ENDIAN;
    return this;
  }

  TestElf type(int t) {
    type = t;
    return this;
  }

  TestElf interp(String i) {
    interp = i;
    return this;
  }

  TestElf needs(String... names) {
    needed.addAll(List.of(names));
    return this;
  }

  TestElf soname(String s) {
    soname = s;
    return this;
  }

  TestElf rpath(String r) {
    rpath = r;
    return this;
  }

  TestElf runpath(String r) {
    runpath = r;
    return this;
  }

  byte[] build() {
    int ehsize = is64 ? 64 : 52;
    int phentsize = is64 ? 56 : 32;
    int dynent = is64 ? 16 : 8;
    int phnum = (interp != null ? 1 : 0) + 2;
    int interpOff = ehsize + phnum * phentsize;
    byte[] interpBytes =
        interp == null ? new byte[0] : (interp + "\0").getBytes(StandardCharsets.UTF_8);
    int strOff = interpOff + interpBytes.length;
    StringBuilder strtab = new StringBuilder("\0");
    List<long[]> dyn = new ArrayList<>();
    for (String n : needed) {
      dyn.add(new long[] {1, strtab.length()});
      strtab.append(n).append('\0');
    }
    if (soname != null) {
      dyn.add(new long[] {14, strtab.length()});
      strtab.append(soname).append('\0');
    }
    if (rpath != null) {
      dyn.add(new long[] {15, strtab.length()});
      strtab.append(rpath).append('\0');
    }
    if (runpath != null) {
      dyn.add(new long[] {29, strtab.length()});
      strtab.append(runpath).append('\0');
    }
    byte[] str = strtab.toString().getBytes(StandardCharsets.UTF_8);
    dyn.add(new long[] {5, BASE + strOff});
    dyn.add(new long[] {10, str.length});
    if (flags1 != 0) {
      dyn.add(new long[] {0x6ffffffbL, flags1});
    }
    dyn.add(new long[] {0, 0});
    int dynOff = (strOff + str.length + 7) & ~7;
    int total = dynOff + dyn.size() * dynent;
    ByteBuffer b = ByteBuffer.allocate(total).order(order);
    b.put(
        new byte[] {
          0x7f,
          'E',
          'L',
          'F',
          (byte) (is64 ? 2 : 1),
          (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2),
          1,
          0
        });
    b.position(16);
    b.putShort((short) type).putShort((short) machine).putInt(1);
    if (is64) {
      b.putLong(0).putLong(ehsize).putLong(0);
    } else {
      b.putInt(0).putInt(ehsize).putInt(0);
    }
    b.putInt(0)
        .putShort((short) ehsize)
        .putShort((short) phentsize)
        .putShort((short) phnum)
        .putShort((short) (is64 ? 64 : 40))
        .putShort((short) 0)
        .putShort((short) 0);
    b.position(ehsize);
    if (interp != null) {
      phdr(b, 3, interpOff, BASE + interpOff, interpBytes.length);
    }
    phdr(b, 1, 0, BASE, total);
    phdr(b, 2, dynOff, BASE + dynOff, (long) dyn.size() * dynent);
    b.position(interpOff);
    b.put(interpBytes);
    b.put(str);
    b.position(dynOff);
    for (long[] d : dyn) {
      if (is64) {
        b.putLong(d[0]).putLong(d[1]);
      } else {
        b.putInt((int) d[0]).putInt((int) d[1]);
      }
    }
    return b.array();
  }

  private void phdr(ByteBuffer b, int ptype, long off, long vaddr, long size) {
    if (is64) {
      b.putInt(ptype)
          .putInt(4)
          .putLong(off)
          .putLong(vaddr)
          .putLong(vaddr)
          .putLong(size)
          .putLong(size)
          .putLong(8);
    } else {
      b.putInt(ptype)
          .putInt((int) off)
          .putInt((int) vaddr)
          .putInt((int) vaddr)
          .putInt((int) size)
          .putInt((int) size)
          .putInt(4)
          .putInt(4);
    }
  }
}
