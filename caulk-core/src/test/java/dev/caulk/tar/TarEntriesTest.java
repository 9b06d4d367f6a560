package dev.caulk.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.digest.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TarEntriesTest {
  private static final String W = "layer sha256:0123456789ab";

  @ParameterizedTest
  @CsvSource({
    "./a//b/./c/, a/b/c",
    "/etc/passwd, etc/passwd",
    "///x, x",
    "./, ''",
    "., ''",
    "a/./b, a/b",
    "'.wh..wh..opq', '.wh..wh..opq'",
    "...,..."
  })
  void normalizesNames(String in, String out) throws IOException {
    assertEquals(out, TarEntries.normalize(in, W));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../b", "a/..", "/..", "./../etc"})
  void rejectsDotDot(String name) {
    InvalidLayerException e =
        assertThrows(InvalidLayerException.class, () -> TarEntries.normalize(name, W));
    assertEquals(W + ": entry '" + name + "' escapes the root", e.getMessage());
  }

  @Test
  void rejectsNulAndOverlongNames() {
    assertTrue(
        assertThrows(InvalidLayerException.class, () -> TarEntries.normalize("a\0b", W))
            .getMessage()
            .contains("NUL"));
    assertThrows(InvalidLayerException.class, () -> TarEntries.normalize("a/".repeat(3000), W));
  }

  @Test
  void quotesHostileNamesSafely() {
    assertEquals("'a?[31mb?'", TarEntries.quote("a\u001b[31mb\u202e"));
    assertTrue(TarEntries.quote("x".repeat(500)).length() < 130);
  }

  @Test
  void readsEveryTypeAndAttribute() throws IOException {
    byte[] cap = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    String capStr = new String(cap, StandardCharsets.ISO_8859_1);
    byte[] tar =
        TestTars.tar()
            .dir("./")
            .dir("./bin", 0755)
            .entry(
                "bin/ping",
                EntryType.FILE,
                04755,
                0,
                0,
                "elf".getBytes(),
                null,
                Map.of("security.capability", capStr))
            .file("/etc/shadow", "root:*:1::::::\n".getBytes(), 0640, 0, 42)
            .symlink("bin/sh", "/bin/dash")
            .hardlink("bin/ping6", "./bin/ping")
            .device("dev/null", EntryType.CHAR_DEVICE, 1, 3)
            .device("dev/sda", EntryType.BLOCK_DEVICE, 8, 0)
            .device("run/fifo", EntryType.FIFO, 0, 0)
            .file("home/u/" + "long-name-".repeat(20), "x".getBytes(), 0600, 3000000, 3000001)
            .bytes();
    List<TarEntry> es = TestTars.entries(tar);
    assertEquals(10, es.size());
    assertEquals("", es.get(0).name());
    assertEquals(EntryType.DIR, es.get(0).type());
    TarEntry ping = es.get(2);
    assertEquals("bin/ping", ping.name());
    assertEquals(04755, ping.mode());
    assertArrayEquals(
        cap, ping.xattrBytes("security.capability"), "binary xattr survives byte for byte");
    assertEquals(Instant.ofEpochSecond(1234567890L), ping.mtime());
    TarEntry shadow = es.get(3);
    assertEquals("etc/shadow", shadow.name());
    assertEquals("/etc/shadow", shadow.path());
    assertEquals(42, shadow.gid());
    assertEquals(15, shadow.size());
    assertEquals("/bin/dash", es.get(4).linkTarget());
    assertEquals(EntryType.HARDLINK, es.get(5).type());
    assertEquals("bin/ping", es.get(5).linkTarget());
    assertEquals(0, es.get(5).size());
    assertEquals(1, es.get(6).devMajor());
    assertEquals(3, es.get(6).devMinor());
    assertEquals(EntryType.BLOCK_DEVICE, es.get(7).type());
    assertEquals(EntryType.FIFO, es.get(8).type());
    TarEntry longOne = es.get(9);
    assertEquals("home/u/" + "long-name-".repeat(20), longOne.name());
    assertEquals(3000000, longOne.uid());
    assertEquals(3000001, longOne.gid());
  }

  @Test
  void readsContentExactlyAndSkipsUnreadContent() throws IOException {
    byte[] tar = TestTars.tar().file("a", "hello").file("b", "world!").bytes();
    try (TarReader r = TarEntries.reader(new ByteArrayInputStream(tar), W)) {
      assertEquals("a", r.next().name()); // content not read: skipped by next()
      assertEquals("b", r.next().name());
      assertEquals("world!", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
      assertNull(r.next());
      assertNull(r.next());
      assertEquals(tar.length, r.bytesRead());
    }
  }

  @Test
  void libarchiveXattrsAreDecoded() throws IOException {
    String key = "LIBARCHIVE.xattr.user.te%3Dst";
    String val =
        Base64.getEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0xff, 0, 1});
    String rec = key + "=" + val + "\n";
    int len = rec.length() + 3;
    byte[] pax = (len + " " + rec).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.writeBytes(TestTars.header("PaxHeaders/f", 'x', pax.length));
    raw.writeBytes(pad(pax));
    raw.writeBytes(TestTars.header("f", '0', 0));
    byte[] tar = TestTars.tar().raw(raw.toByteArray()).bytes();
    TarEntry f = TestTars.entries(tar).get(0);
    assertArrayEquals(new byte[] {(byte) 0xff, 0, 1}, f.xattrBytes("user.te=st"));
  }

  @Test
  void unsupportedTypeIsAnError() {
    byte[] tar = TestTars.tar().raw(TestTars.header("vol", 'V', 0)).bytes();
    InvalidLayerException e =
        assertThrows(InvalidLayerException.class, () -> TestTars.entries(tar));
    assertTrue(e.getMessage().contains("unsupported type 'V'"), e.getMessage());
  }

  @Test
  void escapingEntryNamesAreErrors() {
    byte[] tar = TestTars.tar().file("ok", "x").file("../x", "y").bytes();
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () -> read(TarEntries.reader(new ByteArrayInputStream(tar), W)));
    assertEquals(W + ": entry '../x' escapes the root", e.getMessage());
    byte[] hl = TestTars.tar().hardlink("h", "../../etc/passwd").bytes();
    assertTrue(
        assertThrows(InvalidLayerException.class, () -> TestTars.entries(hl))
            .getMessage()
            .contains("escapes the root"));
  }

  @Test
  void corruptHeaderIsAClearError() {
    byte[] tar = TestTars.tar().file("a", "x").bytes();
    tar[150] ^= 0x11; // checksum broken
    tar[0] = 'z';
    InvalidLayerException e =
        assertThrows(InvalidLayerException.class, () -> TestTars.entries(concat(tar, new byte[0])));
    assertTrue(e.getMessage().startsWith("test: unreadable tar"), e.getMessage());
  }

  @Test
  void truncatedTarIsAnError() {
    byte[] tar = TestTars.tar().file("a", "x".repeat(5000)).bytes();
    byte[] cut = java.util.Arrays.copyOf(tar, 1500);
    assertThrows(
        IOException.class,
        () -> {
          try (TarReader r = TarEntries.reader(new ByteArrayInputStream(cut), W)) {
            r.next();
            r.content().readAllBytes();
            r.next();
          }
        });
  }

  @Test
  void hugeExtendedHeaderIsRefusedBeforeBeingBuffered() {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.writeBytes(TestTars.header("PaxHeaders/f", 'x', (1L << 33) - 1)); // claims 8 GiB
    raw.writeBytes(new byte[4096]);
    InvalidLayerException e =
        assertThrows(InvalidLayerException.class, () -> TestTars.entries(raw.toByteArray()));
    assertTrue(e.getMessage().contains("extended tar header of 8589934591 bytes"), e.getMessage());
    ByteArrayOutputStream gnu = new ByteArrayOutputStream();
    gnu.writeBytes(TestTars.header("././@LongLink", 'L', 5L << 20));
    assertThrows(InvalidLayerException.class, () -> TestTars.entries(gnu.toByteArray()));
  }

  @Test
  void uncompressedByteLimitStopsABomb() {
    byte[] tar = TestTars.tar().file("zeros", new byte[3 << 20], 0644, 0, 0).bytes();
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () -> read(TarEntries.reader(new ByteArrayInputStream(tar), W, 1 << 20)));
    assertTrue(
        e.getMessage().startsWith(W + ": more than 1048576 uncompressed bytes"), e.getMessage());
  }

  @Test
  void readingToTheEndVerifiesTheDigest() throws IOException {
    byte[] tar = TestTars.tar().file("a", "x").bytes();
    InputStream wrong =
        new VerifyingInputStream(new ByteArrayInputStream(tar), Digest.sha256("other"), -1, W);
    assertThrows(DigestMismatchException.class, () -> read(TarEntries.reader(wrong, W)));
    InputStream right =
        new VerifyingInputStream(new ByteArrayInputStream(tar), Digest.sha256(tar), -1, W);
    assertEquals(1, read(TarEntries.reader(right, W)));
  }

  @Test
  void parentAndBasename() {
    assertEquals("a/b", TarEntries.parent("a/b/c"));
    assertEquals("", TarEntries.parent("a"));
    assertEquals("c", TarEntries.basename("a/b/c"));
    assertFalse(TarEntries.basename("x").isEmpty());
  }

  private static int read(TarReader r) throws IOException {
    int n = 0;
    try (r) {
      for (TarEntry e; (e = r.next()) != null; ) {
        r.content().readAllBytes();
        n++;
      }
    }
    return n;
  }

  private static byte[] pad(byte[] b) {
    return java.util.Arrays.copyOf(b, (b.length + 511) / 512 * 512);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
