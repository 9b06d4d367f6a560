package dev.caulk.scan.catalog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Hand-built ELF files carrying Go build info, for the formats and damage no binary on this machine
 * has: the pre-Go-1.18 pointer format in 32-bit big-endian and 64-bit little-endian, and truncated
 * or lying headers. Layout: read-only segment at file 0x1000 (strings), writable segment at 0x2000
 * (build info header, string headers), executable segment at 0x3000 (skipped).
 */
final class SyntheticElf {
  static final long RO_VADDR = 0x401000;
  static final long RW_VADDR = 0x602000;
  static final long TEXT_VADDR = 0x803000;
  private static final byte[] START = HexFormat.of().parseHex("3077af0c9274080241e1c107e6d618e6");
  private static final byte[] END = HexFormat.of().parseHex("f932433186182072008242104116d8f2");

  private SyntheticElf() {}

  /** The modinfo string as the linker stores it: sentinels around the text. */
  static byte[] framed(String modinfo) {
    byte[] text = modinfo.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[text.length + 32];
    System.arraycopy(START, 0, out, 0, 16);
    System.arraycopy(text, 0, out, 16, text.length);
    System.arraycopy(END, 0, out, 16 + text.length, 16);
    return out;
  }

  /** Pre-1.18 layout: the header points at Go string headers, which point at bytes in rodata. */
  static byte[] pointerFormat(boolean is64, boolean bigEndian, String goVersion, String modinfo) {
    ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int ptr = is64 ? 8 : 4;
    byte[] ver = goVersion.getBytes(StandardCharsets.UTF_8);
    byte[] mod = framed(modinfo);
    ByteBuffer ro = ByteBuffer.allocate(0x1000).order(order);
    ro.put(ver);
    ro.position(0x100);
    ro.put(mod);
    ByteBuffer rw = ByteBuffer.allocate(0x100).order(order);
    rw.put(GoBuildInfo.MAGIC);
    rw.put((byte) ptr);
    rw.put((byte) (bigEndian ? 1 : 0));
    putPtr(rw, ptr, RW_VADDR + 0x40);
    putPtr(rw, ptr, RW_VADDR + 0x60);
    rw.position(0x40);
    putPtr(rw, ptr, RO_VADDR);
    putPtr(rw, ptr, ver.length);
    rw.position(0x60);
    putPtr(rw, ptr, RO_VADDR + 0x100);
    putPtr(rw, ptr, mod.length);
    return image(is64, order, ro.array(), rw.array());
  }

  /** Go 1.18+ layout: uvarint-prefixed strings right after the header. */
  static byte[] inlineFormat(String goVersion, byte[] modBytes, int claimedModLength) {
    ByteArrayOutputStream rw = new ByteArrayOutputStream();
    rw.writeBytes(GoBuildInfo.MAGIC);
    rw.write(8);
    rw.write(2);
    rw.writeBytes(new byte[16]);
    byte[] ver = goVersion.getBytes(StandardCharsets.UTF_8);
    uvarint(rw, ver.length);
    rw.writeBytes(ver);
    uvarint(rw, claimedModLength);
    rw.writeBytes(modBytes);
    return image(true, ByteOrder.LITTLE_ENDIAN, new byte[0x100], rw.toByteArray());
  }

  private static void uvarint(ByteArrayOutputStream out, long v) {
    while (v >= 0x80) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static void putPtr(ByteBuffer b, int size, long v) {
    if (size == 8) b.putLong(v);
    else b.putInt((int) v);
  }

  /** An ELF image with an RO segment at 0x1000, RW at 0x2000 and a code segment after it. */
  private static byte[] image(boolean is64, ByteOrder order, byte[] ro, byte[] rw) {
    int ehsize = is64 ? 64 : 52;
    int phentsize = is64 ? 56 : 32;
    long rwOff = 0x2000;
    long textOff = rwOff + ((rw.length + 0xfff) & ~0xfff);
    byte[] text = new byte[0x800];
    java.util.Arrays.fill(text, (byte) 0x90);
    ByteBuffer f = ByteBuffer.allocate((int) (textOff + text.length)).order(order);
    f.put(
        new byte[] {
          0x7f,
          'E',
          'L',
          'F',
          (byte) (is64 ? 2 : 1),
          (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1),
          1
        });
    f.position(16);
    f.putShort((short) 2);
    f.putShort((short) (is64 ? 62 : 20));
    f.putInt(1);
    if (is64) {
      f.putLong(TEXT_VADDR);
      f.putLong(ehsize);
      f.putLong(0);
    } else {
      f.putInt((int) TEXT_VADDR);
      f.putInt(ehsize);
      f.putInt(0);
    }
    f.putInt(0);
    f.putShort((short) ehsize);
    f.putShort((short) phentsize);
    f.putShort((short) 3);
    f.putShort((short) 0);
    f.putShort((short) 0);
    f.putShort((short) 0);
    f.position(ehsize);
    segment(f, is64, 0x1000, RO_VADDR, ro.length, 4);
    segment(f, is64, rwOff, RW_VADDR, rw.length, 6);
    segment(f, is64, textOff, TEXT_VADDR, text.length, 5);
    f.position(0x1000);
    f.put(ro);
    f.position((int) rwOff);
    f.put(rw);
    f.position((int) textOff);
    f.put(text);
    return f.array();
  }

  private static void segment(
      ByteBuffer f, boolean is64, long off, long vaddr, long size, int flags) {
    if (is64) {
      f.putInt(1)
          .putInt(flags)
          .putLong(off)
          .putLong(vaddr)
          .putLong(vaddr)
          .putLong(size)
          .putLong(size)
          .putLong(0x1000);
    } else {
      f.putInt(1)
          .putInt((int) off)
          .putInt((int) vaddr)
          .putInt((int) vaddr)
          .putInt((int) size)
          .putInt((int) size)
          .putInt(flags)
          .putInt(0x1000);
    }
  }
}
