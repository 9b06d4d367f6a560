package dev.caulk.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Layer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeExtractorTest {
  @TempDir Path tmp;
  Path outside;
  Path root;
  Map<String, String> before;

  @BeforeEach
  void setUp() throws IOException {
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("victim"), "precious");
    root = Files.createDirectory(tmp.resolve("root"));
    before = snapshot(tmp, root);
  }

  @Test
  void extractsFilesDirsLinksAndModes() throws IOException {
    byte[] tar =
        TestTars.tar()
            .dir("./")
            .dir("bin")
            .file("bin/tool", "tool".getBytes(), 04755, 0, 0)
            .symlink("bin/sh", "/bin/tool")
            .hardlink("bin/tool2", "bin/tool")
            .dir("ro", 0555)
            .file("ro/f", "in a read-only dir".getBytes(), 0444, 0, 0)
            .device("dev/null", EntryType.CHAR_DEVICE, 1, 3)
            .bytes();
    SafeExtractor.Result r = extract(tar);
    assertEquals("tool", Files.readString(root.resolve("bin/tool")));
    assertEquals(04755, mode(root.resolve("bin/tool")));
    assertEquals(Path.of("/bin/tool"), Files.readSymbolicLink(root.resolve("bin/sh")));
    assertEquals(
        Files.getAttribute(root.resolve("bin/tool"), "unix:ino"),
        Files.getAttribute(root.resolve("bin/tool2"), "unix:ino"));
    assertEquals(0555, mode(root.resolve("ro")), "directory modes are applied last");
    assertEquals(1, r.skipped());
    assertEquals(2, r.files(), "hard links are not counted as files");
    assertEquals(8, r.entries());
    assertEquals(before, snapshot(tmp, root));
  }

  @Test
  void traversalNamesAreRejected() {
    byte[] tar = TestTars.tar().file("ok", "x").file("../outside/victim", "pwned").bytes();
    InvalidLayerException e = assertThrows(InvalidLayerException.class, () -> extract(tar));
    assertEquals("test: entry '../outside/victim' escapes the root", e.getMessage());
    assertUnchangedOutside();
  }

  @Test
  void absoluteNamesLandInsideTheRoot() throws IOException {
    extract(TestTars.tar().file(outside.resolve("victim").toString(), "pwned").bytes());
    assertEquals(
        "pwned", Files.readString(root.resolve(outside.toString().substring(1)).resolve("victim")));
    assertUnchangedOutside();
  }

  @Test
  void writingThroughASymlinkOfAnEarlierLayerIsRefused() {
    Layer one = TestTars.layer(TestTars.tar().symlink("evil", outside.toString()).bytes());
    Layer two =
        TestTars.layer(
            TestTars.tar().file("evil/victim", "pwned").file("evil/new", "pwned").bytes());
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () ->
                SafeExtractor.extractLayers(
                    List.of(one, two), root, SafeExtractor.Options.defaults()));
    assertTrue(
        e.getMessage().endsWith("entry 'evil/victim' would be written through symlink 'evil'"),
        e.getMessage());
    assertUnchangedOutside();
  }

  @Test
  void writingThroughASymlinkOfTheSameLayerIsRefused() {
    byte[] tar =
        TestTars.tar().symlink("a", "../..").symlink("a/b", "x").file("a/b/c", "pwned").bytes();
    assertThrows(InvalidLayerException.class, () -> extract(tar));
    byte[] rel = TestTars.tar().symlink("up", "../outside").file("up/victim", "pwned").bytes();
    assertThrows(InvalidLayerException.class, () -> extract(rel));
    assertUnchangedOutside();
  }

  @Test
  void aFileReplacesASymlinkInsteadOfFollowingIt() throws IOException {
    Layer one =
        TestTars.layer(TestTars.tar().symlink("f", outside.resolve("victim").toString()).bytes());
    Layer two = TestTars.layer(TestTars.tar().file("f", "mine").bytes());
    SafeExtractor.extractLayers(List.of(one, two), root, SafeExtractor.Options.defaults());
    assertEquals("mine", Files.readString(root.resolve("f")));
    assertFalse(Files.isSymbolicLink(root.resolve("f")));
    assertUnchangedOutside();
  }

  @Test
  void hardLinksToOutsideOrToSymlinksAreRefused() {
    byte[] up = TestTars.tar().hardlink("h", "../outside/victim").bytes();
    assertTrue(
        assertThrows(InvalidLayerException.class, () -> extract(up))
            .getMessage()
            .contains("escapes the root"));
    byte[] viaSymlink =
        TestTars.tar()
            .symlink("s", outside.resolve("victim").toString())
            .hardlink("h", "s")
            .bytes();
    InvalidLayerException e = assertThrows(InvalidLayerException.class, () -> extract(viaSymlink));
    assertTrue(
        e.getMessage()
            .contains("hard link 'h' points to 's', which is not a regular file extracted here"),
        e.getMessage());
    byte[] absolute = TestTars.tar().hardlink("h", outside.resolve("victim").toString()).bytes();
    assertThrows(InvalidLayerException.class, () -> extract(absolute));
    byte[] throughDirLink =
        TestTars.tar().symlink("d", outside.toString()).hardlink("h", "d/victim").bytes();
    assertThrows(InvalidLayerException.class, () -> extract(throughDirLink));
    assertUnchangedOutside();
  }

  @Test
  void aDecompressionBombStopsAtTheLimit() throws IOException {
    byte[] tar = TestTars.tar().file("zeros", new byte[64 << 20], 0644, 0, 0).bytes();
    Layer bomb = TestTars.layer(tar);
    assertTrue(bomb.size() < 200_000, "a small blob: " + bomb.size());
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () ->
                SafeExtractor.extractLayers(
                    List.of(bomb), root, SafeExtractor.Options.defaults().withMaxBytes(8 << 20)));
    assertTrue(e.getMessage().contains("more than 8388608 uncompressed bytes"), e.getMessage());
    assertTrue(Files.size(root.resolve("zeros")) <= 8 << 20);
    assertUnchangedOutside();
  }

  @Test
  void entryCountIsBounded() {
    TestTars.Tar t = TestTars.tar();
    for (int i = 0; i < 50; i++) t.file("f" + i, "");
    byte[] tar = t.bytes();
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () ->
                SafeExtractor.extract(
                    new ByteArrayInputStream(tar),
                    root,
                    "test",
                    SafeExtractor.Options.defaults().withMaxEntries(10)));
    assertTrue(e.getMessage().contains("more than 10 entries"), e.getMessage());
  }

  @Test
  void whiteoutsAndOpaqueDirsApplyToLowerLayersOnly() throws IOException {
    Layer one =
        TestTars.layer(
            TestTars.tar()
                .file("etc/keep", "k")
                .file("etc/gone", "g")
                .file("var/cache/a", "a")
                .file("var/cache/sub/b", "b")
                .file("data/x", "x")
                .file("data/y", "y")
                .bytes());
    Layer two =
        TestTars.layer(
            TestTars.tar()
                .file("var/cache/fresh", "f") // before the opaque marker, same layer: survives
                .file("etc/.wh.gone", "")
                .file("var/cache/.wh..wh..opq", "")
                .file(".wh.data", "")
                .file("data/new", "n") // re-created after its whiteout, same layer
                .file("etc/.wh.never-existed", "")
                .bytes());
    SafeExtractor.extractLayers(List.of(one, two), root, SafeExtractor.Options.defaults());
    assertTrue(Files.exists(root.resolve("etc/keep")));
    assertFalse(Files.exists(root.resolve("etc/gone")));
    assertFalse(Files.exists(root.resolve("etc/.wh.gone")));
    assertEquals(List.of("fresh"), names(root.resolve("var/cache")));
    assertEquals(List.of("new"), names(root.resolve("data")));
  }

  @Test
  void aWhiteoutBelowASymlinkedDirectoryDeletesNothingOutside() throws IOException {
    Layer one = TestTars.layer(TestTars.tar().symlink("d", outside.toString()).bytes());
    Layer two =
        TestTars.layer(TestTars.tar().file("d/.wh.victim", "").file("d/.wh..wh..opq", "").bytes());
    SafeExtractor.extractLayers(List.of(one, two), root, SafeExtractor.Options.defaults());
    assertTrue(Files.isSymbolicLink(root.resolve("d")));
    assertUnchangedOutside();
    Layer three = TestTars.layer(TestTars.tar().file(".wh.d", "").bytes());
    Path root2 = Files.createDirectory(tmp.resolve("root2"));
    SafeExtractor.extractLayers(List.of(one, three), root2, SafeExtractor.Options.defaults());
    assertFalse(
        Files.exists(root2.resolve("d"), LinkOption.NOFOLLOW_LINKS),
        "the link itself goes, not its target");
    assertUnchangedOutside();
  }

  @Test
  void ownershipIsAppliedWhenAsked() throws IOException {
    byte[] tar =
        TestTars.tar()
            .file("f", "x".getBytes(), 04750, 1234, 5678)
            .symlink("l", "/nowhere")
            .bytes();
    SafeExtractor.extract(
        new ByteArrayInputStream(tar),
        root,
        "test",
        SafeExtractor.Options.defaults().withOwnership(true));
    assertEquals(1234, Files.getAttribute(root.resolve("f"), "unix:uid"));
    assertEquals(5678, Files.getAttribute(root.resolve("f"), "unix:gid"));
    assertEquals(
        04750,
        mode(root.resolve("f")),
        "setuid survives chown because the mode is applied after it");
  }

  private SafeExtractor.Result extract(byte[] tar) throws IOException {
    try (InputStream in = new ByteArrayInputStream(tar)) {
      return SafeExtractor.extract(in, root, "test", SafeExtractor.Options.defaults());
    }
  }

  private void assertUnchangedOutside() {
    try {
      assertEquals(before, snapshot(tmp, root));
      assertEquals("precious", Files.readString(outside.resolve("victim")));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Every path under {@code dir} except the extraction root's subtree, with type and content. */
  private static Map<String, String> snapshot(Path dir, Path exclude) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (dir.relativize(p).toString().startsWith(exclude.getFileName().toString()))
          continue; // root, root2
        String v =
            Files.isSymbolicLink(p)
                ? "link:" + Files.readSymbolicLink(p)
                : Files.isDirectory(p) ? "dir" : "file:" + Files.readString(p);
        m.put(dir.relativize(p).toString(), v);
      }
    }
    return m;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }
}
