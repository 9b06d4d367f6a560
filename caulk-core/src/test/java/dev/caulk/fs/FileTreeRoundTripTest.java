package dev.caulk.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.image.Image;
import dev.caulk.tar.BuiltLayer;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeRoundTripTest {
  @TempDir Path tmp;

  @Test
  void aTreeOfABuiltLayerEqualsTheBuildersInputs() throws IOException {
    String cap =
        new String(new byte[] {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0}, StandardCharsets.ISO_8859_1);
    BuiltLayer l =
        new ReproducibleLayerBuilder()
            .file("/usr/bin/ping", "ping".getBytes(), 0755, 0, 0)
            .xattrs("/usr/bin/ping", Map.of("security.capability", cap))
            .file("/usr/bin/sudo", "sudo".getBytes(), 04711, 0, 0)
            .hardlink("/usr/bin/sudoedit", "/usr/bin/sudo")
            .directory("/tmp", 01777, 0, 0)
            .directory("/home/app", 0750, 1000, 1001)
            .file("/home/app/.profile", "PATH=/bin\n".getBytes(), 0600, 1000, 1001)
            .symlink("/bin", "usr/bin", 0, 0)
            .special("/dev/null", EntryType.CHAR_DEVICE, 0666, 0, 0, 1, 3)
            .special("/run/fifo", EntryType.FIFO, 0600, 0, 0, 0, 0)
            .build(tmp, LayerFormat.GZIP);
    Image img = TestTars.imageOf(List.of(l.layer()));
    CapturingVisitor cv = new CapturingVisitor(p -> true, 1 << 20);
    FileTree t = FileTree.build(img, FileTree.Options.defaults(), cv);
    assertEquals(
        List.of(
            "/",
            "/bin",
            "/dev",
            "/dev/null",
            "/home",
            "/home/app",
            "/home/app/.profile",
            "/run",
            "/run/fifo",
            "/tmp",
            "/usr",
            "/usr/bin",
            "/usr/bin/ping",
            "/usr/bin/sudo",
            "/usr/bin/sudoedit"),
        FileTreeTest.paths(t));
    assertNode(t, "/usr/bin/ping", EntryType.FILE, 0755, 0, 0, 4, null);
    assertArrayEquals(
        cap.getBytes(StandardCharsets.ISO_8859_1),
        t.node("/usr/bin/ping").orElseThrow().xattrBytes("security.capability"));
    assertNode(t, "/usr/bin/sudo", EntryType.FILE, 04711, 0, 0, 4, null);
    assertNode(t, "/usr/bin/sudoedit", EntryType.HARDLINK, 04711, 0, 0, 4, "/usr/bin/sudo");
    assertNode(t, "/tmp", EntryType.DIR, 01777, 0, 0, 0, null);
    assertNode(t, "/home/app", EntryType.DIR, 0750, 1000, 1001, 0, null);
    assertNode(t, "/home", EntryType.DIR, 0755, 0, 0, 0, null);
    assertNode(t, "/home/app/.profile", EntryType.FILE, 0600, 1000, 1001, 10, null);
    assertNode(t, "/bin", EntryType.SYMLINK, 0777, 0, 0, 0, "usr/bin");
    assertNode(t, "/run/fifo", EntryType.FIFO, 0600, 0, 0, 0, null);
    assertEquals(3, t.node("/dev/null").orElseThrow().devMinor());
    assertEquals(
        "PATH=/bin\n",
        new String(cv.content(t, "/home/app/.profile").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(
        "sudo",
        new String(cv.content(t, "/usr/bin/sudoedit").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(0, t.hidden().size());
    assertEquals(l.uncompressedSize(), t.layers().get(0).tarBytes());
  }

  private static void assertNode(
      FileTree t,
      String path,
      EntryType type,
      int mode,
      long uid,
      long gid,
      long size,
      String link) {
    Node n = t.node(path).orElseThrow(() -> new AssertionError("missing " + path));
    assertEquals(type, n.type(), path);
    assertEquals(mode, n.mode(), path);
    assertEquals(uid, n.uid(), path);
    assertEquals(gid, n.gid(), path);
    assertEquals(size, n.size(), path);
    assertEquals(link, n.linkTarget(), path);
    assertEquals(0, n.layerIndex(), path);
  }

  /**
   * Real-world check: this machine's zoneinfo, packed by the builder, counted by the tree and by
   * find(1).
   */
  @Test
  void zoneinfoOfThisMachineCountsLikeFind() throws Exception {
    Path zi = Path.of("/usr/share/zoneinfo");
    assumeTrue(Files.isDirectory(zi, LinkOption.NOFOLLOW_LINKS), "no zoneinfo on this machine");
    BuiltLayer l =
        new ReproducibleLayerBuilder()
            .tree("/usr/share/zoneinfo", zi, 0, 0)
            .build(tmp, LayerFormat.GZIP);
    FileTree t = FileTree.build(TestTars.imageOf(List.of(l.layer())));
    long files = 0;
    long dirs = 0;
    long links = 0;
    long bytes = 0;
    for (Node n : t.walk()) {
      if (!n.path().startsWith("/usr/share/zoneinfo")) continue;
      switch (n.type()) {
        case FILE -> {
          files++;
          bytes += n.size();
        }
        case DIR -> dirs++;
        case SYMLINK -> links++;
        default -> throw new AssertionError(n);
      }
    }
    assertEquals(find(zi, "f"), files);
    assertEquals(find(zi, "d"), dirs);
    assertEquals(find(zi, "l"), links);
    assertEquals(
        Long.parseLong(
                run("du", "-s", "-b", "--apparent-size", "-x", zi.toString()).split("\\s")[0])
            - dirBytes(zi),
        bytes + linkBytes(t),
        "file bytes agree with du --apparent-size");
    BuiltLayer again =
        new ReproducibleLayerBuilder()
            .tree("/usr/share/zoneinfo", zi, 0, 0)
            .build(tmp, LayerFormat.GZIP);
    assertEquals(l.digest(), again.digest());
  }

  private static long linkBytes(FileTree t) {
    return t.walk().stream()
        .filter(n -> n.isSymlink() && n.path().startsWith("/usr/share/zoneinfo"))
        .mapToLong(n -> n.linkTarget().getBytes(StandardCharsets.UTF_8).length)
        .sum();
  }

  private static long dirBytes(Path zi) throws Exception {
    String out = run("find", zi.toString(), "-type", "d", "-printf", "%s\\n");
    return out.lines().mapToLong(Long::parseLong).sum();
  }

  private static long find(Path dir, String type) throws Exception {
    return run("find", dir.toString(), "-type", type).lines().count();
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
      throw new IOException(String.join(" ", cmd) + " failed");
    return out;
  }
}
