package dev.caulk.scan.db;

import static dev.caulk.scan.db.Fixtures.debianZip;
import static dev.caulk.scan.db.Fixtures.entries;
import static dev.caulk.scan.db.Fixtures.record;
import static dev.caulk.scan.db.Fixtures.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Failing and hostile imports must leave the previous store exactly as it was. */
class VulnDbFailureTest {
  @TempDir Path tmp;

  /** A store with the Debian fixture imported, and a snapshot of its files for later comparison. */
  private Path populated() throws Exception {
    Path dir = tmp.resolve("db");
    try (VulnDb db = VulnDb.open(dir)) {
      db.importFrom(debianZip(tmp.resolve("all.zip")));
    }
    return dir;
  }

  private static List<String> listing(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      return s.filter(p -> !p.getFileName().toString().equals("lock"))
          .map(p -> dir.relativize(p) + (Files.isRegularFile(p) ? ":" + size(p) : ""))
          .sorted()
          .toList();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void assertIntact(Path dir, List<String> before, VulnDb live) throws Exception {
    assertEquals(before, listing(dir), "store files changed or debris left behind");
    assertEquals(2, live.lookup("Debian:12", "openssl").size());
    try (VulnDb reopened = VulnDb.open(dir)) {
      assertEquals(2, reopened.lookup("Debian:12", "openssl").size());
      assertEquals(3, reopened.status().ecosystem("Debian").orElseThrow().records());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../evil.json",
        "a/../../evil.json",
        "/etc/evil.json",
        "..\\evil.json",
        "C:/evil.json",
        "ok/..",
        "a/../b.json"
      })
  void pathTraversalInAZipFailsTheImportAndKeepsTheStore(String name) throws Exception {
    Path dir = populated();
    List<String> before = listing(dir);
    Path hostile =
        zip(
            tmp.resolve("hostile.zip"),
            entries(
                "GOOD-1.json",
                record("GOOD-1", "2024-01-01T00:00:00Z", "Debian:12|curl|1.0-1"),
                name,
                record("EVIL-1", "2024-01-01T00:00:00Z", "Debian:12|curl|1.0-1")));
    try (VulnDb db = VulnDb.open(dir)) {
      VulnDbException e = assertThrows(VulnDbException.class, () -> db.importFrom(hostile));
      assertTrue(e.getMessage().contains("unsafe path"), e.getMessage());
      assertTrue(e.getMessage().startsWith("hostile.zip: entry '"), e.getMessage());
      assertIntact(dir, before, db);
      assertEquals(List.of(), db.lookup("Debian:12", "curl"));
    }
    assertFalse(Files.exists(tmp.resolve("evil.json")));
  }

  @Test
  void anEntryOver16MiBFailsTheImport() throws Exception {
    Path dir = populated();
    List<String> before = listing(dir);
    Path big = tmp.resolve("big.zip");
    try (OutputStream out = Files.newOutputStream(big);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("BIG-1.json"));
      String rec = record("BIG-1", "2024-01-01T00:00:00Z", "Debian:12|curl|1.0-1");
      zip.write(rec.substring(0, rec.length() - 2).getBytes());
      byte[] pad = new byte[1 << 20];
      java.util.Arrays.fill(pad, (byte) ' ');
      for (int i = 0; i < 17; i++) {
        zip.write(pad);
      }
      zip.write("}\n".getBytes());
      zip.closeEntry();
    }
    try (VulnDb db = VulnDb.open(dir)) {
      VulnDbException e = assertThrows(VulnDbException.class, () -> db.importFrom(big));
      assertEquals("big.zip: entry 'BIG-1.json': larger than 16 MiB", e.getMessage());
      assertIntact(dir, before, db);
    }
  }

