package dev.caulk.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.elf.LibraryClosure.FileEntry;
import dev.caulk.elf.LibraryClosure.Library;
import dev.caulk.elf.LibraryClosure.LinkEntry;
import dev.caulk.elf.LibraryClosure.Missing;
import dev.caulk.elf.LibraryClosure.Via;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution rules exercised on roots built from synthetic ELF objects ({@link TestElf}). */
class LibraryResolverSyntheticTest {
  @TempDir Path tmp;

  private static final String GLIBC_LD = "/lib64/ld-linux-x86-64.so.2";
  private static final String MUSL_LD = "/lib/ld-musl-x86_64.so.1";

  private TestRoot glibc() {
    return new TestRoot(tmp)
        .elf(GLIBC_LD, new TestElf().soname("ld-linux-x86-64.so.2"))
        .elf(
            "/lib/x86_64-linux-gnu/libc.so.6",
            new TestElf().soname("libc.so.6").needs("ld-linux-x86-64.so.2"));
  }

  private static List<String> names(LibraryClosure c) {
    return c.libraries().stream().map(Library::name).toList();
  }

  @Test
  void interpreterAnswersToItsSonameAndSharedNeedsLoadOnce() throws IOException {
    TestRoot root =
        glibc()
            .elf(
                "/usr/lib/x86_64-linux-gnu/liba.so.1",
                new TestElf().soname("liba.so.1").needs("libc.so.6"))
            .elf(
                "/usr/lib/x86_64-linux-gnu/libb.so.1",
                new TestElf().soname("libb.so.1").needs("liba.so.1", "libc.so.6"))
            .elf(
                "/bin/app",
                new TestElf().interp(GLIBC_LD).needs("libb.so.1", "liba.so.1", "libc.so.6"));
    LibraryClosure c = root.resolver().resolve("/bin/app");
    assertEquals(List.of(GLIBC_LD, "libb.so.1", "liba.so.1", "libc.so.6"), names(c));
    assertEquals(Via.INTERPRETER, c.libraries().get(0).via());
    assertEquals("/bin/app", c.library("libb.so.1").orElseThrow().neededBy());
    assertTrue(c.isComplete());
  }

  @Test
  void dynamicStringTokensAndNodeflib() throws IOException {
    TestRoot root =
        glibc()
            .elf("/usr/lib/x86_64-linux-gnu/.keep-dir/x", new TestElf())
            .elf("/opt/lib/x86_64-linux-gnu/libp.so", new TestElf().soname("libp.so"))
            .elf("/opt/x86_64/libq.so", new TestElf().soname("libq.so"))
            .elf("/opt/arch/libq.so", new TestElf().soname("libq.so"))
            .elf(
                "/bin/app",
                new TestElf()
                    .interp(GLIBC_LD)
                    .needs("libp.so", "libq.so", "libc.so.6")
                    .rpath("/opt/$LIB:/opt/${PLATFORM}"));
    LibraryClosure c = root.resolver().resolve("/bin/app");
    assertEquals("/opt/lib/x86_64-linux-gnu/libp.so", c.library("libp.so").orElseThrow().path());
    assertEquals("/opt/x86_64/libq.so", c.library("libq.so").orElseThrow().path());
    LibraryClosure custom =
        root.resolver().withLib("lib64").withPlatform("arch").strict(false).resolve("/bin/app");
    assertEquals(List.of("libp.so"), custom.missing().stream().map(Missing::name).toList());
    assertEquals("/opt/arch/libq.so", custom.library("libq.so").orElseThrow().path());

    TestElf nodeflib = new TestElf().interp(GLIBC_LD).needs("libc.so.6");
    nodeflib.flags1 = ElfFile.DF_1_NODEFLIB;
    root.elf("/bin/nodeflib", nodeflib);
    UnresolvedLibraryException e =
        assertThrows(
            UnresolvedLibraryException.class, () -> root.resolver().resolve("/bin/nodeflib"));
    assertEquals("libc.so.6 needed by /bin/nodeflib not found", e.getMessage());
  }

  @Test
  void neededWithSlashIsAPath() throws IOException {
    TestRoot root =
        glibc()
            .elf("/opt/plugins/libx.so", new TestElf().soname("libx.so"))
            .elf(
                "/bin/app",
                new TestElf()
                    .interp(GLIBC_LD)
                    .needs("$ORIGIN/../opt/plugins/libx.so", "libc.so.6"));
    Library x =
        root.resolver().resolve("/bin/app").library("$ORIGIN/../opt/plugins/libx.so").orElseThrow();
    assertEquals("/bin/../opt/plugins/libx.so", x.path());
    assertEquals("/opt/plugins/libx.so", x.realPath());
  }

