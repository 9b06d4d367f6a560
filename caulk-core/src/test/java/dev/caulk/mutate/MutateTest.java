package dev.caulk.mutate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.fs.CapturingVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.RootFs;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutateTest {
  @TempDir Path tmp;

  @Test
  void appendLayersKeepsRootfsAndHistoryConsistent() throws IOException {
    Image base = TestTars.image(TestTars.tar().file("a", "1").bytes());
    Layer l1 = TestTars.layer(TestTars.tar().file("b", "2").bytes());
    Layer l2 = TestTars.layer(TestTars.tar().file("c", "3").bytes());
    List<History> h =
        List.of(
            new History(null, null, "ENV X=1", null, true),
            new History(null, null, "COPY b", null, false),
            new History(null, null, "COPY c", null, false));
    Image img = Mutate.appendLayers(base, List.of(l1, l2), h);
    assertEquals(3, img.layers().size());
    assertEquals(
        List.of(base.layers().get(0).diffId(), l1.diffId(), l2.diffId()),
        img.config().rootfs().diffIds());
    assertEquals(4, img.config().history().size());
    assertEquals(3, nonEmpty(img));
    assertEquals(Digest.sha256(img.rawConfig()), img.manifest().config().digest());
    assertEquals(MediaType.OCI_MANIFEST, img.mediaType());
    assertEquals(1, base.layers().size(), "the base is untouched");
    assertThrows(
        IllegalArgumentException.class,
        () -> Mutate.appendLayers(base, List.of(l1, l2), h.subList(0, 2)));
    Image generated = Mutate.appendLayers(base, List.of(l1), null);
    assertEquals(2, nonEmpty(generated));
  }

  @Test
  void brokenBaseHistoryIsMadeConsistent() throws IOException {
    Layer l0 = TestTars.layer(TestTars.tar().file("a", "1").bytes());
    Layer l1 = TestTars.layer(TestTars.tar().file("b", "2").bytes());
    ConfigFile noHistory = Images.scratch(Platform.LINUX_AMD64).config();
    Image base = Images.of(noHistory, List.of(l0), false, null);
    Image img = Mutate.appendLayers(base, List.of(l1), null);
    assertEquals(2, nonEmpty(img));
    List<History> tooMany =
        List.of(
            new History(null, null, "x", null, false),
            new History(null, null, "y", null, false),
            new History(null, null, "z", null, false));
    Image over =
        Images.of(noHistory.withRootFs(RootFs.of(List.of()), tooMany), List.of(l0), false, null);
    assertEquals(2, nonEmpty(Mutate.appendLayers(over, List.of(l1), null)));
    assertEquals(1, Mutate.consistent(tooMany, 1).stream().filter(x -> !x.emptyLayer()).count());
  }

  @Test
  void dockerFamilyIsKeptAndRefusesZstd() throws IOException {
    Layer l0 = TestTars.layer(TestTars.tar().file("a", "1").bytes());
    Image docker =
        Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(l0), true, null);
    Image img =
        Mutate.appendLayers(
            docker, List.of(TestTars.layer(TestTars.tar().file("b", "2").bytes())), null);
    assertEquals(MediaType.DOCKER_MANIFEST, img.mediaType());
    assertEquals(MediaType.DOCKER_LAYER_GZIP, img.manifest().layers().get(1).mediaType());
    Layer z =
        new ReproducibleLayerBuilder()
            .file("z", "z".getBytes(), 0644, 0, 0)
            .build(tmp, LayerFormat.ZSTD)
            .layer();
    assertThrows(
        IllegalArgumentException.class, () -> Mutate.appendLayers(docker, List.of(z), null));
  }

  @Test
  void configCreatedAndPlatformEdits() throws IOException {
    Image base = TestTars.image(TestTars.tar().file("a", "1").bytes());
    Image a =
        Mutate.withConfig(
            base, ContainerConfig.EMPTY.toBuilder().user("65532").cmd(List.of("/app")).build());
    assertEquals("65532", a.config().runConfig().user());
    assertEquals(base.layers(), a.layers());
    Image b = Mutate.withCreated(a, Instant.EPOCH);
    assertEquals("1970-01-01T00:00:00Z", b.config().created());
    Image c = Mutate.withPlatform(b, Platform.parse("linux/arm64/v8"));
    assertEquals("arm64", c.config().architecture());
    assertEquals("v8", c.config().variant());
    assertEquals("65532", c.config().runConfig().user());
    assertNotEquals(b.digest(), c.digest());
  }

  @Test
  void flattenReplacesTheLayersAndKeepsTheRest() throws IOException {
    Layer l0 = TestTars.layer(TestTars.tar().file("a", "1").bytes());
    Layer l1 = TestTars.layer(TestTars.tar().file("b", "2").bytes());
    Image docker =
        Mutate.withConfig(
            Images.of(
                Images.scratch(Platform.LINUX_AMD64).config(),
                List.of(l0, l1),
                true,
                Map.of("org.example", "kept")),
            ContainerConfig.EMPTY.toBuilder().user("1000").build());
    Layer merged = TestTars.layer(TestTars.tar().file("a", "1").file("b", "2").bytes());
    History entry = new History(null, "caulk", "caulk slim", "kept 2 paths", false);
    Image flat = Mutate.flatten(docker, merged, entry);
    assertEquals(List.of(merged.diffId()), flat.config().rootfs().diffIds());
    assertEquals(1, nonEmpty(flat), "one non-empty entry for the one layer");
    assertEquals(entry, flat.config().history().get(flat.config().history().size() - 1));
    assertEquals(
        docker.config().history().size() + 1,
        flat.config().history().size(),
        "the old entries stay, marked empty");
    assertEquals(MediaType.DOCKER_MANIFEST, flat.mediaType(), "the media-type family is kept");
    assertEquals(docker.manifest().annotations(), flat.manifest().annotations());
    Image oci =
        Images.of(
            Images.scratch(Platform.LINUX_AMD64).config(),
            List.of(l0, l1),
            false,
            Map.of("org.example", "kept"));
    Image flatOci = Mutate.flatten(oci, merged, entry);
    assertEquals(MediaType.OCI_MANIFEST, flatOci.mediaType());
    assertEquals(Map.of("org.example", "kept"), flatOci.manifest().annotations());
    assertEquals("1000", flat.config().runConfig().user());
    assertThrows(
        IllegalArgumentException.class,
        () -> Mutate.flatten(docker, merged, new History(null, null, "x", null, true)));
    Layer z =
        new ReproducibleLayerBuilder()
            .file("z", "z".getBytes(), 0644, 0, 0)
            .build(tmp, LayerFormat.ZSTD)
            .layer();
    assertThrows(IllegalArgumentException.class, () -> Mutate.flatten(docker, z, entry));
  }

  @Test
  void onTopOfKeepsOnlyTheBasesFilesystemAsOci() throws IOException {
    Layer l0 = TestTars.layer(TestTars.tar().file("a", "1").bytes());
    ConfigFile rich =
        new ConfigFile(
            "2020-01-01T00:00:00Z",
            "someone",
            "arm64",
            "linux",
            null,
            null,
            "v8",
            ContainerConfig.EMPTY.toBuilder().user("0").build(),
            RootFs.of(List.of()),
            List.of(new History(null, null, "ADD a", null, false)));
    Image base = Images.of(rich, List.of(l0), true, Map.of("org.example", "dropped"));
    Image start = Mutate.onTopOf(base);
    assertEquals(MediaType.OCI_MANIFEST, start.mediaType());
    assertEquals(MediaType.OCI_LAYER_GZIP, start.manifest().layers().get(0).mediaType());
    assertEquals(l0.digest(), start.layers().get(0).digest(), "the layer's bytes are kept");
    assertEquals(base.config().history(), start.config().history());
    assertEquals(List.of(l0.diffId()), start.config().rootfs().diffIds());
    assertEquals(null, start.config().created());
    assertEquals(null, start.config().author());
    assertEquals(null, start.config().config(), "no run configuration of the base");
    assertEquals("arm64", start.config().architecture());
    assertEquals("v8", start.config().variant());
    assertEquals(null, start.manifest().annotations());
  }

  @Test
  void squashEqualsTheMergedTree() throws IOException {
    String cap =
        new String(
            new byte[] {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0},
            StandardCharsets.ISO_8859_1);
    Image img =
        TestTars.image(
            TestTars.tar()
                .dir("./", 0755)
                .dir("etc")
                .file("etc/passwd", "root:x:0:0\n")
                .file("etc/secret", "AKIA...")
                .dir("tmp", 01777)
                .file("usr/bin/su", "su-v1".getBytes(), 04755, 0, 0)
                .hardlink("usr/bin/su-alias", "usr/bin/su")
                .file("var/cache/apt/big.deb", new byte[100_000], 0644, 0, 0)
                .symlink("bin", "usr/bin")
                .device("dev/null", EntryType.CHAR_DEVICE, 1, 3)
                .bytes(),
            TestTars.tar()
                .file("etc/.wh.secret", "")
                .file("var/cache/.wh..wh..opq", "")
                .entry(
                    "usr/bin/ping",
                    EntryType.FILE,
                    0755,
                    0,
                    0,
                    "ping".getBytes(),
                    null,
                    Map.of("security.capability", cap))
                .file(
                    "usr/bin/su", "su-v2".getBytes(), 0755, 0, 0) // replaces su; su-alias keeps v1
                .file("home/app/data", "d".getBytes(), 0600, 1000, 1000)
                .bytes(),
            TestTars.tar().file("usr/bin/z", "zz").hardlink("usr/bin/a-link", "usr/bin/z").bytes());
    FileTree before = FileTree.build(img);
    assertTrue(before.hiddenBytes() > 100_000);
    Image sq = Mutate.squash(img, Mutate.SquashOptions.defaults().withTempDir(tmp));
    assertEquals(1, sq.layers().size());
    assertEquals(1, nonEmpty(sq));
    assertEquals(img.config().history().size() + 1, sq.config().history().size());
    CapturingVisitor c1 = new CapturingVisitor(p -> true, 1 << 20);
    CapturingVisitor c2 = new CapturingVisitor(p -> true, 1 << 20);
    FileTree t1 = FileTree.build(img, FileTree.Options.defaults(), c1);
    FileTree t2 = FileTree.build(sq, FileTree.Options.defaults(), c2);
    assertEquals(comparable(t1), comparable(t2));
    for (Node n : t1.walk()) {
      if (n.isRegular())
        assertArrayEquals(
            c1.content(t1, n.path()).orElseThrow(),
            c2.content(t2, n.path()).orElseThrow(),
            n.path());
    }
    assertEquals(0, t2.hidden().size(), "nothing hidden remains");
    assertEquals(
        "su-v1",
        new String(c2.content(t2, "/usr/bin/su-alias").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(04755, t2.node("/usr/bin/su-alias").orElseThrow().mode());
    Node aLink = t2.node("/usr/bin/a-link").orElseThrow();
    Node z = t2.node("/usr/bin/z").orElseThrow();
    assertEquals(
        EntryType.FILE, aLink.type(), "the first path of a hard-link group carries the content");
    assertEquals(EntryType.HARDLINK, z.type());
    assertEquals("/usr/bin/a-link", z.linkTarget());
    assertEquals(
        (byte) 0x80, t2.node("/usr/bin/ping").orElseThrow().xattrBytes("security.capability")[4]);
    Image again = Mutate.squash(img, Mutate.SquashOptions.defaults().withTempDir(tmp));
    assertEquals(
        sq.layers().get(0).digest(), again.layers().get(0).digest(), "squash is reproducible");
    assertEquals(sq.digest(), again.digest());
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().endsWith(".spool")), "the spool is deleted");
    }
  }

  private static Map<String, String> comparable(FileTree t) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Node n : t.walk()) {
      boolean reg = n.isRegular();
      m.put(
          n.path(),
          (reg ? "reg" : n.type().name())
              + " "
              + Integer.toOctalString(n.mode())
              + " "
              + n.uid()
              + ":"
              + n.gid()
              + " "
              + n.size()
              + " "
              + (reg ? "" : n.linkTarget())
              + " "
              + n.xattrs()
              + " "
              + n.devMajor()
              + ","
              + n.devMinor());
    }
    return m;
  }

  private static long nonEmpty(Image img) throws IOException {
    return img.config().history().stream().filter(x -> !x.emptyLayer()).count();
  }
}
