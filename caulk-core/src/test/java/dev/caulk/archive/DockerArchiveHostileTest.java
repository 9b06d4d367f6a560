package dev.caulk.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.name.Reference;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Crafted archives: each must fail with one clear line, and reading must never write anything. */
class DockerArchiveHostileTest {
  @TempDir Path tmp;
  private List<Path> before;

  @BeforeEach
  void snapshot() throws IOException {
    Files.createDirectories(tmp.resolve("work"));
    before = tree();
  }

  @AfterEach
  void nothingWrittenOutside() throws IOException {
    List<Path> after = tree();
    after.removeIf(p -> p.getFileName().toString().endsWith(".tar"));
    List<Path> expected = new java.util.ArrayList<>(before);
    expected.removeIf(p -> p.getFileName().toString().endsWith(".tar"));
    after.removeIf(p -> p.startsWith(tmp.resolve("work")));
    expected.removeIf(p -> p.startsWith(tmp.resolve("work")));
    assertEquals(expected, after);
  }

  private List<Path> tree() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return new java.util.ArrayList<>(s.sorted().toList());
    }
  }

  private static <T extends Throwable> String fails(Class<T> type, Executable ex) {
    T e = assertThrows(type, ex);
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  private String openFails(CraftedTar tar, String name) throws IOException {
    Path file = tar.write(tmp.resolve(name + ".tar"));
    return fails(IOException.class, () -> DockerArchive.open(file).close());
  }

  private String readFails(CraftedTar tar, String name) throws IOException {
    Path file = tar.write(tmp.resolve(name + ".tar"));
    try (DockerArchive archive = DockerArchive.open(file)) {
      return fails(IOException.class, () -> readLayers(archive.read(null).image()));
    }
  }

  private static void readLayers(Image image) throws IOException {
    DockerArchiveTest.readLayers(image);
  }

  private Image image() throws IOException {
    Layer l = MediaFixtures.layer(tmp.resolve("work"), Map.of("f", "data"), false, true);
    return Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(l), true, null);
  }

  @Test
  void traversalAndAbsoluteNames() throws IOException {
    assertTrue(
        openFails(new CraftedTar().file("../evil", "x").file("manifest.json", "[]"), "dotdot")
            .contains("'../evil' has an absolute or .. path"));
    assertTrue(
        openFails(new CraftedTar().file("a/../../evil", "x"), "inner").contains("absolute or .."));
    assertTrue(
        openFails(new CraftedTar().file("/abs", "x"), "abs")
            .contains("'/abs' has an absolute or .. path"));
    assertFalse(Files.exists(tmp.resolve("evil")));
    assertFalse(Files.exists(tmp.getParent().resolve("evil")));
  }

  @Test
  void linksOutOfTheArchiveAndHardLinks() throws IOException {
    assertTrue(
        openFails(new CraftedTar().symlink("x/layer.tar", "/etc/passwd"), "abs-link")
            .contains("is a symlink to '/etc/passwd', which leaves the archive"));
    assertTrue(
        openFails(new CraftedTar().symlink("x/layer.tar", "../../etc/passwd"), "rel-link")
            .contains("leaves the archive"));
    assertTrue(
        openFails(new CraftedTar().file("a", "x").hardlink("b", "a"), "hard")
            .contains("is a hard link"));
  }

  @Test
  void duplicateNamesNotATarAndCompressed() throws IOException {
    assertTrue(
        openFails(new CraftedTar().file("manifest.json", "[]").file("manifest.json", "[]"), "dup")
            .contains("duplicate entry 'manifest.json'"));
    Path junk = Files.write(tmp.resolve("junk.tar"), new byte[2048]);
    Files.write(junk, "this is not a tar file at all".repeat(40).getBytes());
    assertTrue(
        fails(InvalidArchiveException.class, () -> DockerArchive.open(junk))
            .contains("not a tar archive"));
    Path gz =
        Files.write(
            tmp.resolve("gz.tar"), MediaFixtures.gzip(new CraftedTar().file("a", "b").bytes()));
    assertTrue(
        fails(InvalidArchiveException.class, () -> DockerArchive.open(gz))
            .contains("gzip-compressed"));
    Path empty = new CraftedTar().file("hello", "x").write(tmp.resolve("empty.tar"));
    assertTrue(
        fails(InvalidArchiveException.class, () -> DockerArchive.open(empty))
            .contains("neither manifest.json"));
  }

  @Test
  void truncatedTar() throws IOException {
    Path file = tmp.resolve("trunc.tar");
    DockerArchive.write(
        file,
        List.of(
            new DockerArchive.Entry(
                MediaFixtures.image(tmp.resolve("work"), "a"), Reference.parse("t:1"))),
        null);
    long size = Files.size(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size / 2 + 100);
    }
    assertTrue(
        fails(InvalidArchiveException.class, () -> DockerArchive.open(file))
            .contains("truncated tar"));
  }

  @Test
  void manifestJsonPointingOutsideOrAtNothing() throws IOException {
    Image img = image();
    String cfg = img.manifest().config().digest().hex() + ".json";
    CraftedTar escape =
        new CraftedTar()
            .file(cfg, img.rawConfig())
            .file(
                "manifest.json",
                "[{\"Config\":\"" + cfg + "\",\"Layers\":[\"../../etc/passwd\"]}]");
    assertTrue(readFails(escape, "escape").contains("'../../etc/passwd' leaves the archive"));
    CraftedTar missing =
        new CraftedTar()
            .file(cfg, img.rawConfig())
            .file("manifest.json", "[{\"Config\":\"" + cfg + "\",\"Layers\":[\"abc/layer.tar\"]}]");
    assertTrue(
        readFails(missing, "missing")
            .contains("names layer 'abc/layer.tar', which is not in the archive"));
    CraftedTar noConfig =
        new CraftedTar().file("manifest.json", "[{\"Config\":\"/etc/passwd\",\"Layers\":[]}]");
    assertTrue(readFails(noConfig, "cfg").contains("leaves the archive"));
    CraftedTar count =
        new CraftedTar()
            .file(cfg, img.rawConfig())
            .file("manifest.json", "[{\"Config\":\"" + cfg + "\",\"Layers\":[]}]");
    assertTrue(readFails(count, "count").contains("lists 0 layers but the config has 1 diff_ids"));
  }

  @Test
  void invalidJson() throws IOException {
    assertTrue(
        openFails(new CraftedTar().file("manifest.json", "[{\"Config\": oops"), "json")
            .contains("manifest.json: invalid JSON"));
    assertTrue(
        openFails(new CraftedTar().file("manifest.json", "[null]"), "null")
            .contains("entry 0 has no Config"));
    assertTrue(
        openFails(new CraftedTar().file("manifest.json", "{\"Config\":\"x\"}"), "obj")
            .contains("manifest.json: invalid JSON: expected an array"));
    assertTrue(
        readFails(new CraftedTar().file("manifest.json", "[]"), "none")
            .endsWith("holds no images"));
  }

  @Test
  void layerBytesNotMatchingTheConfigDiffId() throws IOException {
    Image img = image();
    String cfg = img.manifest().config().digest().hex() + ".json";
    byte[] other = MediaFixtures.tar(Map.of("f", "evil"));
    CraftedTar plain =
        new CraftedTar()
            .file(cfg, img.rawConfig())
            .file("l/layer.tar", other)
            .file("manifest.json", "[{\"Config\":\"" + cfg + "\",\"Layers\":[\"l/layer.tar\"]}]");
    // an uncompressed layer is described by its diff_id without an extra read; reading it proves
    // the claim false
    Path plainFile = plain.write(tmp.resolve("plain.tar"));
    try (DockerArchive archive = DockerArchive.open(plainFile)) {
      Image back = archive.read(null).image();
      assertEquals(img.layers().get(0).diffId(), back.layers().get(0).digest());
      String m = fails(DigestMismatchException.class, () -> readLayers(back));
      assertTrue(m.contains("digest mismatch: expected " + img.layers().get(0).diffId()), m);
    }
    CraftedTar gz =
        new CraftedTar()
            .file(cfg, img.rawConfig())
            .file("l/layer.tar", MediaFixtures.gzip(other))
            .file("manifest.json", "[{\"Config\":\"" + cfg + "\",\"Layers\":[\"l/layer.tar\"]}]");
    Path file = gz.write(tmp.resolve("gz.tar"));
    try (DockerArchive archive = DockerArchive.open(file)) {
      Image back = archive.read(null).image();
      String m = fails(DigestMismatchException.class, () -> readLayers(back));
      assertTrue(m.contains("(uncompressed): digest mismatch"), m);
    }
  }

  @Test
  void configBlobWhoseNameLies() throws IOException {
    Image img = image();
    String cfg = "blobs/sha256/" + "0".repeat(64);
    CraftedTar lie =
        new CraftedTar()
            .file(cfg, img.rawConfig())
            .file("l.tar", DockerArchiveTest.readAll(img.layers().get(0).compressed()))
            .file("manifest.json", "[{\"Config\":\"" + cfg + "\",\"Layers\":[\"l.tar\"]}]");
    assertTrue(readFails(lie, "lie").contains("digest mismatch"));
  }

  /**
   * The config's file name is not its digest in archives other tools write (go-containerregistry's
   * tarball names it {@code sha256:HEX}, others {@code config.json} or a stale id): docker load,
   * skopeo and go-containerregistry take the content, and so does caulk. Only a {@code blobs/}
   * name, content-addressed by the OCI layout, must match.
   */
  @Test
  void configNamedOtherwiseThanItsDigestIsReadByContent() throws Exception {
    Image img = image();
    byte[] layer = DockerArchiveTest.readAll(img.layers().get(0).compressed());
    Digest cfg = img.manifest().config().digest();
    for (String name : List.of("sha256:" + cfg.hex(), "config.json", "f".repeat(64) + ".json")) {
      CraftedTar t =
          new CraftedTar()
              .file(name, img.rawConfig())
              .file("l.tar", layer)
              .file(
                  "manifest.json",
                  "[{\"Config\":\"" + name + "\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"l.tar\"]}]");
      Path file = t.write(tmp.resolve("named-" + name.length() + ".tar"));
      try (DockerArchive archive = DockerArchive.open(file)) {
        Image read = archive.read(null).image();
        assertEquals(cfg, read.manifest().config().digest(), name);
        readLayers(read);
      }
      if (MediaFixtures.installed("skopeo"))
        MediaFixtures.run(
            tmp, "skopeo", "inspect", "docker-archive:" + file); // the peer accepts it too
    }
  }
}