  @Test
  void muslSearchOrderAndSelfNames() throws IOException {
    TestRoot root =
        new TestRoot(tmp)
            .elf(MUSL_LD, new TestElf().soname("libc.musl-x86_64.so.1"))
            .link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
            .elf(
                "/usr/lib/libssl.so.3",
                new TestElf()
                    .soname("libssl.so.3")
                    .needs("libcrypto.so.3", "libc.musl-x86_64.so.1"))
            .elf("/opt/app/lib/libcrypto.so.3", new TestElf().soname("libcrypto.so.3"))
            .elf("/opt/extra/libextra.so", new TestElf().soname("libextra.so"))
            .text("/etc/ld-musl-x86_64.path", "/opt/extra:/usr/lib\n/lib\n")
            .elf(
                "/opt/app/bin/app",
                new TestElf()
                    .interp(MUSL_LD)
                    .needs("libssl.so.3", "libextra.so", "libc.musl-x86_64.so.1", "libpthread.so.0")
                    .runpath("$ORIGIN/../lib"));
    LibraryClosure c = root.resolver().resolve("/opt/app/bin/app");
    // musl: RUNPATH is inherited by loaded libraries (libssl finds libcrypto through the app's),
    // the
    // path file replaces the defaults, and libc/libpthread names map to the loader itself.
    assertEquals(List.of(MUSL_LD, "libssl.so.3", "libextra.so", "libcrypto.so.3"), names(c));
    assertEquals(
        "/opt/app/bin/../lib/libcrypto.so.3", c.library("libcrypto.so.3").orElseThrow().path());
    assertEquals("/opt/extra/libextra.so", c.library("libextra.so").orElseThrow().path());
    assertTrue(c.paths().stream().noneMatch(p -> p.equals("/lib/libc.musl-x86_64.so.1")));
    assertEquals(List.of(), root.resolver().runtimeExtraNames(c));
  }

  @Test
  void scriptsResolveTheirInterpreter() throws IOException {
    TestRoot root =
        glibc()
            .elf("/usr/bin/dash", new TestElf().interp(GLIBC_LD).needs("libc.so.6").type(3))
            .link("/bin/sh", "/usr/bin/dash")
            .text("/app/run.sh", "#!/bin/sh -e\nexec app\n")
            .text("/app/outer", "#!/app/run.sh\n")
            .text("/app/bash.sh", "#!/bin/bash\n")
            .text("/app/a.sh", "#!/app/b.sh\n")
            .text("/app/b.sh", "#!/app/a.sh\n")
            .text("/app/data.txt", "hello\n");
    LibraryResolver r = root.resolver();
    LibraryClosure c = r.resolve("/app/outer");
    assertEquals(
        List.of(
            new FileEntry("/app/outer"),
            new FileEntry("/app/run.sh"),
            new LinkEntry("/bin/sh", "/usr/bin/dash"),
            new FileEntry("/usr/bin/dash")),
        c.entries().subList(0, 4));
    assertEquals(Via.SHEBANG, c.libraries().get(0).via());
    assertEquals("/app/run.sh", c.libraries().get(0).neededBy());
    assertTrue(c.library("libc.so.6").isPresent());

    assertEquals(
        "/bin/bash needed by /app/bash.sh not found",
        assertThrows(UnresolvedLibraryException.class, () -> r.resolve("/app/bash.sh"))
            .getMessage());
    assertEquals(
        List.of(new Missing("/bin/bash", "/app/bash.sh", List.of())),
        r.strict(false).resolve("/app/bash.sh").missing());
    assertTrue(
        assertThrows(ElfFormatException.class, () -> r.resolve("/app/a.sh"))
            .getMessage()
            .endsWith("too many levels of script interpreters"));
    assertEquals(
        "/app/data.txt: not an ELF file or script",
        assertThrows(ElfFormatException.class, () -> r.resolve("/app/data.txt")).getMessage());
    assertThrows(NoSuchFileException.class, () -> r.resolve("/app/nope"));
    assertThrows(NoSuchFileException.class, () -> r.resolve("/app"));
  }

