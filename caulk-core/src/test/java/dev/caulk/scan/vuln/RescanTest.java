package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.digest.Digest;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Purl;
import dev.caulk.scan.db.VulnDb;
import dev.caulk.scan.sbom.Sbom;
import dev.caulk.scan.sbom.SbomFormat;
import dev.caulk.scan.sbom.SbomReader;
import dev.caulk.scan.sbom.SbomSubject;
import dev.caulk.scan.sbom.SbomWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous rescanning: an SBOM written today and read back later gives the same findings as the
 * image's own inventory, in either format, and a newer database finds what the old one did not.
 * CycloneDX output with a vulnerabilities section stays valid against the 1.6 schema.
 */
class RescanTest {
  static final SbomWriter WRITER =
      SbomWriter.create(
          "0.1.0", Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC));
  static final SbomSubject SUBJECT =
      new SbomSubject("registry.example/app", "1.4", Digest.sha256("manifest"), "amd64");

  static Inventory inventory() {
    Package log4j =
        Package.builder(PackageType.MAVEN, "log4j-core", "2.14.1")
            .purl(Purl.of("maven", "org.apache.logging.log4j", "log4j-core", "2.14.1"))
            .maven("org.apache.logging.log4j", "log4j-core")
            .cataloger("java-archive")
            .location("/app/app.jar:BOOT-INF/lib/log4j-core-2.14.1.jar")
            .build();
    return new Inventory(
        ScannerTest.DEBIAN_12,
        List.of(
            ScannerTest.deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
            ScannerTest.deb(
                "libldb2",
                "2:2.6.2+samba4.17.12+dfsg-0+deb12u1",
                "samba",
                "2:4.17.12+dfsg-0+deb12u1"),
            ScannerTest.go("golang.org/x/net", "v0.10.0"),
            log4j),
        List.of());
  }

  static List<String> summary(ScanResult r) {
    return r.vulnerabilities().stream()
        .map(
            v ->
                v.id()
                    + " "
                    + v.pkg().name()
                    + " "
                    + v.pkg().version()
                    + " "
                    + v.fixedVersion().orElse("-")
                    + " "
                    + v.severity())
        .toList();
  }

  @Test
  void aStoredSbomScansLikeTheImageAndPicksUpNewAdvisories(@TempDir Path dir) throws Exception {
    Path osv = dir.resolve("osv");
    Osv.record("DEBIAN-CVE-2023-5678")
        .upstream("CVE-2023-5678")
        .affected(
            "Debian:12",
            "openssl",
            List.of(),
            "medium",
            "introduced",
            "0",
            "fixed",
            "3.0.13-1~deb12u1")
        .into(osv);
    Osv.record("DEBIAN-CVE-2024-1001")
        .upstream("CVE-2024-1001")
        .affected("Debian:12", "samba", "introduced", "0", "fixed", "2:4.17.12+dfsg-0+deb12u2")
        .into(osv);
    Osv.record("GO-2024-0101")
        .aliases("CVE-2024-0101")
        .affected("Go", "golang.org/x/net", "introduced", "0", "fixed", "0.17.0")
        .into(osv);
    Inventory inv = inventory();
    byte[] cdx = WRITER.write(SbomFormat.CYCLONEDX, SUBJECT, inv);
    byte[] spdx = WRITER.write(SbomFormat.SPDX, SUBJECT, inv);
    try (VulnDb db = Osv.store(dir)) {
      List<String> direct = summary(Scanner.scan(inv, db, ScanOptions.defaults()));
      assertEquals(3, direct.size(), direct.toString());
      assertEquals(
          direct,
          summary(
              Scanner.scan(
                  SbomReader.read(cdx, "a.cdx.json").inventory(), db, ScanOptions.defaults())));
      assertEquals(
          direct,
          summary(
              Scanner.scan(
                  SbomReader.read(spdx, "a.spdx.json").inventory(), db, ScanOptions.defaults())));

      // Tomorrow's database knows Log4Shell: the stored SBOM, not the image, is enough to learn
      // about it.
      Osv.record("GHSA-jfh8-c2jp-5v3q")
          .aliases("CVE-2021-44228")
          .cvss3(ScannerTest.CRITICAL)
          .affected(
              "Maven",
              "org.apache.logging.log4j:log4j-core",
              "introduced",
              "2.0-beta9",
              "fixed",
              "2.15.0")
          .into(osv);
      db.importFrom(osv);
      List<String> later =
          summary(
              Scanner.scan(
                  SbomReader.read(cdx, "a.cdx.json").inventory(), db, ScanOptions.defaults()));
      assertEquals("CVE-2021-44228 log4j-core 2.14.1 2.15.0 CRITICAL", later.get(0));
      assertEquals(4, later.size());
    }
  }

  @Test
  void cycloneDxWithVulnerabilitiesIsValidAndLinksComponents(@TempDir Path dir) throws Exception {
    Osv.record("DEBIAN-CVE-2023-5678")
        .upstream("CVE-2023-5678")
        .summary("openssl: DH checks")
        .details("Long DH keys are slow.")
        .cvss3(ScannerTest.HIGH)
        .affected("Debian:12", "openssl", "introduced", "0", "fixed", "3.0.13-1~deb12u1")
        .into(dir.resolve("osv"));
    Osv.record("DEBIAN-CVE-2024-0002")
        .upstream("CVE-2024-0002")
        .affected("Debian:12", "openssl", List.of(), "unimportant", "introduced", "0")
        .into(dir.resolve("osv"));
    Inventory inv =
        new Inventory(
            ScannerTest.DEBIAN_12,
            List.of(
                ScannerTest.deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
                ScannerTest.deb("openssl", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2")),
            List.of());
    try (VulnDb db = Osv.store(dir)) {
      ScanResult r = Scanner.scan(inv, db, ScanOptions.defaults());
      byte[] bom = WRITER.write(SbomFormat.CYCLONEDX, SUBJECT, inv, r.vulnerabilities());
      assertEquals(
          List.of(),
          new JsonParser()
              .validate(bom, Version.VERSION_16).stream().map(Throwable::getMessage).toList());
      JsonNode root = Osv.JSON.readTree(bom);
      JsonNode vulns = root.path("vulnerabilities");
      assertEquals(2, vulns.size(), "one entry per vulnerability id");
      JsonNode dh =
          vulns.get(0).path("id").asText().equals("CVE-2023-5678") ? vulns.get(0) : vulns.get(1);
      assertEquals(2, dh.path("affects").size(), "libssl3 and openssl");
      String ref = dh.path("affects").get(0).path("ref").asText();
      boolean linked = false;
      for (JsonNode c : root.path("components")) linked |= c.path("bom-ref").asText().equals(ref);
      assertTrue(linked, "affects point at component bom-refs");
      assertEquals("high", dh.path("ratings").get(0).path("severity").asText());
      assertEquals("CVSSv31", dh.path("ratings").get(0).path("method").asText());
      assertEquals(
          "unaffected", dh.path("affects").get(0).path("versions").get(1).path("status").asText());
      assertEquals("DEBIAN-CVE-2023-5678", dh.path("references").get(0).path("id").asText());
      Sbom back = SbomReader.read(bom, "scan.cdx.json");
      assertEquals(
          2, back.inventory().packages().size(), "the scan output is itself a re-scannable SBOM");
    }
  }
}
