package dev.caulk.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.InvalidLayerException;
import dev.caulk.tar.TestTars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileTreeTest {
  static List<String> paths(FileTree t) {
    return t.walk().stream().map(Node::path).toList();
  }

  @Test
  void mergesLayersWithAttributesAndOrigin() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar()
                    .dir("./", 0755)
                    .dir("etc")
                    .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                    .dir("tmp", 01777)
                    .bytes(),
                TestTars.tar()
                    .file(
                        "etc/passwd",
                        "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/false\n".getBytes(),
                        0644,
                        0,
                        0)
                    .file("app/run", "#!".getBytes(), 04755, 1000, 1000)
                    .bytes()));
    assertEquals(List.of("/", "/app", "/app/run", "/etc", "/etc/passwd", "/tmp"), paths(t));
    Node passwd = t.node("/etc/passwd").orElseThrow();
    assertEquals(1, passwd.layerIndex());
    assertEquals(59, passwd.size());
    Node app = t.node("app").orElseThrow();
    assertEquals(EntryType.DIR, app.type());
    assertEquals(0755, app.mode(), "implied directory");
    assertEquals(1, app.layerIndex());
    Node run = t.node("/app/run").orElseThrow();
    assertTrue(run.isSetuid());
    assertEquals("-rwsr-xr-x", run.modeString());
    assertEquals("drwxrwxrwt", t.node("/tmp").orElseThrow().modeString());
    assertEquals(List.of("/app/run"), t.children("/app").stream().map(Node::path).toList());
    assertEquals(List.of(), t.children("/etc/passwd"));
    assertEquals(6, t.size());
    assertEquals(0, t.root().layerIndex());
    assertEquals(1, t.hidden().size(), "the first /etc/passwd ships in vain");
    assertEquals(new HiddenFile("/etc/passwd", EntryType.FILE, 26, 0, 1), t.hidden().get(0));
  }

  @Test
  void whiteoutsDeleteFilesAndWholeDirectories() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar()
                    .file("etc/keep", "k")
                    .file("etc/gone", "gone")
                    .file("opt/tool/bin/x", "12345")
                    .file("opt/tool/lib/y", "123")
                    .bytes(),
                TestTars.tar()
                    .file("etc/.wh.gone", "")
                    .file("opt/.wh.tool", "")
                    .file("etc/.wh.never", "")
                    .bytes()));
    assertEquals(List.of("/", "/etc", "/etc/keep", "/opt"), paths(t));
    assertEquals(3, t.hidden().size());
    assertEquals(4 + 5 + 3, t.hiddenBytes());
    LayerStats base = t.layers().get(0);
    assertEquals(3, base.hiddenFiles());
    assertEquals(12, base.hiddenBytes());
    assertEquals(4, base.files());
    assertEquals(1 + 4 + 5 + 3, base.fileBytes());
    assertEquals(0, t.layers().get(1).hiddenBytes());
    assertEquals(3, t.layers().get(1).entries());
    assertTrue(t.hidden().stream().allMatch(h -> h.hiddenBy() == 1 && h.layerIndex() == 0));
  }

  @Test
  void opaqueDirectoriesHideLowerChildrenOnly() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar()
                    .dir("var/cache", 0700)
                    .file("var/cache/a", "a")
                    .file("var/cache/sub/b", "b")
                    .file("var/other", "o")
                    .bytes(),
                TestTars.tar()
                    .file("var/cache/new", "n")
                    .file("var/cache/.wh..wh..opq", "")
                    .file("var/cache/sub/c", "c")
                    .bytes()));
    assertEquals(
        List.of(
            "/",
            "/var",
            "/var/cache",
            "/var/cache/new",
            "/var/cache/sub",
            "/var/cache/sub/c",
            "/var/other"),
        paths(t));
    assertEquals(
        0700,
        t.node("/var/cache").orElseThrow().mode(),
        "the directory itself keeps its attributes");
    assertEquals(
        List.of("/var/cache/a", "/var/cache/sub/b"),
        t.hidden().stream().map(HiddenFile::path).sorted().toList());
  }

  @Test
  void recreationAfterAWhiteoutAndSameLayerEntriesSurvive() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar().file("d/old", "o").file("f", "v1").bytes(),
                TestTars.tar()
                    .file("d/new", "n")
                    .file(".wh.d", "")
                    .file("f", "v2")
                    .file(".wh.f", "")
                    .bytes(),
                TestTars.tar().file(".wh.f", "").bytes(),
                TestTars.tar().dir("f", 0700).bytes()));
    assertEquals(List.of("/", "/d", "/d/new", "/f"), paths(t));
    assertEquals(EntryType.DIR, t.node("/f").orElseThrow().type());
    assertEquals(3, t.node("/f").orElseThrow().layerIndex());
    assertEquals(
        List.of("/d/old:0>1", "/f:0>1", "/f:1>2"),
        t.hidden().stream()
            .map(h -> h.path() + ":" + h.layerIndex() + ">" + h.hiddenBy())
            .toList());
  }

  @Test
  void aNonDirectoryReplacingADirectoryRemovesTheSubtree() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar().file("usr/lib/a.so", "aaaa").file("usr/lib/deep/b.so", "bb").bytes(),
                TestTars.tar().symlink("usr/lib", "/lib").bytes()));
    assertEquals(List.of("/", "/usr", "/usr/lib"), paths(t));
    assertEquals(6, t.hiddenBytes());
  }

  @Test
  void anEntryBelowALowerSymlinkTurnsItIntoADirectoryWithoutFollowingIt() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar().file("usr/lib/libc.so", "c").symlink("lib", "usr/lib").bytes(),
                TestTars.tar().file("lib/libextra.so", "x").bytes()));
    assertEquals(EntryType.DIR, t.node("/lib").orElseThrow().type());
    assertTrue(t.exists("/lib/libextra.so"));
    assertFalse(t.exists("/usr/lib/libextra.so"));
    assertEquals(List.of("/lib"), t.hidden().stream().map(HiddenFile::path).toList());
  }

  @Test
  void aWhiteoutBelowASymlinkedDirectoryChangesNothing() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar().file("real/file", "f").symlink("link", "real").bytes(),
                TestTars.tar().file("link/.wh.file", "").file("link/.wh..wh..opq", "").bytes(),
                TestTars.tar().file(".wh.link", "").bytes()));
    assertTrue(t.exists("/real/file"), "the whiteout does not go through the link");
    assertFalse(t.exists("/link"), "whiting out the link removes the link only");
    assertTrue(t.node("/link/file").isEmpty());
  }

  @Test
  void resolvesSymlinksInsideTheTreeOnly() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar()
                    .file("usr/lib/x86_64-linux-gnu/libc.so.6", "libc")
                    .symlink("lib64", "usr/lib")
                    .symlink("usr/lib/ld.so", "x86_64-linux-gnu/libc.so.6")
                    .symlink("etc/alt", "/usr/lib/../lib/./x86_64-linux-gnu")
                    .symlink("escape", "../../../../../usr/lib/ld.so")
                    .symlink("loop1", "loop2")
                    .symlink("loop2", "loop1")
                    .symlink("self", "self")
                    .symlink("dangling", "/nowhere")
                    .symlink("through-file", "usr/lib/x86_64-linux-gnu/libc.so.6/x")
                    .symlink("up", "..")
                    .symlink("etc/passwd", "/etc/../../../etc/shadow")
                    .file("etc/shadow", "s")
                    .bytes()));
    String libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
    assertEquals(libc, t.resolve("/lib64/ld.so").orElseThrow().path());
    assertEquals(libc, t.resolve("lib64/x86_64-linux-gnu/libc.so.6").orElseThrow().path());
    assertEquals(libc, t.resolve("/etc/alt/libc.so.6").orElseThrow().path());
    assertEquals(libc, t.resolve("/escape").orElseThrow().path(), "'..' stops at the root");
    // ".." after a symlink is the target's parent, as in the kernel: lib64/.. is /usr, not /
    assertEquals(libc, t.resolve("/../../lib64/../../up/up/lib64/ld.so").orElseThrow().path());
    assertEquals(Optional.empty(), t.resolve("/lib64/../lib64"));
    assertEquals("/etc/shadow", t.resolve("/etc/passwd").orElseThrow().path());
    assertEquals("/usr/lib", t.resolve("/lib64").orElseThrow().path());
    assertEquals("/", t.resolve("/up").orElseThrow().path());
    assertEquals(Optional.empty(), t.resolve("/loop1"));
    assertEquals(Optional.empty(), t.resolve("/self/x"));
    assertEquals(Optional.empty(), t.resolve("/dangling"));
    assertEquals(Optional.empty(), t.resolve("/through-file"));
    assertEquals(Optional.empty(), t.resolve("/missing/file"));
    assertEquals(
        EntryType.SYMLINK, t.node("/lib64").orElseThrow().type(), "node() does not follow");
    assertTrue(t.node("/lib64/ld.so").isEmpty());
  }

  @Test
  void symlinkHopsAreBounded() throws IOException {
    TestTars.Tar tar = TestTars.tar().file("end", "e");
    for (int i = 0; i < 45; i++) tar.symlink("l" + i, i == 0 ? "end" : "l" + (i - 1));
    FileTree t = FileTree.build(TestTars.image(tar.bytes()));
    assertTrue(t.resolve("/l39").isPresent());
    assertTrue(t.resolve("/l40").isEmpty(), "41 hops is more than Linux's 40");
  }

  @Test
  void hardLinksTakeTheTargetsAttributesAndMustPointToFiles() throws IOException {
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar()
                    .file("bin/su", "su!".getBytes(), 04755, 0, 0)
                    .hardlink("bin/su2", "bin/su")
                    .bytes(),
                TestTars.tar().file("bin/su", "new".getBytes(), 0755, 0, 0).bytes()));
    Node su2 = t.node("/bin/su2").orElseThrow();
    assertEquals(EntryType.HARDLINK, su2.type());
    assertEquals("/bin/su", su2.linkTarget());
    assertEquals(04755, su2.mode(), "the link keeps the inode it was made with");
    assertEquals(3, su2.size());
    assertTrue(su2.isRegular());
    assertThrows(
        InvalidLayerException.class,
        () -> FileTree.build(TestTars.image(TestTars.tar().hardlink("h", "missing").bytes())));
    assertThrows(
        InvalidLayerException.class,
        () -> FileTree.build(TestTars.image(TestTars.tar().dir("d").hardlink("h", "d").bytes())));
    assertThrows(
        InvalidLayerException.class,
        () ->
            FileTree.build(
                TestTars.image(TestTars.tar().file("h", "x").hardlink("h", "h").bytes())));
  }

  @Test
  void xattrsAndDevicesAreKept() throws IOException {
    String cap =
        new String(
            new byte[] {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            StandardCharsets.ISO_8859_1);
    FileTree t =
        FileTree.build(
            TestTars.image(
                TestTars.tar()
                    .entry(
                        "usr/bin/ping",
                        EntryType.FILE,
                        0755,
                        0,
                        0,
                        "p".getBytes(),
                        null,
                        java.util.Map.of("security.capability", cap))
                    .device("dev/null", EntryType.CHAR_DEVICE, 1, 3)
                    .bytes()));
    assertEquals(
        (byte) 0x80, t.node("/usr/bin/ping").orElseThrow().xattrBytes("security.capability")[4]);
    Node dn = t.node("/dev/null").orElseThrow();
    assertEquals(EntryType.CHAR_DEVICE, dn.type());
    assertEquals(1, dn.devMajor());
    assertEquals(3, dn.devMinor());
    assertEquals("crw-rw-rw-", dn.modeString());
  }

  @Test
  void visitorsGetBoundedContentWithTheLayerIndexWhileLayersStream() throws IOException {
    Image img =
        TestTars.image(
            TestTars.tar()
                .file("etc/secret", "AKIA-first-version")
                .file("big", "0123456789")
                .file("other", "o")
                .bytes(),
            TestTars.tar().file("etc/.wh.secret", "").bytes());
    List<String> seen = new ArrayList<>();
    ContentVisitor v =
        new ContentVisitor() {
          @Override
          public boolean wants(Node f) {
            seen.add("wants " + f.path() + "@" + f.layerIndex());
            return !f.path().equals("/other");
          }

          @Override
          public void accept(Node f, InputStream in) throws IOException {
            seen.add(
                "got " + f.path() + "=" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }

          @Override
          public void layerDone(int i) {
            seen.add("done " + i);
          }
        };
    FileTree t = FileTree.build(img, FileTree.Options.defaults().withMaxContentBytes(4), v);
    assertEquals(
        List.of(
            "wants /etc/secret@0",
            "got /etc/secret=AKIA",
            "wants /big@0",
            "got /big=0123",
            "wants /other@0",
            "done 0",
            "done 1"),
        seen);
    assertFalse(
        t.exists("/etc/secret"),
        "the visitor saw a secret the final tree no longer has: still extractable");
  }

  @Test
  void capturingVisitorKeepsOnlyFinalContent() throws IOException {
    Image img =
        TestTars.image(
            TestTars.tar()
                .file("var/lib/dpkg/status", "Package: a\n")
                .file("etc/os-release", "ID=debian\n")
                .file("etc/gone", "x")
                .file("etc/link-src", "shared")
                .bytes(),
            TestTars.tar()
                .file("var/lib/dpkg/status", "Package: a\n\nPackage: b\n")
                .file("etc/.wh.gone", "")
                .hardlink("etc/link", "etc/link-src")
                .bytes(),
            TestTars.tar().symlink("etc/os-release", "../usr/lib/os-release").bytes());
    CapturingVisitor cap =
        new CapturingVisitor(
            List.of(
                "/var/lib/dpkg/status",
                "/etc/os-release",
                "/etc/gone",
                "/etc/link-src",
                "/etc/link"),
            1 << 20);
    FileTree t = FileTree.build(img, FileTree.Options.defaults(), cap);
    assertEquals(
        "Package: a\n\nPackage: b\n",
        new String(cap.content(t, "/var/lib/dpkg/status").orElseThrow(), StandardCharsets.UTF_8));
    assertTrue(cap.content(t, "/etc/os-release").isEmpty(), "replaced by a symlink");
    assertTrue(cap.content(t, "/etc/gone").isEmpty(), "deleted");
    assertEquals(
        "shared", new String(cap.content(t, "etc/link").orElseThrow(), StandardCharsets.UTF_8));
    assertTrue(cap.content(t, "/never").isEmpty());
    CapturingVisitor small = new CapturingVisitor(p -> p.startsWith("/var/"), 3);
    FileTree t2 = FileTree.build(img, FileTree.Options.defaults(), small);
    assertArrayEquals("Pac".getBytes(), small.content(t2, "/var/lib/dpkg/status").orElseThrow());
    assertTrue(small.truncated("/var/lib/dpkg/status"));
  }

  @Test
  void limitsAndHostileLayersFailClearly() throws IOException {
    TestTars.Tar many = TestTars.tar();
    for (int i = 0; i < 20; i++) many.file("f" + i, "");
    Image img = TestTars.image(many.bytes());
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () -> FileTree.build(img, FileTree.Options.defaults().withMaxEntries(10)));
    assertTrue(e.getMessage().startsWith("layer sha256:"), e.getMessage());
    assertTrue(e.getMessage().contains("more than 10 "), e.getMessage());
    Image deep = TestTars.image(TestTars.tar().file("a/".repeat(30) + "f", "").bytes());
    assertTrue(
        assertThrows(
                InvalidLayerException.class,
                () -> FileTree.build(deep, FileTree.Options.defaults().withMaxEntries(10)))
            .getMessage()
            .contains("more than 10 paths"));
    Image escape = TestTars.image(TestTars.tar().file("../x", "").bytes());
    assertTrue(
        assertThrows(InvalidLayerException.class, () -> FileTree.build(escape))
            .getMessage()
            .endsWith(": entry '../x' escapes the root"));
    Image bomb = TestTars.image(TestTars.tar().file("z", new byte[8 << 20], 0644, 0, 0).bytes());
    assertThrows(
        InvalidLayerException.class,
        () -> FileTree.build(bomb, FileTree.Options.defaults().withMaxLayerBytes(1 << 20)));
    Image badWhiteout = TestTars.image(TestTars.tar().file("a/.wh.", "").bytes());
    assertThrows(InvalidLayerException.class, () -> FileTree.build(badWhiteout));
    Image rootFile = TestTars.image(TestTars.tar().symlink("./", "/elsewhere").bytes());
    assertThrows(InvalidLayerException.class, () -> FileTree.build(rootFile));
  }

  @Test
  void aLayerThatDoesNotMatchItsDiffIdFails() throws IOException {
    byte[] tar = TestTars.tar().file("a", "x").bytes();
    byte[] gz = TestTars.gzip(tar);
    Layer lying =
        Layers.fromBlobs(
            Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(gz), gz.length),
            Digest.sha256("not it"),
            d -> new ByteArrayInputStream(gz),
            "test");
    assertThrows(
        DigestMismatchException.class, () -> FileTree.build(TestTars.imageOf(List.of(lying))));
  }
}
