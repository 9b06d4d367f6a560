package dev.caulk.pkgdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageDbTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final String STATUS =
      """
      Package: libssl3
      Status: install ok installed
      Architecture: amd64
      Source: openssl (3.0.15-1~deb12u1)
      Version: 3.0.15-1~deb12u1
      Description: Secure Sockets Layer toolkit
       a continuation line

      package: tzdata
      STATUS: deinstall ok config-files
      Version: 2024a-0+deb12u1

      Package: base-files
      Status: hold ok installed
      Version: 12.4+deb12u8
      Source: base-files
      """;

  @Test
  void dpkgStatusGivesEveryUserItsFields() throws Exception {
    List<DpkgRecord> r = DpkgDatabase.status(b(STATUS), true);
    assertEquals(
        List.of("libssl3", "tzdata", "base-files"), r.stream().map(DpkgRecord::name).toList());
    DpkgRecord ssl = r.get(0);
    assertEquals("amd64", ssl.architecture());
    assertEquals("openssl", ssl.sourceName());
    assertEquals("3.0.15-1~deb12u1", ssl.sourceVersion());
    assertTrue(ssl.installed(false));
    assertTrue(ssl.text().startsWith("Package: libssl3\n"), ssl.text());
    assertTrue(ssl.text().endsWith(" a continuation line\n"), ssl.text());
    assertEquals(1, ssl.line());
    assertFalse(r.get(1).installed(false));
    assertEquals(9, r.get(1).line());
    assertEquals("base-files", r.get(2).sourceName());
    assertEquals("12.4+deb12u8", r.get(2).sourceVersion());
    assertTrue(r.get(2).installed(false));
    assertNull(DpkgDatabase.status(b(STATUS), false).get(0).text());
    assertTrue(DpkgDatabase.installed(null, true));
    assertFalse(DpkgDatabase.installed("install reinstreq half-installed", false));
    assertEquals(List.of("libc6:amd64", "libc6"), DpkgDatabase.infoKeys("libc6", "amd64"));
    assertEquals(List.of("libc6"), DpkgDatabase.infoKeys("libc6", null));
  }

  @Test
  void listsAndMd5sums() throws Exception {
    List<String> listed = new ArrayList<>();
    DpkgDatabase.list(
        LineReader.of(b("/.\n/usr\n/usr/lib \nrelative\n/usr/lib/libssl.so.3\n")), listed::add);
    assertEquals(List.of("/usr", "/usr/lib", "/usr/lib/libssl.so.3"), listed);
    assertEquals(List.of("/usr/lib/libssl.so.3"), DpkgDatabase.leaves(listed));
    assertEquals(List.of("/a-b", "/a/b"), DpkgDatabase.leaves(List.of("/a", "/a-b", "/a/b")));
    List<DpkgDatabase.Md5sum> sums = new ArrayList<>();
    DpkgDatabase.md5sums(
        LineReader.of(b("0123  usr/bin/a\nffff *usr/bin/b\nnohash\n  \nabc  \n")), sums::add);
    assertEquals(
        List.of(
            new DpkgDatabase.Md5sum("/usr/bin/a", "0123  usr/bin/a"),
            new DpkgDatabase.Md5sum("/usr/bin/b", "ffff *usr/bin/b")),
        sums);
  }

  @Test
  void apkRecordsWithFilesFoldersAndText() throws Exception {
    String db =
        "C:Q1\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\nm:Someone\nF:lib\nR:ld-musl.so.1\nR:bad/name\n"
            + "F:usr/lib\nR:libc.so\n\nP:busybox\nV:1.36\nR:top\nR:second\n\nV:1\n\n";
    List<ApkRecord> r = ApkDatabase.read(b(db), true);
    assertEquals(List.of("musl", "busybox"), r.stream().map(ApkRecord::name).toList());
    ApkRecord musl = r.get(0);
    assertEquals(List.of("/lib", "/usr/lib"), musl.directories());
    assertEquals(List.of("/lib/ld-musl.so.1", "/usr/lib/libc.so"), musl.files());
    assertEquals("musl", musl.sourceName());
    assertEquals("MIT", musl.license());
    assertTrue(musl.text().startsWith("C:Q1\nP:musl\n") && musl.text().endsWith("R:libc.so\n"));
    assertEquals(List.of("/top", "/second"), r.get(1).files());
    List<ApkRecord> bounded = new ArrayList<>();
    ApkDatabase.read(LineReader.of(b(db)), kept -> kept < 1, false, bounded::add);
    assertEquals(List.of("/top"), bounded.get(1).files());
    assertTrue(bounded.get(1).filesTruncated());
    assertNull(bounded.get(1).text());
  }

  @Test
  void boundsAndBudgetsStopTheReading() throws Exception {
    byte[] big = b("P:x\nV:1\n".repeat(1000));
    LineReader over = new LineReader(new ByteArrayInputStream(big), 100, "apk database");
    PackageDbException e =
        assertThrows(
            PackageDbException.class, () -> ApkDatabase.read(over, k -> true, false, r -> {}));
    assertEquals("apk database is larger than 100 bytes", e.getMessage());
    List<DpkgRecord> kept = new ArrayList<>();
    assertThrows(
        PackageDbException.class,
        () ->
            DpkgDatabase.status(
                LineReader.of(b(STATUS)),
                false,
                r -> {
                  if (kept.size() == 2) {
                    throw new PackageDbException("budget");
                  }
                  kept.add(r);
                }));
    assertEquals(2, kept.size());
  }

  @Test
  void hostileDatabasesAreReadInLinearTime() {
    String longLine = "Package: " + "a".repeat(8_000_000) + "\nVersion: 1\n";
    String manyStanzas = "Package: p\nStatus: install ok installed\nVersion: 1\n\n".repeat(100_000);
    String continuations = "Package: p\nDescription: x\n" + " .\n".repeat(1_000_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertEquals(8_000_000, DpkgDatabase.status(b(longLine), false).get(0).name().length());
          assertEquals(100_000, DpkgDatabase.status(b(manyStanzas), false).size());
          assertEquals(1, DpkgDatabase.status(b(continuations), true).size());
          assertEquals(1, ApkDatabase.read(b("P:x\n" + "R:f\n".repeat(1_000_000)), false).size());
        });
  }
}
