package dev.caulk.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parses real binaries of this machine and compares with {@code readelf} as the oracle. */
class ElfFileTest {
  @TempDir static Path tmp;
  static Path ls;
  static Path java;
  static Path libjli;

  @BeforeAll
  static void locate() throws IOException {
    ls = Path.of("/bin/ls").toRealPath();
    java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
    libjli = Path.of(System.getProperty("java.home"), "lib", "libjli.so").toRealPath();
  }

  private static void assertMatchesReadelf(Path file) throws IOException {
    Tools.assumeTools("readelf");
    ElfFile elf = ElfFile.read(file);
    Map<String, List<String>> oracle = Tools.readelfDynamic(file);
    assertEquals(oracle.getOrDefault("NEEDED", List.of()), elf.needed(), "DT_NEEDED of " + file);
    assertEquals(split(oracle.get("RPATH")), elf.rpath(), "DT_RPATH of " + file);
    assertEquals(split(oracle.get("RUNPATH")), elf.runpath(), "DT_RUNPATH of " + file);
    assertEquals(
        Optional.ofNullable(oracle.get("SONAME")).map(l -> l.get(0)), elf.soname(), "DT_SONAME");
    assertEquals(
        Optional.ofNullable(Tools.readelfInterpreter(file)), elf.interpreter(), "PT_INTERP");
  }

  private static List<String> split(List<String> values) {
    return values == null ? List.of() : List.of(String.join(":", values).split(":"));
  }

  @Test
  void lsMatchesReadelf() throws IOException {
    assertMatchesReadelf(ls);
    ElfFile elf = ElfFile.read(ls);
    assertEquals(ElfClass.ELF64, elf.elfClass());
    assertEquals(ByteOrder.LITTLE_ENDIAN, elf.byteOrder());
    assertEquals(Machine.X86_64, elf.machine());
    assertEquals(Optional.of("amd64"), elf.ociArchitecture());
    assertTrue(elf.type().isLoadable());
    assertTrue(elf.hasDynamicSection());
    assertFalse(elf.isStatic());
    assertFalse(elf.isStaticPie());
  }

  @Test
  void javaLauncherHasOriginRpath() throws IOException {
    assertMatchesReadelf(java);
    ElfFile elf = ElfFile.read(java);
    assertTrue(elf.needed().contains("libjli.so"), elf.needed().toString());
    assertTrue(
        elf.rpath().stream().anyMatch(p -> p.contains("$ORIGIN"))
            || elf.runpath().stream().anyMatch(p -> p.contains("$ORIGIN")),
        "java uses $ORIGIN");
  }

  @Test
  void sharedLibraryHasSonameAndNoInterpreter() throws IOException {
    assertMatchesReadelf(libjli);
    ElfFile elf = ElfFile.read(libjli);
    assertEquals(ElfType.DYN, elf.type());
    assertEquals(Optional.of("libjli.so"), elf.soname());
    assertTrue(elf.interpreter().isEmpty());
    assertFalse(elf.isPie());
  }

  @Test
  void shellViaItsRealPath() throws IOException {
    Path sh = Path.of("/bin/sh").toRealPath();
    assertMatchesReadelf(sh);
    assertTrue(ElfFile.read(sh).interpreter().isPresent());
  }

  @Test
  void staticAndStaticPieBinaries() throws IOException {
    Tools.assumeTools("cc", "readelf");
    Path src = tmp.resolve("hello.c");
    Files.writeString(src, "int main(void) { return 0; }\n");
    Path st = tmp.resolve("static");
    Path pie = tmp.resolve("static-pie");
    assumeTrue(Tools.cc("-static", "-o", st.toString(), src.toString()), "no static libc");
    ElfFile s = ElfFile.read(st);
    assertEquals(ElfType.EXEC, s.type());
    assertTrue(s.isStatic());
    assertFalse(s.isStaticPie());
    assertTrue(s.interpreter().isEmpty());
    assertEquals(null, Tools.readelfInterpreter(st));
    if (Tools.cc("-static-pie", "-o", pie.toString(), src.toString())) {
      ElfFile p = ElfFile.read(pie);
      assertEquals(ElfType.DYN, p.type());
      assertTrue(p.isStatic());
      assertTrue(p.isStaticPie());
      assertTrue(p.isPie());
      assertTrue(Tools.readelfDynamic(pie).isEmpty());
    }
  }

