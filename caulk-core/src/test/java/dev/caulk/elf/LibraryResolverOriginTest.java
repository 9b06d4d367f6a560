package dev.caulk.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.elf.LibraryClosure.FileEntry;
import dev.caulk.elf.LibraryClosure.LinkEntry;
import dev.caulk.elf.LibraryClosure.Missing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs compiled for this test with {@code -Wl,-rpath,$ORIGIN/../lib}, resolved inside a temp
 * root that holds copies of the host's libc and loader; {@code ldd} on the same files is the
 * oracle.
 */
class LibraryResolverOriginTest {
  @TempDir static Path build;
  static Path libc;
  static Path loader;

  @TempDir Path tmp;

  /**
   * Compiles libdep.so, libhello.so.1.0.0 (needs libdep.so) and three programs needing
   * libhello.so.1.
   */
  @BeforeAll
  static void compile() throws IOException {
    Tools.assumeTools("cc", "ldd");
    libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    loader = Path.of("/lib64/ld-linux-x86-64.so.2");
    assumeTrue(Files.exists(libc) && Files.exists(loader), "not an x86_64 glibc host");
    Files.writeString(build.resolve("dep.c"), "int dep(void) { return 1; }\n");
    Files.writeString(
        build.resolve("hello.c"), "int dep(void);\nint hello(void) { return dep(); }\n");
    Files.writeString(
        build.resolve("main.c"), "int hello(void);\nint main(void) { return hello(); }\n");
    String b = build.toString();
    Tools.ccOrFail(
        "-shared", "-fPIC", "-Wl,-soname,libdep.so", "-o", b + "/libdep.so", b + "/dep.c");
    Tools.ccOrFail(
        "-shared",
        "-fPIC",
        "-Wl,-soname,libhello.so.1",
        "-o",
        b + "/libhello.so.1.0.0",
        b + "/hello.c",
        "-L" + b,
        "-ldep");
    String lib = "-l:libhello.so.1.0.0";
    String link = "-Wl,-rpath-link," + b;
    Tools.ccOrFail(
        "-o",
        b + "/hello-runpath",
        b + "/main.c",
        "-L" + b,
        lib,
        link,
        "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib");
    Tools.ccOrFail(
        "-o",
        b + "/hello-rpath",
        b + "/main.c",
        "-L" + b,
        lib,
        link,
        "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib");
    Tools.ccOrFail("-o", b + "/hello-plain", b + "/main.c", "-L" + b, lib, link);
  }