  @Test
  void malformedProgramOrInterpreterIsAnErrorNamingTheFile() throws IOException {
    byte[] app = new TestElf().interp(GLIBC_LD).needs("libc.so.6").build();
    TestRoot root =
        glibc()
            .file("/bin/cut", java.util.Arrays.copyOf(app, 80))
            .elf("/bin/obj", new TestElf().type(1))
            .file("/lib64/ld-broken.so", new byte[] {0x7f, 'E', 'L', 'F'})
            .elf("/bin/badld", new TestElf().interp("/lib64/ld-broken.so"));
    LibraryResolver r = root.resolver();
    assertEquals(
        "/bin/cut: truncated ELF: program header table beyond end of file",
        assertThrows(ElfFormatException.class, () -> r.resolve("/bin/cut")).getMessage());
    assertEquals(
        "/bin/obj: ELF type REL cannot be executed",
        assertThrows(ElfFormatException.class, () -> r.resolve("/bin/obj")).getMessage());
    assertEquals(
        "/lib64/ld-broken.so: truncated ELF: identification beyond end of file",
        assertThrows(ElfFormatException.class, () -> r.resolve("/bin/badld")).getMessage());
  }

  @Test
  void runtimeExtrasFollowNsswitch() throws IOException {
    TestRoot root =
        glibc()
            .elf("/bin/app", new TestElf().interp(GLIBC_LD).needs("libc.so.6"))
            .elf(
                "/lib/x86_64-linux-gnu/libnss_files.so.2",
                new TestElf().soname("libnss_files.so.2").needs("libc.so.6"))
            .elf(
                "/lib/x86_64-linux-gnu/libnss_systemd.so.2",
                new TestElf()
                    .soname("libnss_systemd.so.2")
                    .needs("libc.so.6", "libsystemd-gone.so.0"))
            .elf("/lib/x86_64-linux-gnu/libgcc_s.so.1", new TestElf().soname("libgcc_s.so.1"))
            .text(
                "/etc/nsswitch.conf",
                "# comment\npasswd: files systemd\n"
                    + "hosts: files [NOTFOUND=return] mdns4_minimal [ !UNAVAIL = return ] dns\n"
                    + "evil: ../../x\n");
    LibraryResolver r = root.resolver();
    LibraryClosure plain = r.resolve("/bin/app");
    assertEquals(
        List.of(
            "libnss_files.so.2",
            "libnss_systemd.so.2",
            "libnss_mdns4_minimal.so.2",
            "libnss_dns.so.2",
            "libgcc_s.so.1"),
        r.runtimeExtraNames(plain));
    LibraryClosure c = r.resolveWithRuntimeExtras("/bin/app");
    assertEquals(
        List.of(GLIBC_LD, "libc.so.6", "libnss_files.so.2", "libnss_systemd.so.2", "libgcc_s.so.1"),
        names(c));
    assertEquals(Via.DLOPEN, c.library("libgcc_s.so.1").orElseThrow().via());
    assertEquals(
        "/lib/x86_64-linux-gnu/libc.so.6", c.library("libnss_files.so.2").orElseThrow().neededBy());
    assertEquals(List.of("libsystemd-gone.so.0"), c.missing().stream().map(Missing::name).toList());
    assertEquals(Optional.empty(), plain.library("libgcc_s.so.1"));
  }

  @Test
  void dstExpansionRules() {
    assertEquals("/a/lib:/a", Dst.expand("$ORIGIN/lib:${ORIGIN}", "/a", "L", "P"));
    assertEquals("$ORIGINAL/L/P/$FOO", Dst.expand("$ORIGINAL/$LIB/$PLATFORM/$FOO", "/a", "L", "P"));
    assertEquals("${ORIGIN/x", Dst.expand("${ORIGIN/x", "/a", "L", "P"));
    assertEquals("/a/$LIB", Dst.expand("$ORIGIN/$LIB", "/a", null, null));
    assertEquals("x$", Dst.expand("x$", "/a", "L", "P"));
  }

  @Test
  void globPatterns() {
    assertTrue("a.conf".matches(LdSoConf.globToRegex("*.conf")));
    assertTrue(!"a.conf.bak".matches(LdSoConf.globToRegex("*.conf")));
    assertTrue("x1.conf".matches(LdSoConf.globToRegex("x[0-9].conf")));
    assertTrue(!"xa.conf".matches(LdSoConf.globToRegex("x[!a-z].conf")));
    assertTrue("a+b".matches(LdSoConf.globToRegex("a+?")));
  }

  /**
   * An image's ld.so.conf {@code include} with many stars: {@code slim} took 78 s at 12 stars on a
   * backtracking engine.
   */
  @Test
  void globWithManyStarsIsLinear() {
    String re = LdSoConf.globToRegex("*a".repeat(16) + "*b");
    org.junit.jupiter.api.Assertions.assertFalse(
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () -> com.google.re2j.Pattern.matches(re, "a".repeat(200))));
    assertTrue(com.google.re2j.Pattern.matches(re, "a".repeat(200) + "b"));
  }
}