  @Test
  void debugSectionsAndSymbolTable() throws IOException {
    Tools.assumeTools("cc");
    Path src = tmp.resolve("dbg.c");
    Files.writeString(src, "int main(void) { return 0; }\n");
    Path debug = tmp.resolve("with-debug");
    Path stripped = tmp.resolve("stripped");
    assumeTrue(Tools.cc("-g", "-o", debug.toString(), src.toString()));
    assumeTrue(Tools.cc("-s", "-o", stripped.toString(), src.toString()));
    ElfFile d = ElfFile.read(debug);
    assertTrue(d.hasDebugInfo());
    assertTrue(d.hasSymbolTable());
    ElfFile s = ElfFile.read(stripped);
    assertFalse(s.hasDebugInfo());
    assertFalse(s.hasSymbolTable());
    assertEquals(d.needed(), s.needed());
  }

  @Test
  void readsThroughChannelAndSliceWithoutLoadingEverything() throws IOException {
    byte[] bytes = Files.readAllBytes(ls);
    byte[] padded = new byte[bytes.length + 100];
    System.arraycopy(bytes, 0, padded, 100, bytes.length);
    try (ElfSource whole = ElfSource.of(padded)) {
      assertEquals(ElfFile.read(ls), ElfFile.read(whole.slice(100, bytes.length)));
    }
    CountingSource counting = new CountingSource(ElfSource.open(ls));
    ElfFile.read(counting);
    assertTrue(
        counting.bytesRead < bytes.length / 2,
        "read " + counting.bytesRead + " of " + bytes.length);
  }

  /** Counts bytes read, to check the parser stays bounded. */
  static final class CountingSource implements ElfSource {
    final ElfSource base;
    long bytesRead;

    CountingSource(ElfSource base) {
      this.base = base;
    }

    @Override
    public long size() throws IOException {
      return base.size();
    }

    @Override
    public int read(long position, java.nio.ByteBuffer dst) throws IOException {
      int n = base.read(position, dst);
      bytesRead += Math.max(0, n);
      return n;
    }

    @Override
    public void close() throws IOException {
      base.close();
    }
  }

  @Test
  void ociArchitectureNames() {
    assertEquals(
        Optional.of("arm64"),
        Machine.AARCH64.ociArchitecture(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN));
    assertEquals(
        Optional.of("arm"), Machine.ARM.ociArchitecture(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN));
    assertEquals(
        Optional.of("386"), Machine.I386.ociArchitecture(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN));
    assertEquals(
        Optional.of("ppc64le"),
        Machine.PPC64.ociArchitecture(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN));
    assertEquals(
        Optional.of("ppc64"), Machine.PPC64.ociArchitecture(ElfClass.ELF64, ByteOrder.BIG_ENDIAN));
    assertEquals(
        Optional.of("s390x"), Machine.S390.ociArchitecture(ElfClass.ELF64, ByteOrder.BIG_ENDIAN));
    assertEquals(
        Optional.of("riscv64"),
        Machine.RISCV.ociArchitecture(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN));
    assertEquals(
        Optional.of("mips64le"),
        Machine.MIPS.ociArchitecture(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN));
    assertEquals(
        Optional.of("mips"), Machine.MIPS.ociArchitecture(ElfClass.ELF32, ByteOrder.BIG_ENDIAN));
    assertEquals(
        Optional.of("loong64"),
        Machine.LOONGARCH.ociArchitecture(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN));
    assertEquals(
        Optional.empty(),
        new Machine(0x1234).ociArchitecture(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN));
    assertEquals("machine 0x1234", new Machine(0x1234).displayName());
  }
}
