package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.scan.vex.Vex;
import dev.caulk.scan.vex.VexFormatException;
import dev.caulk.scan.vex.VexStatement;
import dev.caulk.scan.vex.VexStatement.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenVEX 0.2.0 and CycloneDX 1.5/1.6 VEX read, applied to a real scan result, and written back.
 */
class VexApplyTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  static byte[] bytes(String s) {
    return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  static final String OPENVEX =
      """
      {'@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/1', 'author': 'Ops',
       'timestamp': '2026-01-01T00:00:00Z', 'version': 1,
       'statements': [
        {'vulnerability': {'name': 'CVE-2023-5678', 'aliases': ['DEBIAN-CVE-2023-5678']},
         'products': [{'@id': 'registry.example/app@%s',
                       'subcomponents': [{'@id': 'pkg:deb/debian/libssl3'}]}],
         'status': 'not_affected', 'justification': 'vulnerable_code_not_in_execute_path'},
        {'vulnerability': {'name': 'CVE-2024-0002'},
         'products': [{'@id': 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64'}],
         'status': 'under_investigation'}
       ]}
      """
          .formatted(DIGEST);

  static final String CYCLONEDX =
      """
      {'bomFormat': 'CycloneDX', 'specVersion': '1.6', 'version': 1,
       'components': [{'type': 'library', 'bom-ref': 'ssl', 'name': 'openssl',
                       'purl': 'pkg:deb/debian/openssl@3.0.11-1~deb12u2'}],
       'vulnerabilities': [
        {'id': 'CVE-2023-5678', 'source': {'name': 'NVD'},
         'analysis': {'state': 'resolved', 'detail': 'backported'}, 'affects': [{'ref': 'ssl'}]},
        {'id': 'DEBIAN-CVE-2024-0002', 'references': [{'id': 'CVE-2024-0002', 'source': {'name': 'NVD'}}],
         'analysis': {'state': 'in_triage'}, 'affects': [{'ref': 'ssl'}]},
        {'id': 'CVE-2020-1', 'analysis': {'state': 'false_positive', 'justification': 'code_not_reachable'},
         'affects': [{'ref': 'urn:cdx:1/1#other'}]}
       ]}
      """;

  @Test
  void openVexDropsNotAffectedForTheImageSubcomponentAndMarksUnderInvestigation(@TempDir Path dir)
      throws Exception {
    List<VexStatement> statements = Vex.read(bytes(OPENVEX), "vex.json");
    assertEquals(2, statements.size());
    assertEquals(Status.NOT_AFFECTED, statements.get(0).status());
    assertEquals("vulnerable_code_not_in_execute_path", statements.get(0).justification());
    assertEquals(List.of("pkg:deb/debian/libssl3"), statements.get(0).subcomponents());
    ScanResult scan = VulnerabilityReportTest.result(dir);
    assertEquals(4, scan.vulnerabilities().size());
    Vex.Applied applied = Vex.apply(scan, statements, DIGEST);
    assertEquals(1, applied.suppressed().size(), "only libssl3's CVE-2023-5678, not openssl's");
    Vulnerability dropped = applied.suppressed().keySet().iterator().next();
    assertEquals("libssl3", dropped.pkg().name());
    assertEquals(3, applied.result().vulnerabilities().size());
    assertEquals(1, applied.underInvestigation().size());
    assertEquals("openssl", applied.underInvestigation().get(0).pkg().name());
    Vex.Applied otherImage = Vex.apply(scan, statements, "sha256:" + "cd".repeat(32));
    assertTrue(otherImage.suppressed().isEmpty(), "a statement about another image does not apply");
  }

  @Test
  void cycloneDxStatesMapAndRefsResolveToPurls(@TempDir Path dir) throws Exception {
    List<VexStatement> statements = Vex.read(bytes(CYCLONEDX), "bom.json");
    assertEquals(3, statements.size());
    assertEquals(Status.FIXED, statements.get(0).status());
    assertEquals(List.of("pkg:deb/debian/openssl@3.0.11-1~deb12u2"), statements.get(0).products());
    assertEquals(Status.UNDER_INVESTIGATION, statements.get(1).status());
    assertEquals(Status.NOT_AFFECTED, statements.get(2).status());
    Vex.Applied applied = Vex.apply(VulnerabilityReportTest.result(dir), statements, "");
    assertEquals(1, applied.suppressed().size());
    assertEquals("openssl", applied.suppressed().keySet().iterator().next().pkg().name());
    assertEquals(1, applied.underInvestigation().size(), "matched through the reference alias");
  }

  @Test
  void writtenOpenVexReadsBackAndSuppressesOnceEdited(@TempDir Path dir) throws Exception {
    ScanResult scan = VulnerabilityReportTest.result(dir);
    String product = "registry.example/app@" + DIGEST;
    byte[] doc = Vex.writeOpenVex(scan, product, "caulk", Instant.parse("2026-01-01T00:00:00Z"));
    JsonNode root = new ObjectMapper().readTree(doc);
    assertEquals(Vex.OPENVEX_CONTEXT, root.path("@context").asText());
    assertEquals(2, root.path("statements").size());
    List<VexStatement> back = Vex.read(doc, "out.json");
    assertTrue(back.stream().allMatch(s -> s.status() == Status.UNDER_INVESTIGATION));
    assertEquals(4, Vex.apply(scan, back, DIGEST).underInvestigation().size());
    String edited =
        new String(doc, StandardCharsets.UTF_8).replace("under_investigation", "not_affected");
    Vex.Applied applied =
        Vex.apply(scan, Vex.read(edited.getBytes(StandardCharsets.UTF_8), "e"), DIGEST);
    assertTrue(applied.result().vulnerabilities().isEmpty());
  }

  @Test
  void badDocumentsAreOneLineErrors() {
    for (String bad :
        List.of(
            "[]",
            "{",
            "{'bomFormat': 'SPDX'}",
            "{'@context': 'https://openvex.dev/ns/v0.2.0'}",
            "{'@context': 'https://openvex.dev/ns/v0.2.0', 'statements': [{'vulnerability': {'name': 'X'},"
                + " 'products': ['pkg:a/b'], 'status': 'bogus\\n'}]}",
            "{'bomFormat': 'CycloneDX', 'vulnerabilities': [{'id': 'X', 'analysis': {'state': 'nope'},"
                + " 'affects': [{'ref': 'a'}]}]}")) {
      VexFormatException e =
          assertThrows(VexFormatException.class, () -> Vex.read(bytes(bad), "f.json"), bad);
      assertTrue(e.getMessage().startsWith("f.json: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    assertThrows(VexFormatException.class, () -> Vex.read(new byte[Vex.MAX_BYTES + 1], "big"));
  }
}
