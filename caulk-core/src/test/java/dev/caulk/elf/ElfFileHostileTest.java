package dev.caulk.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Crafted, foreign-architecture, truncated and hostile inputs. */
class ElfFileHostileTest {

  private static ElfFile parse(byte[] bytes) throws IOException {
    return ElfFile.read(ElfSource.of(bytes));
  }

  private static String error(byte[] bytes) {
    return assertThrows(ElfFormatException.class, () -> parse(bytes)).getMessage();
  }

  @Test
  void aarch64HeaderIsRecognised() throws IOException {
    ElfFile elf =
        parse(
            new TestElf()
                .machine(183)
                .interp("/lib/ld-linux-aarch64.so.1")
                .needs("libc.so.6")
                .build());
    assertEquals(Machine.AARCH64, elf.machine());
    assertEquals(Optional.of("arm64"), elf.ociArchitecture());
    assertEquals(Optional.of("/lib/ld-linux-aarch64.so.1"), elf.interpreter());
    assertEquals(List.of("libc.so.6"), elf.needed());
    assertTrue(!elf.isCompatibleWith(parse(new TestElf().build())));
  }

  @Test
  void bigEndian32BitObject() throws IOException {
    ElfFile elf =
        parse(
            new TestElf()
                .elf32()
                .bigEndian()
                .machine(8)
                .needs("libc.so.6")
                .soname("libx.so.1")
                .rpath("$ORIGIN::/opt/lib")
                .build());
    assertEquals(ElfClass.ELF32, elf.elfClass());
    assertEquals(ByteOrder.BIG_ENDIAN, elf.byteOrder());
    assertEquals(Optional.of("mips"), elf.ociArchitecture());
    assertEquals(Optional.of("libx.so.1"), elf.soname());
    assertEquals(List.of("$ORIGIN", "/opt/lib"), elf.rpath());
  }

  @Test
  void minimalHeaderWithoutProgramHeaders() throws IOException {
    byte[] header = Arrays.copyOf(new TestElf().machine(183).type(2).build(), 64);
    ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0);
    ElfFile elf = parse(header);
    assertEquals(ElfType.EXEC, elf.type());
    assertTrue(elf.isStatic());
    assertEquals(Optional.of("arm64"), elf.ociArchitecture());
  }

  @Test
  void notElf() {
    assertEquals("not an ELF file", error("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("not an ELF file", error(new byte[0]));
    assertEquals("not an ELF file", error(new byte[] {0x7f, 'E', 'L'}));
  }

  @Test
  void truncatedRealBinary() throws IOException {
    byte[] ls = Files.readAllBytes(Path.of("/bin/ls").toRealPath());
    assertEquals(
        "truncated ELF: program header table beyond end of file", error(Arrays.copyOf(ls, 100)));
    assertEquals("truncated ELF: header beyond end of file", error(Arrays.copyOf(ls, 40)));
    assertEquals("truncated ELF: identification beyond end of file", error(Arrays.copyOf(ls, 10)));
    String mid = error(Arrays.copyOf(ls, 1024));
    assertTrue(mid.startsWith("truncated ELF: "), mid);
  }

  @Test
  void badIdentification() {
    byte[] b = new TestElf().build();
    b[4] = 3;
    assertEquals("unsupported ELF class 3", error(b));
    b = new TestElf().build();
    b[5] = 0;
    assertEquals("unsupported ELF data encoding 0", error(b));
    b = new TestElf().build();
    b[6] = 2;
    assertEquals("unsupported ELF version 2", error(b));
  }

  @Test
  void hostileProgramHeaderCounts() {
    byte[] b = new TestElf().build();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0xffff);
    assertTrue(error(b).contains("PN_XNUM"));
    b = new TestElf().build();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 5000);
    assertEquals("too many program headers: 5000 > 4096", error(b));
    b = new TestElf().build();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(54, (short) 8);
    assertEquals("bad program header entry size 8", error(b));
    b = new TestElf().build();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(32, Long.MAX_VALUE - 3);
    assertEquals("truncated ELF: program header table beyond end of file", error(b));
  }

  @Test
  void hostileDynamicSection() {
    // PT_DYNAMIC (third program header) claims a gigantic size.
    byte[] b = new TestElf().interp("/lib/ld.so").needs("libc.so.6").build();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int dynPh = 64 + 2 * 56;
    bb.putLong(dynPh + 32, 1L << 40);
    assertTrue(error(b).startsWith("dynamic section too large"), error(b));
    bb.putLong(dynPh + 32, 1L << 16);
    assertEquals("truncated ELF: dynamic section beyond end of file", error(b));
  }

  @Test
  void stringOutsideTableOrUnterminated() {
    byte[] b = new TestElf().needs("libc.so.6").build();
    // Point DT_STRSZ (after the DT_NEEDED and DT_STRTAB entries) to 3 bytes: "libc.so.6" is not
    // terminated.
    int dyn = indexOfDynamic(b, 10);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(dyn + 8, 3);
    assertEquals("DT_NEEDED string not terminated", error(b));
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(dyn + 8, 1);
    assertEquals("DT_NEEDED string offset beyond string table", error(b));
    b = new TestElf().needs("libc.so.6").build();
    int strtab = indexOfDynamic(b, 5);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(strtab + 8, 0x999999);
    assertEquals("DT_STRTAB address 0x999999 is not in any PT_LOAD segment", error(b));
  }

  @Test
  void overlongStringIsCapped() throws IOException {
    String huge = "x".repeat(ElfParser.MAX_STRING + 10);
    assertTrue(error(new TestElf().needs(huge).build()).contains("string too long"));
    String fine = "y".repeat(ElfParser.MAX_STRING);
    assertEquals(List.of(fine), parse(new TestElf().needs(fine).build()).needed());
  }

  @Test
  void interpreterEdgeCases() {
    byte[] b = new TestElf().interp("/lib/ld.so").build();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 32, 100_000);
    assertTrue(error(b).startsWith("interpreter path too long"));
    b = new TestElf().interp("/lib/ld.so").build();
    b[64 + 3 * 56] = 0;
    assertEquals("empty interpreter path", error(b));
  }

  @Test
  void garbageSectionTableIsIgnored() throws IOException {
    byte[] b = new TestElf().needs("libc.so.6").build();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    bb.putLong(40, 1L << 50);
    bb.putShort(60, (short) 30);
    ElfFile elf = parse(b);
    assertEquals(List.of("libc.so.6"), elf.needed());
    assertTrue(!elf.hasDebugInfo() && !elf.hasSymbolTable());
  }

  /** Finds the file offset of the first dynamic entry with {@code tag} in a 64-bit TestElf. */
  private static int indexOfDynamic(byte[] b, long tag) {
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int dynPh = 64;
    while (bb.getInt(dynPh) != 2) {
      dynPh += 56;
    }
    int off = (int) bb.getLong(dynPh + 8);
    for (int i = off; i + 16 <= b.length; i += 16) {
      if (bb.getLong(i) == tag) {
        return i;
      }
    }
    throw new AssertionError("no tag " + tag);
  }
}
