package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.build.BuildConfig;
import dev.caulk.digest.Digest;
import dev.caulk.event.EventListener;
import dev.caulk.layout.OciLayout;
import dev.caulk.location.ImageLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild with nothing changed reads no input and writes nothing (no cache entry, no blob, no
 * {@code index.json}); a rebuild after a real change (content with the same size and mtime, mtime
 * alone, a re-pointed symlink, a mode) builds the image a cold build makes, byte for byte.
 */
class RebuildTest {
  @TempDir Path tmp;

  private Path project;
  private Path binary;
  private int run;

  @BeforeEach
  void project() throws IOException {
    project = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(project.resolve("cmd/svc"));
    Files.createDirectories(project.resolve("build"));
    binary = project.resolve("build/svc-linux-amd64");
    Files.write(binary, staticElf(96 * 1024, 1));
    Files.writeString(project.resolve("app.conf"), "level=info\n");
  }

  /** One build of the project into {@code layout} with {@code cache}; the image's digest. */
  private Digest build(Path layout, Path cache, int confMode) throws IOException {
    BuildConfig files =
        BuildConfig.builder()
            .files(List.of(new BuildConfig.FileSpec("app.conf", "/app/app.conf", confMode)))
            .build();
    Build.Result r =
        Build.run(
            Build.options()
                .projectDir(project)
                .overrides(files)
                .services(List.of("svc"))
                .to(ImageLocation.parse("oci:" + layout))
                .cache(cache)
                .environment(Map.of())
                .build(),
            Session.defaults(EventListener.NONE));
    return r.images().get(0).digest();
  }

  private Digest rebuild() throws IOException {
    return build(tmp.resolve("oci"), tmp.resolve("cache"), 0644);
  }

  /** What a build from an empty cache into a new layout makes of the project as it is now. */
  private Digest cold() throws IOException {
    run++;
    return build(tmp.resolve("cold-oci-" + run), tmp.resolve("cold-cache-" + run), 0644);
  }

  @Test
  void aRebuildWithNothingChangedWritesNothing() throws IOException {
    Digest first = rebuild();
    Map<String, String> layout = files(tmp.resolve("oci"));
    Map<String, String> cache = files(tmp.resolve("cache"));
    assertEquals(first, rebuild());
    assertEquals(layout, files(tmp.resolve("oci")), "no blob or index.json is written again");
    assertEquals(cache, files(tmp.resolve("cache")), "no layer is built again");
    assertEquals(first, cold());
  }

  @Test
  void contentChangedWithTheSameSizeAndMtimeRebuilds() throws IOException {
    Digest first = rebuild();
    FileTime mtime = Files.getLastModifiedTime(binary);
    byte[] other = staticElf(96 * 1024, 2);
    assertEquals(Files.size(binary), other.length);
    Files.write(binary, other);
    Files.setLastModifiedTime(binary, mtime);
    Digest second = rebuild();
    assertNotEquals(first, second, "the new content is in the image");
    assertEquals(cold(), second);
  }

  @Test
  void anMtimeOnlyChangeBuildsTheSameImage() throws IOException {
    Digest first = rebuild();
    Map<String, String> cache = files(tmp.resolve("cache"));
    Files.setLastModifiedTime(binary, FileTime.fromMillis(1_000_000_000_000L));
    assertEquals(first, rebuild(), "the same bytes, so the same image");
    assertNotEquals(cache, files(tmp.resolve("cache")), "the layer was built again, not assumed");
  }

  @Test
  void aRepointedSymlinkRebuilds() throws IOException {
    Path a = Files.write(project.resolve("build/a.bin"), staticElf(64 * 1024, 3));
    Path b = Files.write(project.resolve("build/b.bin"), staticElf(64 * 1024, 4));
    Files.setLastModifiedTime(b, Files.getLastModifiedTime(a));
    Files.delete(binary);
    Files.createSymbolicLink(binary, a.getFileName());
    Digest first = rebuild();
    Files.delete(binary);
    Files.createSymbolicLink(binary, b.getFileName());
    Digest second = rebuild();
    assertNotEquals(first, second, "the link's new target is in the image");
    assertEquals(cold(), second);
  }

  @Test
  void aModeChangeRebuilds() throws IOException {
    Digest first = rebuild();
    Digest narrower = build(tmp.resolve("oci"), tmp.resolve("cache"), 0600);
    assertNotEquals(first, narrower);
    assertEquals(
        narrower, build(tmp.resolve("cold-oci"), tmp.resolve("cold-cache"), 0600), "as cold");
  }

  @Test
  void oneIndexUpdateForAllServicesSaysWhatOneWriteEachWould() throws IOException {
    Files.createDirectories(project.resolve("cmd/two"));
    Files.write(project.resolve("build/two-linux-amd64"), staticElf(32 * 1024, 5));
    Path layout = tmp.resolve("oci");
    Build.Result r =
        Build.run(
            Build.options()
                .projectDir(project)
                .all(true)
                .to(ImageLocation.parse("oci:" + layout))
                .cache(tmp.resolve("cache"))
                .environment(Map.of())
                .build(),
            Session.defaults(EventListener.NONE));
    assertEquals(2, r.images().size());
    OciLayout one = OciLayout.open(layout);
    OciLayout each = OciLayout.create(tmp.resolve("each"));
    for (String tag : List.of("svc", "two")) {
      each.write(one.read(tag), tag, null);
    }
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("each/index.json")),
        Files.readAllBytes(layout.resolve("index.json")));
  }

  /** Every file under {@code dir} with its inode, size and mtime: a rewrite changes the inode. */
  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        out.put(
            dir.relativize(p).toString(),
            a.fileKey() + " " + a.size() + " " + a.lastModifiedTime());
      }
    }
    assertTrue(out.size() > 2, dir + " holds files");
    return out;
  }

  /**
   * A static x86-64 executable of {@code size} bytes (an ELF header, one PT_LOAD, no interpreter),
   * its body random bytes from {@code seed}.
   */
  static byte[] staticElf(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    b.putShort((short) 2).putShort((short) 62).putInt(1); // ET_EXEC, EM_X86_64, EV_CURRENT
    b.putLong(0x400078).putLong(64).putLong(0).putInt(0); // entry, phoff, shoff, flags
    b.putShort((short) 64).putShort((short) 56).putShort((short) 1); // ehsize, phentsize, phnum
    b.putShort((short) 64).putShort((short) 0).putShort((short) 0); // shentsize, shnum, shstrndx
    b.putInt(1).putInt(5).putLong(0).putLong(0x400000).putLong(0x400000); // PT_LOAD, R+X
    b.putLong(size).putLong(size).putLong(0x1000);
    return bytes;
  }
}