  @Test
  void boundedReadDoesNotTrustDeclaredSizes() throws Exception {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return ' ';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) ' ');
            return len;
          }
        };
    VulnDbException e =
        assertThrows(VulnDbException.class, () -> Sources.readBounded(endless, "x"));
    assertEquals("x: larger than 16 MiB", e.getMessage());
    assertEquals(3, Sources.readBounded(new ByteArrayInputStream("{ }".getBytes()), "y").length);
  }

  @Test
  void anOversizedFileInAFolderFailsTheImport() throws Exception {
    Path dir = populated();
    List<String> before = listing(dir);
    Path src = Files.createDirectories(tmp.resolve("folder/sub"));
    try (FileChannel ch =
        FileChannel.open(
            src.resolve("huge.json"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(
          java.nio.ByteBuffer.wrap(new byte[] {'{'}),
          Sources.MAX_ENTRY_BYTES); // sparse, 16 MiB + 1
    }
    try (VulnDb db = VulnDb.open(dir)) {
      VulnDbException e =
          assertThrows(VulnDbException.class, () -> db.importFrom(tmp.resolve("folder")));
      assertTrue(e.getMessage().endsWith("huge.json: larger than 16 MiB"), e.getMessage());
      assertIntact(dir, before, db);
    }
  }

  @Test
  void aCorruptZipFailsTheImport() throws Exception {
    Path dir = populated();
    List<String> before = listing(dir);
    Path bad =
        Files.write(
            tmp.resolve("all.zip.part"), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    try (VulnDb db = VulnDb.open(dir)) {
      VulnDbException e = assertThrows(VulnDbException.class, () -> db.importFrom(bad));
      assertTrue(
          e.getMessage().startsWith("all.zip.part: not a readable zip file"), e.getMessage());
      assertIntact(dir, before, db);
    }
  }

  @Test
  void unknownOrMissingSourcesAreRefused() throws Exception {
    try (VulnDb db = VulnDb.open(tmp.resolve("db"))) {
      Path txt = Files.writeString(tmp.resolve("notes.txt"), "hello");
      assertEquals(
          "notes.txt: not a zip file, a .json file or a directory",
          assertThrows(VulnDbException.class, () -> db.importFrom(txt)).getMessage());
      assertEquals(
          "absent.zip: no such file or directory",
          assertThrows(VulnDbException.class, () -> db.importFrom(tmp.resolve("absent.zip")))
              .getMessage());
    }
  }

  @Test
  void aSingleJsonFileCanBeImported() throws Exception {
    Path one =
        Files.writeString(
            tmp.resolve("GO-2024-1.json"),
            record("GO-2024-1", "2024-01-01T00:00:00Z", "Go|stdlib|1.22.1"));
    try (VulnDb db = VulnDb.open(tmp.resolve("db"))) {
      assertEquals(1, db.importFrom(one).total());
      assertEquals(1, db.lookup("Go", "stdlib").size());
    }
  }

  @Test
  void aSecondConcurrentImportIsRefused() throws Exception {
    Path dir = populated();
    List<String> before = listing(dir);
    try (VulnDb db = VulnDb.open(dir);
        Generations.WriteLock held = Generations.lockForWrite(dir)) {
      VulnDbException e =
          assertThrows(
              VulnDbException.class, () -> db.importFrom(debianZip(tmp.resolve("again.zip"))));
      assertEquals("vulnerability database db: another import is running", e.getMessage());
      assertIntact(dir, before, db);
    }
  }

  @Test
  void debrisOfACrashedImportIsCleanedUpByTheNextImport() throws Exception {
    Path dir = populated();
    Files.createDirectories(dir.resolve("import-12345/x"));
    Files.writeString(dir.resolve("import-12345/x/half.dat"), "half");
    Files.createDirectories(dir.resolve("gen-99999999"));
    try (VulnDb db = VulnDb.open(dir)) {
      assertEquals(2, db.lookup("Debian", "openssl").size(), "debris is ignored by readers");
      db.importFrom(
          zip(
              tmp.resolve("a.zip"),
              entries(
                  "A.json",
                  record("ALPINE-1", "2024-03-01T00:00:00Z", "Alpine:v3.20|musl|1.2.5-r0"))));
    }
    try (var s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      // Debris is removed before the new generation is numbered.
      assertEquals(List.of("current", "gen-00000002", "lock"), names);
    }
  }

  @Test
  void damagedStoreFilesGiveAClearError() throws Exception {
    Path dir = populated();
    Path gen = VulnDbTest.generations(dir).get(0);
    try (FileChannel ch = FileChannel.open(gen.resolve("Debian.idx"), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    try (VulnDb db = VulnDb.open(dir)) {
      VulnDbException e = assertThrows(VulnDbException.class, () -> db.lookup("Debian", "openssl"));
      assertEquals(
          "vulnerability database file Debian.idx is corrupt (bad header); import the data again",
          e.getMessage());
    }
    Files.writeString(dir.resolve("current"), "../../etc\n");
    assertTrue(
        assertThrows(VulnDbException.class, () -> VulnDb.open(dir))
            .getMessage()
            .contains("current"));
    Files.writeString(dir.resolve("current"), "gen-00000042\n");
    assertTrue(
        assertThrows(VulnDbException.class, () -> VulnDb.open(dir))
            .getMessage()
            .contains("names a missing generation"));
  }

  @Test
  void ecosystemNamesBecomeSafeFileNames() {
    assertEquals("Rocky%20Linux", Manifest.stem("Rocky Linux"));
    assertEquals("crates%2Eio", Manifest.stem("crates.io"));
    assertEquals("%2E%2E%2Fx", Manifest.stem("../x"));
    assertEquals("Debian", Manifest.stem("Debian"));
  }
}
