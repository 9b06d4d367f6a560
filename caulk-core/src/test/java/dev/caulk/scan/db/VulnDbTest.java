package dev.caulk.scan.db;

import static dev.caulk.scan.db.Fixtures.debianZip;
import static dev.caulk.scan.db.Fixtures.entries;
import static dev.caulk.scan.db.Fixtures.record;
import static dev.caulk.scan.db.Fixtures.zip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.scan.osv.MatchResult;
import dev.caulk.scan.osv.OsvEntry;
import dev.caulk.scan.osv.OsvMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VulnDbTest {
  static final Instant T1 = Instant.parse("2025-01-01T10:00:00Z");
  static final Instant T2 = Instant.parse("2025-01-02T10:00:00Z");

  @TempDir Path tmp;

  private VulnDb open(Path dir, Instant now) throws Exception {
    return VulnDb.open(dir, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static List<String> ids(List<OsvEntry> entries) {
    return entries.stream().map(OsvEntry::id).toList();
  }

  @Test
  void importsAnOsvZipAndLooksUpByExactPackageName() throws Exception {
    Path dir = tmp.resolve("db");
    try (VulnDb db = open(dir, T1)) {
      ImportResult r = db.importFrom(debianZip(tmp.resolve("all.zip")));
      assertEquals(Map.of("Debian", 3), r.records());
      assertEquals(1, r.withdrawn());
      assertEquals(1, r.ignored());
      assertEquals(1, r.invalid());
      assertTrue(r.problems().get(0).contains("BROKEN-1.json"), r.problems().toString());
      assertTrue(r.problems().get(0).contains("missing 'modified'"), r.problems().toString());

      assertEquals(
          List.of("DEBIAN-CVE-2023-5678", "DSA-5532-1"), ids(db.lookup("Debian:12", "openssl")));
      assertEquals(
          List.of("DEBIAN-CVE-2023-5678", "DSA-5532-1"), ids(db.lookup("debian", "openssl")));
      assertEquals(List.of("DEBIAN-CVE-2023-4911"), ids(db.lookup("Debian", "glibc")));
      // Lookup is by the exact name given: binary names and other spellings find nothing.
      assertEquals(List.of(), db.lookup("Debian:12", "libssl3"));
      assertEquals(List.of(), db.lookup("Debian:12", "OpenSSL"));
      assertEquals(List.of(), db.lookup("Debian:12", "opensslx"));
      assertEquals(List.of(), db.lookup("Debian:12", "tiff"), "withdrawn records are not stored");
      assertEquals(List.of(), db.lookup("Alpine:v3.20", "openssl"));

      // The stored record is the full record, with the release kept in the entry.
      OsvEntry e = db.lookup("Debian", "openssl").get(0);
      assertEquals(
          List.of("Debian:11", "Debian:12"),
          e.affected().stream().map(a -> a.pkg().orElseThrow().ecosystem()).toList());
      assertEquals("medium", e.affected().get(0).ecosystemSpecific().get("urgency").asText());

      DbStatus s = db.status();
      assertEquals(1, s.ecosystems().size());
      assertEquals(
          new EcosystemStatus("Debian", 3, 2, T1, "all.zip"),
          s.ecosystem("Debian:12").orElseThrow());
    }
  }

  @Test
  void lookupFeedsTheMatcher() throws Exception {
    try (VulnDb db = open(tmp.resolve("db"), T1)) {
      db.importFrom(debianZip(tmp.resolve("all.zip")));
      List<MatchResult> results =
          OsvMatcher.evaluate(
              db.lookup("Debian:12", "openssl"), "Debian:12", "openssl", "3.0.11-1~deb12u1");
      assertEquals(
          Optional.of("3.0.13-1~deb12u1"), ((MatchResult.Affected) results.get(0)).fixedVersion());
      assertEquals(
          Optional.of("3.0.11-1~deb12u2"), ((MatchResult.Affected) results.get(1)).fixedVersion());
    }
  }

  @Test
  void importsANestedFolderAndSeveralEcosystems() throws Exception {
    Path src = tmp.resolve("osv");
    Files.createDirectories(src.resolve("go/2024"));
    Files.createDirectories(src.resolve("maven"));
    Files.writeString(
        src.resolve("go/2024/GO-2024-0001.json"),
        record(
            "GO-2024-0001",
            "2024-01-01T00:00:00Z",
            "Go|golang.org/x/net|0.17.0",
            "Go|golang.org/x/net/http2|0.17.0"));
    Files.writeString(
        src.resolve("maven/GHSA-aaaa-bbbb-cccc.json"),
        record(
            "GHSA-aaaa-bbbb-cccc",
            "2024-01-01T00:00:00Z",
            "Maven|org.apache.logging.log4j:log4j-core|2.15.0",
            "npm|log4js|6.4.0"));
    Files.writeString(src.resolve("maven/notes.txt"), "not json");
    Path outside =
        Files.writeString(
            tmp.resolve("outside.json"), record("EVIL-1", "2024-01-01T00:00:00Z", "Go|evil|1.0.0"));
    Files.createSymbolicLink(src.resolve("go/link.json"), outside);

    try (VulnDb db = open(tmp.resolve("db"), T1)) {
      ImportResult r = db.importFrom(src);
      assertEquals(Map.of("Go", 1, "Maven", 1, "npm", 1), r.records());
      assertEquals(List.of("GO-2024-0001"), ids(db.lookup("Go", "golang.org/x/net")));
      assertEquals(List.of("GO-2024-0001"), ids(db.lookup("Go", "golang.org/x/net/http2")));
      assertEquals(
          List.of("GHSA-aaaa-bbbb-cccc"),
          ids(db.lookup("Maven", "org.apache.logging.log4j:log4j-core")));
      assertEquals(List.of("GHSA-aaaa-bbbb-cccc"), ids(db.lookup("npm", "log4js")));
      assertEquals(List.of(), db.lookup("Go", "evil"), "symbolic links are not followed");
      assertEquals(2, db.status().ecosystem("Go").orElseThrow().packages());
      assertEquals(1, db.status().ecosystem("Go").orElseThrow().records());
      assertEquals("osv", db.status().ecosystem("Go").orElseThrow().source());
    }
  }

  @Test
  void reopensAfterImportAndKeepsOtherEcosystems() throws Exception {
    Path dir = tmp.resolve("db");
    try (VulnDb db = open(dir, T1)) {
      db.importFrom(debianZip(tmp.resolve("all.zip")));
    }
    try (VulnDb db = VulnDb.open(dir)) {
      assertEquals(
          List.of("DEBIAN-CVE-2023-5678", "DSA-5532-1"), ids(db.lookup("Debian:12", "openssl")));
      assertEquals(T1, db.status().ecosystem("Debian").orElseThrow().importedAt());
    }
    Path alpine =
        zip(
            tmp.resolve("alpine.zip"),
            entries(
                "ALPINE-CVE-2024-1.json",
                record(
                    "ALPINE-CVE-2024-1", "2024-03-01T00:00:00Z", "Alpine:v3.20|openssl|3.3.2-r0")));
    try (VulnDb db = open(dir, T2)) {
      assertEquals(Map.of("Alpine", 1), db.importFrom(alpine).records());
      assertEquals(List.of("ALPINE-CVE-2024-1"), ids(db.lookup("Alpine:v3.20", "openssl")));
      assertEquals(2, ids(db.lookup("Debian:12", "openssl")).size(), "Debian carried over");
      assertEquals(T1, db.status().ecosystem("Debian").orElseThrow().importedAt());
      assertEquals(T2, db.status().ecosystem("Alpine").orElseThrow().importedAt());
      // A new Debian snapshot replaces the old Debian data, and only that.
      Path debian2 =
          zip(
              tmp.resolve("debian2.zip"),
              entries(
                  "DSA-9999-1.json",
                  record("DSA-9999-1", "2025-01-01T00:00:00Z", "Debian:12|curl|8.0.0-1")));
      db.importFrom(debian2);
      assertEquals(List.of(), db.lookup("Debian:12", "openssl"));
      assertEquals(List.of("DSA-9999-1"), ids(db.lookup("Debian:12", "curl")));
      assertEquals(List.of("ALPINE-CVE-2024-1"), ids(db.lookup("Alpine", "openssl")));
    }
    try (VulnDb db = VulnDb.open(dir)) {
      assertEquals(
          List.of("Alpine", "Debian"),
          db.status().ecosystems().stream().map(EcosystemStatus::ecosystem).toList());
    }
    assertEquals(1, generations(dir).size(), "old generations are removed");
  }

  @Test
  void latestModifiedWinsForADuplicatedId() throws Exception {
    Path src =
        zip(
            tmp.resolve("dup.zip"),
            entries(
                "a/GHSA-1.json", record("GHSA-1", "2024-05-01T00:00:00Z", "npm|left-pad|1.0.1"),
                "b/GHSA-1.json", record("GHSA-1", "2024-01-01T00:00:00Z", "npm|left-pad|1.0.0"),
                "c/GHSA-1.json", record("GHSA-1", "2023-01-01T00:00:00Z", "npm|right-pad|1.0.0"),
                "d/GHSA-2.json",
                    record("GHSA-2", "2023-01-01T00:00:00Z", "npm|x|1.0.0") + "trailing garbage"));
    try (VulnDb db = open(tmp.resolve("db"), T1)) {
      ImportResult r = db.importFrom(src);
      assertEquals(Map.of("npm", 1), r.records());
      assertEquals(1, r.invalid(), "a document with trailing garbage is not a record");
      List<OsvEntry> found = db.lookup("npm", "left-pad");
      assertEquals(1, found.size());
      assertEquals(Instant.parse("2024-05-01T00:00:00Z"), found.get(0).modified());
      assertEquals(
          List.of(), db.lookup("npm", "right-pad"), "the older copy's package is gone with it");
    }
  }

  @Test
  void binarySearchOverManyAndNonAsciiNames() throws Exception {
    Map<String, String> files = new java.util.LinkedHashMap<>();
    List<String> pkgs =
        new java.util.ArrayList<>(List.of("é-lib", "Zeta", "zeta", "a", "aa", "日本", "z.z", "a-b"));
    for (int i = 0; i < 300; i++) {
      pkgs.add("pkg" + i);
    }
    for (String p : pkgs) {
      files.put(
          "R-" + p.hashCode() + ".json",
          record("R-" + p, "2024-01-01T00:00:00Z", "PyPI|" + p + "|1.0"));
    }
    try (VulnDb db = open(tmp.resolve("db"), T1)) {
      db.importFrom(zip(tmp.resolve("many.zip"), files));
      for (String p : pkgs) {
        assertEquals(List.of("R-" + p), ids(db.lookup("PyPI", p)), p);
      }
      for (String absent : List.of("", "0", "pkg", "pkg1000", "zz", "é", "日", "\uFFFF")) {
        assertEquals(List.of(), db.lookup("PyPI", absent), absent);
      }
    }
  }

  @Test
  void aMissingDirectoryIsAnEmptyStoreAndIsNotCreated() throws Exception {
    Path dir = tmp.resolve("nothing-here");
    try (VulnDb db = VulnDb.open(dir)) {
      assertTrue(db.status().isEmpty());
      assertEquals(List.of(), db.lookup("Debian", "openssl"));
    }
    assertFalse(Files.exists(dir));
  }

  @Test
  void defaultDirectoryIsUnderTheUserCache() {
    Path d = VulnDb.defaultDirectory();
    assertTrue(d.endsWith(Path.of("caulk", "db")), d.toString());
    assertTrue(d.isAbsolute());
  }

  @Test
  void anotherInstanceFollowsAnImportMadeElsewhere() throws Exception {
    Path dir = tmp.resolve("db");
    try (VulnDb a = open(dir, T1);
        VulnDb b = open(dir, T2)) {
      a.importFrom(debianZip(tmp.resolve("all.zip")));
      assertEquals(
          List.of(), b.lookup("Debian", "openssl"), "b still sees the empty generation it opened");
      b.refresh();
      assertEquals(2, b.lookup("Debian", "openssl").size());
      b.importFrom(
          zip(
              tmp.resolve("alpine.zip"),
              entries(
                  "A.json",
                  record("ALPINE-1", "2024-03-01T00:00:00Z", "Alpine:v3.20|musl|1.2.5-r0"))));
      // a's generation was removed by b's import; a follows on its own when the files it needs are
      // gone.
      assertEquals(2, a.lookup("Debian", "openssl").size());
      assertEquals(List.of("ALPINE-1"), ids(a.lookup("Alpine", "musl")));
    }
  }

  static List<Path> generations(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("gen-")).toList();
    }
  }

  static String read(Path p) throws Exception {
    return new String(Files.readAllBytes(p), UTF_8);
  }
}
