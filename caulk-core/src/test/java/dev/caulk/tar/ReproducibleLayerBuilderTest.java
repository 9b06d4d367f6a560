package dev.caulk.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import dev.caulk.digest.Digest;
import dev.caulk.spec.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleLayerBuilderTest {
  @TempDir Path tmp;

  @Test
  void sortsAddsParentsAndPinsEveryAttribute() throws IOException {
    ReproducibleLayerBuilder b =
        new ReproducibleLayerBuilder()
            .file("/app/z.txt", "z".getBytes(), 0644, 1000, 1000)
            .file("app/lib/a.jar", "jar".getBytes(), 0644, 0, 0)
            .directory("/app/lib", 0700, 1000, 1000)
            .symlink("/app/current", "lib/a.jar", 0, 0)
            .whiteout("/app/old")
            .opaque("/app/cache");
    BuiltLayer l = b.build(tmp, LayerFormat.UNCOMPRESSED);
    byte[] tar = Files.readAllBytes(l.file());
    List<TarEntry> es = TestTars.entries(tar);
    // whiteouts get no implicit parent: "app/cache" keeps whatever attributes the lower layer gave
    // it
    assertEquals(
        List.of(
            "app",
            "app/.wh.old",
            "app/cache/.wh..wh..opq",
            "app/current",
            "app/lib",
            "app/lib/a.jar",
            "app/z.txt"),
        es.stream().map(TarEntry::name).toList());
    TarEntry app = es.get(0);
    assertEquals(0755, app.mode());
    assertEquals(0, app.uid());
    TarEntry lib = es.get(4);
    assertEquals(0700, lib.mode(), "explicit directory attributes win over implicit ones");
    assertEquals(1000, lib.uid());
    for (TarEntry e : es) assertEquals(ReproducibleLayerBuilder.DEFAULT_MTIME, e.mtime());
    // uname/gname are empty and no PAX header was needed for these short names
    assertEquals(0, tar[265]);
    assertEquals(0, tar[297]);
    assertFalse(new String(tar, StandardCharsets.ISO_8859_1).contains("PaxHeaders"));
    assertEquals(l.diffId(), l.digest());
    assertEquals(Digest.sha256(tar), l.diffId());
    assertEquals(tar.length, l.uncompressedSize());
    assertEquals(7, l.entries());
  }

  @Test
  void paxOnlyWhereUstarCannotSayIt() throws IOException {
    String longName = "opt/" + "d".repeat(120) + "/f";
    BuiltLayer l =
        new ReproducibleLayerBuilder()
            .file(longName, "x".getBytes(), 0644, 0, 0)
            .file("café", "é".getBytes(StandardCharsets.UTF_8), 0644, 0, 0)
            .file("big-ids", new byte[0], 0644, 5_000_000, 5_000_001)
            .build(tmp, LayerFormat.UNCOMPRESSED);
    byte[] tar = Files.readAllBytes(l.file());
    List<TarEntry> es = TestTars.entries(tar);
    assertEquals(
        List.of("big-ids", "café", "opt", "opt/" + "d".repeat(120), longName),
        es.stream().map(TarEntry::name).toList());
    assertEquals(5_000_000, es.get(0).uid());
    assertEquals(5_000_001, es.get(0).gid());
    String s = new String(tar, StandardCharsets.ISO_8859_1);
    assertEquals(
        4,
        s.split("PaxHeaders/", -1).length - 1,
        "PAX for: big ids, non-ASCII name, long dir, long file");
    assertFalse(s.contains("mtime="));
    assertFalse(s.contains("atime="));
  }

  @Test
  void gzipIsDeterministicWithOurHeader() throws IOException {
    BuiltLayer a = sample().build(tmp, LayerFormat.GZIP);
    BuiltLayer b = sample().build(tmp, LayerFormat.GZIP);
    byte[] ga = Files.readAllBytes(a.file());
    assertArrayEquals(ga, Files.readAllBytes(b.file()));
    assertArrayEquals(
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, Arrays.copyOf(ga, 10));
    assertEquals(MediaType.OCI_LAYER_GZIP, a.mediaType());
    assertEquals(Digest.sha256(ga), a.digest());
    assertEquals(ga.length, a.size());
    byte[] tar;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(ga))) {
      tar = in.readAllBytes();
    }
    assertEquals(a.diffId(), Digest.sha256(tar));
    // the Layer verifies both digests as it streams
    try (InputStream in = a.layer().uncompressed()) {
      assertArrayEquals(tar, in.readAllBytes());
    }
    BuiltLayer level9 = sample().build(tmp, new LayerFormat(MediaType.Compression.GZIP, 9));
    assertEquals(a.diffId(), level9.diffId());
  }

  @Test
  void zstdIsDeterministicToo() throws IOException {
    BuiltLayer a = sample().build(tmp, LayerFormat.ZSTD);
    BuiltLayer b = sample().build(tmp, LayerFormat.ZSTD);
    assertEquals(a.digest(), b.digest());
    assertEquals(MediaType.OCI_LAYER_ZSTD, a.mediaType());
    try (InputStream in = new ZstdInputStream(Files.newInputStream(a.file()))) {
      assertEquals(a.diffId(), Digest.sha256(in));
    }
    assertEquals(sample().build(tmp, LayerFormat.GZIP).diffId(), a.diffId());
  }

  @Test
  void hostFilesGiveTheSameDigestWhateverTheirMtimesAndOwners() throws Exception {
    Path one = Files.createDirectory(tmp.resolve("one"));
    Path two = Files.createDirectory(tmp.resolve("two"));
    for (Path root : List.of(one, two)) {
      Files.createDirectories(root.resolve("bin"));
      Files.writeString(root.resolve("bin/run"), "#!/bin/sh\necho hi\n");
      Files.writeString(root.resolve("README"), "hello");
      Files.createSymbolicLink(root.resolve("link"), Path.of("bin/run"));
    }
    Files.setPosixFilePermissions(
        one.resolve("bin/run"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        two.resolve("bin/run"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
    Files.setPosixFilePermissions(
        two.resolve("README"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
    Files.setLastModifiedTime(
        one.resolve("README"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    Files.setLastModifiedTime(
        two.resolve("README"), FileTime.from(Instant.parse("2024-06-01T12:34:56Z")));
    Files.setAttribute(two.resolve("README"), "unix:uid", 4321); // the tests run as root
    Files.setAttribute(two.resolve("bin"), "unix:gid", 99);
    BuiltLayer a =
        new ReproducibleLayerBuilder().tree("/srv", one, 0, 0).build(tmp, LayerFormat.GZIP);
    BuiltLayer b =
        new ReproducibleLayerBuilder().tree("/srv", two, 0, 0).build(tmp, LayerFormat.GZIP);
    assertEquals(a.diffId(), b.diffId());
    assertEquals(a.digest(), b.digest());
    List<TarEntry> es =
        TestTars.entries(new GZIPInputStream(Files.newInputStream(a.file())).readAllBytes());
    assertEquals(
        List.of("srv", "srv/README", "srv/bin", "srv/bin/run", "srv/link"),
        es.stream().map(TarEntry::name).toList());
    assertEquals(0644, es.get(1).mode());
    assertEquals(0755, es.get(3).mode());
    assertEquals("bin/run", es.get(4).linkTarget());
  }

  @Test
  void sourceDateEpochSetsTheMtime() throws IOException {
    assertEquals(
        ReproducibleLayerBuilder.DEFAULT_MTIME,
        ReproducibleLayerBuilder.mtimeFromEnvironment(Map.of()));
    Instant t =
        ReproducibleLayerBuilder.mtimeFromEnvironment(Map.of("SOURCE_DATE_EPOCH", "1700000000"));
    assertEquals(Instant.ofEpochSecond(1700000000), t);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ReproducibleLayerBuilder.mtimeFromEnvironment(
                Map.of("SOURCE_DATE_EPOCH", "yesterday")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ReproducibleLayerBuilder.mtimeFromEnvironment(Map.of("SOURCE_DATE_EPOCH", "-5")));
    BuiltLayer l =
        new ReproducibleLayerBuilder(t)
            .file("f", "x".getBytes(), 0644, 0, 0)
            .build(tmp, LayerFormat.UNCOMPRESSED);
    assertEquals(t, TestTars.entries(Files.readAllBytes(l.file())).get(0).mtime());
    assertNotEquals(
        l.diffId(),
        new ReproducibleLayerBuilder()
            .file("f", "x".getBytes(), 0644, 0, 0)
            .build(tmp, LayerFormat.UNCOMPRESSED)
            .diffId());
  }

  @Test
  void hardLinksShareContentAndTheFirstPathCarriesIt() throws IOException {
    BuiltLayer l =
        new ReproducibleLayerBuilder()
            .file("usr/bin/z-tool", "binary".getBytes(), 04755, 0, 0)
            .hardlink("usr/bin/a-alias", "usr/bin/z-tool")
            .hardlink("usr/bin/m-alias", "/usr/bin/a-alias")
            .build(tmp, LayerFormat.UNCOMPRESSED);
    List<TarEntry> es = TestTars.entries(Files.readAllBytes(l.file()));
    assertEquals(EntryType.FILE, es.get(2).type());
    assertEquals("usr/bin/a-alias", es.get(2).name());
    assertEquals(6, es.get(2).size());
    assertEquals(04755, es.get(2).mode());
    assertEquals(EntryType.HARDLINK, es.get(3).type());
    assertEquals("usr/bin/a-alias", es.get(3).linkTarget());
    assertEquals("usr/bin/a-alias", es.get(4).linkTarget());
    assertEquals(04755, es.get(4).mode());
  }

  @Test
  void inconsistentInputsAreRejected() throws IOException {
    ReproducibleLayerBuilder b =
        new ReproducibleLayerBuilder().file("a", "x".getBytes(), 0644, 0, 0);
    assertThrows(
        IllegalArgumentException.class,
        () -> b.file("/a", "y".getBytes(), 0644, 0, 0),
        "duplicate");
    assertThrows(
        IllegalArgumentException.class, () -> b.file("../etc/passwd", "y".getBytes(), 0644, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> b.file("m", "y".getBytes(), 010000, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> b.file("/", "y".getBytes(), 0644, 0, 0));
    b.file("a/below", "y".getBytes(), 0644, 0, 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.build(tmp, LayerFormat.GZIP));
    assertTrue(
        e.getMessage().contains("'/a' is a file but '/a/below' is below it"), e.getMessage());
    ReproducibleLayerBuilder dangling = new ReproducibleLayerBuilder().hardlink("h", "nothing");
    assertThrows(IllegalArgumentException.class, () -> dangling.build(tmp, LayerFormat.GZIP));
    ReproducibleLayerBuilder toDir =
        new ReproducibleLayerBuilder().directory("d", 0755, 0, 0).hardlink("h", "d");
    assertThrows(IllegalArgumentException.class, () -> toDir.build(tmp, LayerFormat.GZIP));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReproducibleLayerBuilder(Instant.parse("1969-12-31T00:00:00Z")));
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count(), "failed builds leave no temp file");
    }
  }

  @Test
  void sourceThatChangedSizeFailsTheBuild() throws IOException {
    Path f = tmp.resolve("grows");
    Files.writeString(f, "short");
    ReproducibleLayerBuilder b = new ReproducibleLayerBuilder().file("f", f, 0644, 0, 0);
    Files.writeString(f, "much longer now");
    IOException e = assertThrows(IOException.class, () -> b.build(tmp, LayerFormat.GZIP));
    assertTrue(e.getMessage().contains("longer than 5 bytes"), e.getMessage());
  }

  @Test
  void gnuTarReadsWhatWeWrite() throws Exception {
    BuiltLayer l =
        sample()
            .file("opt/" + "n".repeat(150), "long".getBytes(), 0600, 0, 0)
            .xattrs("bin/tool", Map.of("user.note", "hi"))
            .build(tmp, LayerFormat.GZIP);
    Process p =
        new ProcessBuilder("tar", "--numeric-owner", "-tvzf", l.file().toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("-rwsr-xr-x 0/0               4 1970-01-01 00:00 bin/tool"), out);
    assertTrue(out.contains("opt/" + "n".repeat(150)), out);
    assertTrue(out.contains("bin/sh -> tool"), out);
    assertFalse(out.toLowerCase().contains("warning"), out);
  }

  private static ReproducibleLayerBuilder sample() {
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++)
      big[i] = (byte) ("abcdefghij".charAt(i % 10) + (i / 7919) % 3);
    return new ReproducibleLayerBuilder()
        .file("bin/tool", "tool".getBytes(), 04755, 0, 0)
        .symlink("bin/sh", "tool", 0, 0)
        .file("data/big", big, 0644, 1000, 1000)
        .directory("tmp", 01777, 0, 0);
  }
}
