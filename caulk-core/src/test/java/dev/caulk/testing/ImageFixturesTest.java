package dev.caulk.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class ImageFixturesTest {

  @Test
  void randomBytesAreDeterministicAndStreamable() throws IOException {
    byte[] a = ImageFixtures.randomBytes(42, 1001);
    assertArrayEquals(a, ImageFixtures.randomBytes(42, 1001));
    assertFalse(java.util.Arrays.equals(a, ImageFixtures.randomBytes(43, 1001)));
    try (InputStream in = ImageFixtures.randomStream(42, 1001)) {
      assertArrayEquals(a, in.readAllBytes());
    }
    try (InputStream in =
        ImageFixtures.randomStream(42, 1001)) { // odd read sizes cross word boundaries
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[13];
      out.write(in.read());
      for (int n; (n = in.read(buf, 0, 1 + out.size() % 13)) > 0; ) {
        out.write(buf, 0, n);
      }
      assertArrayEquals(a, out.toByteArray());
    }
  }

  @Test
  void sha256MatchesAKnownVector() {
    assertEquals(
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ImageFixtures.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void tarKeepsEveryEntryAsGiven() throws IOException {
    byte[] tar =
        ImageFixtures.tar(
            ImageFixtures.dir("etc").withMode(0700),
            ImageFixtures.file("etc/passwd", "root:x:0:0::/root:/bin/sh\n").withOwner(1000, 2000),
            ImageFixtures.symlink("etc/link", "/etc/passwd"),
            ImageFixtures.hardlink("etc/hard", "etc/passwd"),
            ImageFixtures.file("../escape", "x").withMtime(Instant.ofEpochSecond(1_700_000_000)),
            ImageFixtures.file("/abs/name", new byte[0]).withMode(04755),
            ImageFixtures.file("d/" + "n".repeat(150), "long"),
            ImageFixtures.whiteout("usr/share/doc"),
            ImageFixtures.opaque("var/cache"));
    assertArrayEquals(
        tar,
        ImageFixtures.tar(
            ImageFixtures.dir("etc").withMode(0700),
            ImageFixtures.file("etc/passwd", "root:x:0:0::/root:/bin/sh\n").withOwner(1000, 2000),
            ImageFixtures.symlink("etc/link", "/etc/passwd"),
            ImageFixtures.hardlink("etc/hard", "etc/passwd"),
            ImageFixtures.file("../escape", "x").withMtime(Instant.ofEpochSecond(1_700_000_000)),
            ImageFixtures.file("/abs/name", new byte[0]).withMode(04755),
            ImageFixtures.file("d/" + "n".repeat(150), "long"),
            ImageFixtures.whiteout("usr/share/doc"),
            ImageFixtures.opaque("var/cache")),
        "deterministic");

    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e = in.getNextEntry();
      assertEquals("etc/", e.getName());
      assertTrue(e.isDirectory());
      assertEquals(0700, e.getMode() & 07777);
      e = in.getNextEntry();
      assertEquals("etc/passwd", e.getName());
      assertEquals(1000, e.getLongUserId());
      assertEquals(2000, e.getLongGroupId());
      assertEquals(
          "root:x:0:0::/root:/bin/sh\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      e = in.getNextEntry();
      assertTrue(e.isSymbolicLink());
      assertEquals("/etc/passwd", e.getLinkName());
      e = in.getNextEntry();
      assertTrue(e.isLink());
      assertEquals("etc/passwd", e.getLinkName());
      e = in.getNextEntry();
      assertEquals("../escape", e.getName());
      assertEquals(1_700_000_000_000L, e.getModTime().getTime());
      e = in.getNextEntry();
      assertEquals("/abs/name", e.getName(), "absolute names are kept for hostile-input tests");
      assertEquals(04755, e.getMode() & 07777);
      e = in.getNextEntry();
      assertEquals("d/" + "n".repeat(150), e.getName());
      assertEquals("usr/share/.wh.doc", in.getNextEntry().getName());
      assertEquals("var/cache/.wh..wh..opq", in.getNextEntry().getName());
      assertNull(in.getNextEntry());
    }
  }

  @Test
  void gzipRoundTripsDeterministically() throws IOException {
    byte[] tar = ImageFixtures.tar(ImageFixtures.file("a", "b"));
    byte[] gz = ImageFixtures.tarGz(ImageFixtures.file("a", "b"));
    assertEquals(0x1f, gz[0] & 0xff);
    assertEquals(0x8b, gz[1] & 0xff);
    assertArrayEquals(gz, ImageFixtures.gzip(tar));
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertArrayEquals(tar, in.readAllBytes());
    }
  }

  @Test
  void linksNeedTargets() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ImageFixtures.Entry(
                "l", ImageFixtures.Type.SYMLINK, 0777, null, null, 0, 0, Instant.EPOCH));
  }
}
