package dev.caulk.scan.catalog;

import static dev.caulk.scan.catalog.CatalogTesting.TreeFile.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.scan.catalog.CatalogTesting.TreeFile;
import dev.caulk.scan.ecosystem.Ecosystems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pass contract: routing, one stream per file, final files only, errors. */
class CatalogTest {

  @Test
  void mixedImageFindsEveryKindOnce() throws IOException {
    byte[] jar =
        CatalogTesting.zip(
            Map.of(
                "META-INF/maven/g/a/pom.properties",
                CatalogTesting.utf8("groupId=g\nartifactId=a\nversion=1.0\n")),
            false);
    byte[] mod = SyntheticElf.framed("path\tm/cmd\nmod\tm\tv1.0.0\t\n");
    byte[] go = SyntheticElf.inlineFormat("go1.22.1", mod, mod.length);
    List<TreeFile> files =
        new ArrayList<>(
            List.of(
                of("/etc/os-release", DpkgCatalogerTest.OS_RELEASE),
                of(
                    "/var/lib/dpkg/status",
                    "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\n"),
                new TreeFile("/app/app.jar", jar, true),
                new TreeFile("/app/server", go, true),
                new TreeFile("/app/data.bin", go, false),
                of("/etc/passwd", "root:x:0:0::/root:/bin/sh\n")));
    Inventory inv = CatalogTesting.pass(Ecosystems.catalog(), files);
    assertEquals(List.of(), inv.problems());
    assertEquals(
        List.of("deb:bash", "golang:m", "golang:stdlib", "maven:a"),
        inv.packages().stream().map(p -> p.type().purlType() + ":" + p.name()).toList());
    assertEquals("debian", inv.os().id());
  }

  @Test
  void eachWantedFileGoesToExactlyOneCataloger() throws IOException {
    List<String> seen = new ArrayList<>();
    Cataloger greedy = new Recording("greedy", seen);
    Cataloger second = new Recording("second", seen);
    Catalog c = Catalog.of(List.of(greedy, second));
    assertTrue(c.wants("/x", 1, false));
    c.accept("/x", new ByteArrayInputStream(new byte[] {1}), 1);
    assertEquals(List.of("greedy:/x"), seen);
    c.finish();
  }

  @Test
  void misuseIsAnIllegalState() throws IOException {
    Catalog c = Ecosystems.catalog();
    assertThrows(
        IllegalStateException.class,
        () -> c.accept("/etc/passwd", InputStream.nullInputStream(), 0));
    c.finish();
    assertThrows(IllegalStateException.class, c::finish);
    assertThrows(IllegalStateException.class, () -> c.wants("/a", 1, false));
  }

  @Test
  void aBrokenLayerStreamIsRethrownNotRecordedAsAProblem() {
    Cataloger dpkg = Catalogers.dpkg(CatalogLimits.defaults());
    IOException broken = new IOException("layer sha256:abcd: unexpected end of gzip stream");
    InputStream failing =
        new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (n++ > 10) throw broken;
            return 'a';
          }
        };
    IOException thrown =
        assertThrows(IOException.class, () -> dpkg.accept("/var/lib/dpkg/status", failing, 1000));
    assertSame(broken, thrown);
    assertEquals(List.of(), dpkg.problems());
  }

  @Test
  void onlyRegularFinalFilesReachCatalogers() throws IOException {
    // Paths the pass never offers (directories, whited-out files) simply do not appear; the
    // distroless marker comes from wants() alone, without reading status.d content.
    Catalog c = Ecosystems.catalog();
    assertTrue(c.wants("/var/lib/dpkg/status.d/base", 10, false));
    assertFalse(c.wants("/usr/share/doc/readme", 10, false));
    Inventory inv = c.finish();
    assertTrue(inv.os().distroless());
    assertEquals(List.of(), inv.packages());
  }

  /** A cataloger that wants everything and records what it was given. */
  private record Recording(String name, List<String> seen) implements Cataloger {
    @Override
    public boolean wants(String absolutePath, long size, boolean executable) {
      return true;
    }

    @Override
    public void accept(String absolutePath, InputStream content, long size) {
      seen.add(name + ":" + absolutePath);
    }

    @Override
    public List<Package> packages(OsRelease os) {
      return List.of();
    }

    @Override
    public List<Problem> problems() {
      return List.of();
    }
  }
}