  /** A root with libc and the loader at their Debian paths, /lib64 as an absolute symlink. */
  private TestRoot root() {
    return new TestRoot(tmp)
        .copy(libc, "/usr/lib/x86_64-linux-gnu/libc.so.6")
        .copy(loader.toAbsolutePath().normalize(), "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        .link("/lib", "usr/lib")
        .link("/lib64", "/usr/lib/x86_64-linux-gnu");
  }

  private TestRoot app(TestRoot root) {
    return root.copy(build.resolve("hello-runpath"), "/app/bin/hello")
        .copy(build.resolve("hello-rpath"), "/app/bin/hello-rpath")
        .copy(build.resolve("hello-plain"), "/app/bin/hello-plain")
        .copy(build.resolve("libhello.so.1.0.0"), "/app/lib/libhello.so.1.0.0")
        .link("/app/lib/libhello.so.1", "libhello.so.1.0.0")
        .copy(build.resolve("libdep.so"), "/app/lib/libdep.so");
  }

  @Test
  void rpathOriginIsInheritedButRunpathIsNot() throws IOException {
    TestRoot root = app(root());
    LibraryResolver resolver = root.resolver();

    LibraryClosure rpath = resolver.resolve("/app/bin/hello-rpath");
    assertEquals(
        "/app/bin/../lib/libhello.so.1", rpath.library("libhello.so.1").orElseThrow().path());
    assertEquals("/app/bin/../lib/libdep.so", rpath.library("libdep.so").orElseThrow().path());
    assertEquals(
        "/lib/x86_64-linux-gnu/libc.so.6", rpath.library("libc.so.6").orElseThrow().path());
    assertEquals(
        "/usr/lib/x86_64-linux-gnu/libc.so.6", rpath.library("libc.so.6").orElseThrow().realPath());

    // DT_RUNPATH only serves the object's own needs: libhello's libdep.so is not found (ld.so
    // agrees).
    UnresolvedLibraryException e =
        assertThrows(UnresolvedLibraryException.class, () -> resolver.resolve("/app/bin/hello"));
    assertTrue(
        e.getMessage()
            .startsWith("libdep.so needed by /app/bin/../lib/libhello.so.1 not found (searched "),
        e.getMessage());
    assertEquals("libdep.so", e.missing().name());
    LibraryClosure lenient = resolver.strict(false).resolve("/app/bin/hello");
    assertEquals(List.of("libdep.so"), lenient.missing().stream().map(Missing::name).toList());
    assertTrue(lenient.library("libhello.so.1").isPresent());

    Map<String, String> rpathLdd = Tools.ldd(root.host("/app/bin/hello-rpath"));
    assertEquals(root.dir + "/app/bin/../lib/libdep.so", rpathLdd.get("libdep.so"));
    assertEquals("not found", Tools.ldd(root.host("/app/bin/hello")).get("libdep.so"));
  }

  @Test
  void symlinkChainsArePreserved() throws IOException {
    LibraryClosure c = app(root()).resolver().resolve("/app/bin/hello-rpath");
    List<LibraryClosure.PathEntry> e = c.entries();
    assertEquals(new FileEntry("/app/bin/hello-rpath"), e.get(0));
    assertTrue(e.contains(new LinkEntry("/lib64", "/usr/lib/x86_64-linux-gnu")), e.toString());
    assertTrue(e.contains(new LinkEntry("/lib", "usr/lib")), e.toString());
    assertTrue(
        e.contains(new FileEntry("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")), e.toString());
    int link = e.indexOf(new LinkEntry("/app/lib/libhello.so.1", "libhello.so.1.0.0"));
    int file = e.indexOf(new FileEntry("/app/lib/libhello.so.1.0.0"));
    assertTrue(link > 0 && file > link, e.toString());
    assertEquals(
        List.of(
            "/app/bin/hello-rpath",
            "/lib64",
            "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            "/app/lib/libhello.so.1",
            "/app/lib/libhello.so.1.0.0",
            "/lib",
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            "/app/lib/libdep.so"),
        c.paths());
  }

  @Test
  void missingLibraryNamesLibraryAndRequester() throws IOException {
    TestRoot root = root().copy(build.resolve("hello-rpath"), "/app/bin/hello");
    UnresolvedLibraryException e =
        assertThrows(
            UnresolvedLibraryException.class, () -> root.resolver().resolve("/app/bin/hello"));
    assertEquals(
        "libhello.so.1 needed by /app/bin/hello not found (searched /app/bin/../lib, "
            + "/lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib64, /usr/lib64, /lib, … 1 more)",
        e.getMessage());
    LibraryClosure c = root.resolver().strict(false).resolve("/app/bin/hello");
    assertEquals(
        List.of(
            new Missing(
                "libhello.so.1",
                "/app/bin/hello",
                List.of(
                    "/app/bin/../lib",
                    "/lib/x86_64-linux-gnu",
                    "/usr/lib/x86_64-linux-gnu",
                    "/lib64",
                    "/usr/lib64",
                    "/lib",
                    "/usr/lib"))),
        c.missing());
    assertTrue(c.library("libc.so.6").isPresent(), "the rest is still resolved");
  }

  @Test
  void wrongArchitectureAndBrokenCandidatesAreSkipped() throws IOException {
    TestRoot root =
        app(root())
            .elf("/wrong/arm64/libhello.so.1", new TestElf().machine(183).soname("libhello.so.1"))
            .elf(
                "/wrong/i386/libhello.so.1",
                new TestElf().elf32().machine(3).soname("libhello.so.1"))
            .text("/wrong/script/libhello.so.1", "/* GNU ld script */ INPUT(libhello.so.1.0.0)\n")
            .file("/wrong/truncated/libhello.so.1", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
    LibraryClosure c =
        root.resolver()
            .withLibraryPath(
                List.of("/wrong/arm64", "/wrong/i386", "/wrong/script", "/wrong/truncated"))
            .resolve("/app/bin/hello-rpath");
    assertEquals("/app/bin/../lib/libhello.so.1", c.library("libhello.so.1").orElseThrow().path());
    assertTrue(c.paths().stream().noneMatch(p -> p.startsWith("/wrong")), c.paths().toString());
  }

  @Test
  void libraryPathComesBeforeRunpathAndConfIncludesAreRead() throws IOException {
    TestRoot root =
        app(root())
            .copy(build.resolve("libhello.so.1.0.0"), "/env/libhello.so.1")
            .copy(build.resolve("libhello.so.1.0.0"), "/opt/custom/lib/libhello.so.1")
            .copy(build.resolve("libdep.so"), "/opt/other/libdep.so")
            .text("/etc/ld.so.conf", "# comment\ninclude /etc/ld.so.conf.d/*.conf\n")
            .text("/etc/ld.so.conf.d/a-custom.conf", "/opt/custom/lib/\n")
            .text("/etc/ld.so.conf.d/b-other.conf", "hwcap 1 x\n/opt/other # trailing comment\n")
            .text("/etc/ld.so.conf.d/ignored.txt", "/nowhere\n");
    LibraryResolver r = root.resolver();
    assertEquals(
        "/env/libhello.so.1",
        r.withLibraryPath(List.of("/env"))
            .resolve("/app/bin/hello")
            .library("libhello.so.1")
            .get()
            .path());
    LibraryClosure plain = r.resolve("/app/bin/hello-plain");
    assertEquals(
        "/opt/custom/lib/libhello.so.1", plain.library("libhello.so.1").orElseThrow().path());
    assertEquals("/opt/other/libdep.so", plain.library("libdep.so").orElseThrow().path());
    assertEquals(
        List.of("/opt/custom/lib", "/opt/other"),
        LdSoConf.read(new PathWalker(ElfFileSystem.ofHostRoot(root.dir)), "/etc/ld.so.conf"));
  }
}
