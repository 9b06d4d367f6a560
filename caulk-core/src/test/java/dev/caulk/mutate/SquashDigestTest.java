package dev.caulk.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.TarEntry;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes squash writes are pinned: the uncompressed layer of a fixed two-layer image (every
 * entry type, a root with other attributes, owners, extended attributes, a whiteout, hard links
 * kept by content, one whose target was replaced) has one digest, so a change to how a tree becomes
 * a layer ({@link TreeEntries}, used by slim and harden too) cannot move image digests unnoticed.
 * The digest was the same before {@link TreeEntries} was shared.
 */
class SquashDigestTest {
  static final String PINNED =
      "sha256:d6f7994fe0744df21bfe9f07a6fa25eb279a266c6367184946dcac020451a1e4";

  @TempDir Path tmp;

  static Image fixture() throws IOException {
    byte[] base =
        TestTars.tar()
            .entry("./", EntryType.DIR, 0750, 0, 0, new byte[0], null, Map.of())
            .dir("etc")
            .file("etc/hostname", "base\n")
            .file("etc/secret", "s".getBytes(StandardCharsets.UTF_8), 0600, 1000, 1000)
            .dir("data", 0700)
            .file("data/a", "first a\n")
            .file("data/owned", "o".getBytes(StandardCharsets.UTF_8), 0640, 1000, 1001)
            .hardlink("data/b", "data/a")
            .file("data/old", "replaced later\n")
            .hardlink("data/old-link", "data/old")
            .symlink("data/latest", "a")
            .device("dev-null", EntryType.CHAR_DEVICE, 1, 3)
            .device("fifo", EntryType.FIFO, 0, 0)
            .entry(
                "data/tagged",
                EntryType.FILE,
                0644,
                0,
                0,
                "x".getBytes(StandardCharsets.UTF_8),
                null,
                Map.of("user.note", "kept"))
            .bytes();
    byte[] top =
        TestTars.tar()
            .file("data/old", "the new old\n")
            .file(".wh.etc", "")
            .dir("etc")
            .file("etc/hostname", "top\n")
            .bytes();
    return TestTars.image(base, top);
  }

  static Layer squashed(Path tmp) throws IOException {
    Image sq =
        Mutate.squash(
            fixture(),
            Mutate.SquashOptions.defaults().withTempDir(tmp).withFormat(LayerFormat.UNCOMPRESSED));
    assertEquals(1, sq.layers().size());
    return sq.layers().get(0);
  }

  @Test
  void theSquashedLayerOfAFixedImageHasItsPinnedDigest() throws IOException {
    Layer l = squashed(tmp);
    assertEquals(l.digest(), l.diffId(), "uncompressed: the digest is the tar's");
    Map<String, TarEntry> entries = new TreeMap<>();
    try (InputStream in = l.uncompressed()) {
      for (TarEntry e : TestTars.entries(in.readAllBytes())) {
        entries.put(e.name(), e);
      }
    }
    assertEquals(0750, entries.get("").mode(), "a root with other attributes is written");
    assertEquals(EntryType.HARDLINK, entries.get("data/b").type());
    assertEquals("data/a", entries.get("data/b").linkTarget());
    assertEquals(EntryType.FILE, entries.get("data/old-link").type(), "its target was replaced");
    assertEquals(15, entries.get("data/old-link").size(), "it keeps the old bytes");
    assertEquals(1000, entries.get("data/owned").uid());
    assertEquals(1001, entries.get("data/owned").gid());
    assertEquals(Map.of("user.note", "kept"), entries.get("data/tagged").xattrs());
    assertEquals(3, entries.get("dev-null").devMinor());
    assertFalse(entries.containsKey("etc/secret"), "whited out with its folder");
    assertEquals(PINNED, l.diffId().toString());
  }
}
