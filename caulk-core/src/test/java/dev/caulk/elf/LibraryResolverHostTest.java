package dev.caulk.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.elf.LibraryClosure.FileEntry;
import dev.caulk.elf.LibraryClosure.Library;
import dev.caulk.elf.LibraryClosure.LinkEntry;
import dev.caulk.elf.LibraryClosure.PathEntry;
import dev.caulk.elf.LibraryClosure.Via;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolves real programs of this machine with the host as root, checked against {@code ldd}. */
class LibraryResolverHostTest {
  static LibraryResolver host;

  @TempDir Path tmp;

  @BeforeAll
  static void hostRoot() throws IOException {
    host = LibraryResolver.of(ElfFileSystem.ofHostRoot(Path.of("/")));
  }

  /** The closure's NEEDED libraries and interpreter, keyed like {@link Tools#ldd}. */
  private static Map<String, String> asLdd(LibraryClosure c) {
    Map<String, String> out = new TreeMap<>();
    for (Library lib : c.libraries()) {
      out.put(lib.via() == Via.INTERPRETER ? "" : lib.name(), lib.path());
    }
    return out;
  }

  private static Map<String, String> ldd(Path program) {
    Map<String, String> out = new TreeMap<>(Tools.ldd(program));
    out.remove("linux-vdso.so.1");
    return out;
  }

  /** Every LinkEntry is a host symlink with that text; every FileEntry a regular file. */
  private static void assertEntriesMirrorHost(LibraryClosure c) throws IOException {
    for (PathEntry e : c.entries()) {
      Path p = Path.of(e.path());
      assertEquals(
          p.getParent(), p.getParent().toRealPath(), "parent of " + p + " has no symlinks");
      if (e instanceof LinkEntry link) {
        assertEquals(link.target(), Files.readSymbolicLink(p).toString(), p.toString());
      } else {
        assertTrue(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS), p.toString());
      }
    }
  }

  @Test
  void lsMatchesLdd() throws IOException {
    Tools.assumeTools("ldd");
    LibraryClosure c = host.resolve("/bin/ls");
    assertEquals(ldd(Path.of("/bin/ls")), asLdd(c));
    assertTrue(c.isComplete());
    assertEntriesMirrorHost(c);
    assertTrue(c.entries().contains(new FileEntry(Path.of("/bin/ls").toRealPath().toString())));
    // Every symlink the loader meets is kept as a symlink: /bin, /lib64, and so-version links.
    if (Files.isSymbolicLink(Path.of("/bin"))) {
      assertTrue(
          c.entries()
              .contains(new LinkEntry("/bin", Files.readSymbolicLink(Path.of("/bin")).toString())));
    }
    for (Library lib : c.libraries()) {
      assertEquals(Path.of(lib.path()).toRealPath().toString(), lib.realPath());
      assertTrue(c.paths().contains(lib.realPath()), lib.realPath());
    }
    assertEquals(c.paths().size(), new TreeSet<>(c.paths()).size(), "no duplicates");
  }

  @Test
  void closureCopiedIntoAFreshRootResolvesIdentically() throws IOException {
    LibraryClosure c = host.resolve("/bin/ls");
    Path root = tmp.resolve("copy");
    for (PathEntry e : c.entries()) {
      Path dst = root.resolve(e.path().substring(1));
      Files.createDirectories(dst.getParent());
      if (e instanceof LinkEntry link) {
        Files.createSymbolicLink(dst, Path.of(link.target()));
      } else {
        Files.copy(Path.of(e.path()), dst);
      }
    }
    LibraryClosure again = LibraryResolver.of(ElfFileSystem.ofHostRoot(root)).resolve("/bin/ls");
    assertEquals(asLdd(c), asLdd(again));
    assertEquals(Set.copyOf(c.paths()), Set.copyOf(again.paths()));
  }

  @Test
  void javaThroughAlternativesUsesOrigin() throws IOException {
    Tools.assumeTools("ldd");
    Path java = Path.of("/usr/bin/java");
    assumeTrue(Files.exists(java), "no /usr/bin/java");
    LibraryClosure c = host.resolve(java.toString());
    // ldd runs ld.so on the given name, so its $ORIGIN would be /usr/bin; the kernel-started
    // program
    // sees its real path (/proc/self/exe), which is what the resolver models: compare with the real
    // path.
    assertEquals(ldd(java.toRealPath()), asLdd(c));
    Library jli = c.library("libjli.so").orElseThrow();
    assertTrue(jli.path().contains("/bin/../lib/"), jli.path());
    assertEquals("libjli.so", jli.soname().orElseThrow());
    assertEntriesMirrorHost(c);
    if (Files.isSymbolicLink(java)) {
      assertTrue(
          c.entries()
              .contains(new LinkEntry("/usr/bin/java", Files.readSymbolicLink(java).toString())));
    }
  }

  @Test
  void shellViaSymlinkKeepsTheChain() throws IOException {
    Tools.assumeTools("ldd");
    LibraryClosure c = host.resolve("/bin/sh");
    Path real = Path.of("/bin/sh").toRealPath();
    assertEquals(ldd(real), asLdd(c));
    assertEntriesMirrorHost(c);
    assertTrue(c.entries().contains(new FileEntry(real.toString())));
    Set<String> links =
        c.entries().stream()
            .filter(e -> e instanceof LinkEntry)
            .map(PathEntry::path)
            .collect(Collectors.toSet());
    assertTrue(
        links.contains(Path.of("/bin/sh").getParent().toRealPath().resolve("sh").toString()),
        links.toString());
  }

  @Test
  void staticBinaryNeedsOnlyItself() throws IOException {
    Tools.assumeTools("cc");
    Path src = tmp.resolve("s.c");
    Files.writeString(src, "int main(void) { return 0; }\n");
    assumeTrue(
        Tools.cc("-static", "-o", tmp.resolve("static").toString(), src.toString()),
        "no static libc");
    LibraryClosure c = LibraryResolver.of(ElfFileSystem.ofHostRoot(tmp)).resolve("/static");
    assertEquals(java.util.List.of(new FileEntry("/static")), c.entries());
    assertTrue(c.libraries().isEmpty());
    assertTrue(c.isComplete());
    Tools.Result ldd = Tools.run(java.util.List.of("ldd", tmp.resolve("static").toString()));
    assertTrue(ldd.out().contains("not a dynamic executable"), ldd.out());
    assertEquals(java.util.List.of(), host.runtimeExtraNames(c));
  }

  @Test
  void runtimeExtrasOnTheHost() throws IOException {
    LibraryClosure c = host.resolveWithRuntimeExtras("/bin/ls");
    assertTrue(host.runtimeExtraNames(c).contains("libgcc_s.so.1"));
    for (String name : host.runtimeExtraNames(c)) {
      boolean present =
          Files.exists(Path.of("/lib/x86_64-linux-gnu", name))
              || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu", name));
      assumeTrue(Files.isDirectory(Path.of("/usr/lib/x86_64-linux-gnu")));
      assertEquals(present, c.library(name).isPresent(), name);
    }
    assertFalse(c.libraries().stream().filter(l -> l.via() == Via.DLOPEN).findAny().isEmpty());
    assertEntriesMirrorHost(c);
  }
}
