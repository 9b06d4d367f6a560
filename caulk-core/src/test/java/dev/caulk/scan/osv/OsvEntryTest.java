package dev.caulk.scan.osv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsvEntryTest {
  /** The GitHub example record of osv-schema docs/schema.md, plus fields caulk does not know. */
  static final String GHSA =
      """
      {
        "schema_version": "1.2.0",
        "id": "GHSA-r9p9-mrjm-926w",
        "modified": "2021-03-08T16:02:43Z",
        "published": "2021-03-08T16:06:50Z",
        "aliases": ["CVE-2020-28498"],
        "summary": "Use of a Broken or Risky Cryptographic Algorithm",
        "details": "The npm package `elliptic` before version 6.5.4 …",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N"}],
        "affected": [{
          "package": {"ecosystem": "npm", "name": "elliptic", "purl": "pkg:npm/elliptic"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "6.5.4"}]}],
          "x_future_field": {"anything": [1, 2, 3]}
        }],
        "references": [{"type": "ADVISORY", "url": "https://nvd.nist.gov/vuln/detail/CVE-2020-28498"}],
        "credits": [{"name": "someone", "contact": ["mailto:someone@example.com"]}],
        "database_specific": {"cwe_ids": ["CWE-327"], "severity": "MODERATE", "github_reviewed": true}
      }
      """;

  @Test
  void parsesTheSchemaExampleAndIgnoresUnknownFields() throws Exception {
    OsvEntry e = OsvEntry.parse(GHSA.getBytes(UTF_8));
    assertEquals("GHSA-r9p9-mrjm-926w", e.id());
    assertEquals("1.2.0", e.schemaVersion());
    assertEquals(Instant.parse("2021-03-08T16:02:43Z"), e.modified());
    assertEquals(Optional.of(Instant.parse("2021-03-08T16:06:50Z")), e.published());
    assertFalse(e.isWithdrawn());
    assertEquals(List.of("CVE-2020-28498"), e.aliases());
    assertEquals(
        List.of(new OsvSeverity("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N")),
        e.severity());
    OsvAffected a = e.affected().get(0);
    assertEquals(
        new OsvPackage("npm", "elliptic", Optional.of("pkg:npm/elliptic")), a.pkg().orElseThrow());
    OsvRange r = a.ranges().get(0);
    assertEquals(OsvRange.Type.ECOSYSTEM, r.type());
    assertEquals(
        List.of(
            new OsvEvent(OsvEvent.Kind.INTRODUCED, "0"),
            new OsvEvent(OsvEvent.Kind.FIXED, "6.5.4")),
        r.events());
    assertTrue(r.events().get(0).isIntroducedZero());
    assertEquals("MODERATE", e.databaseSpecific().get("severity").asText());
    assertTrue(a.ecosystemSpecific().isMissingNode());
    assertEquals(
        List.of(new OsvReference("ADVISORY", "https://nvd.nist.gov/vuln/detail/CVE-2020-28498")),
        e.references());
  }

  @Test
  void minimalRecordGetsDefaults() throws Exception {
    OsvEntry e =
        OsvEntry.parse(
            """
        {"id": "X-1", "modified": "2024-01-02T03:04:05.123456Z", "aliases": null, "summary": null}
        """
                .getBytes(UTF_8));
    assertEquals("1.0.0", e.schemaVersion());
    assertEquals(List.of(), e.aliases());
    assertEquals("", e.summary());
    assertEquals(List.of(), e.affected());
    assertEquals(Instant.parse("2024-01-02T03:04:05.123456Z"), e.modified());
  }

  @Test
  void withdrawnAndOffsetTimes() throws Exception {
    OsvEntry e =
        OsvEntry.parse(
            """
        {"id": "X-2", "modified": "2024-01-02t03:04:05+02:00", "withdrawn": "2024-02-01T00:00:00Z"}
        """
                .getBytes(UTF_8));
    assertTrue(e.isWithdrawn());
    assertEquals(Instant.parse("2024-01-02T01:04:05Z"), e.modified());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "not json                  | {\"id\": | invalid JSON",
        "trailing garbage          | {\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\"} x | invalid JSON",
        "array root                | [] | not a JSON object",
        "missing id                | {\"modified\":\"2024-01-01T00:00:00Z\"} | missing 'id'",
        "missing modified          | {\"id\":\"A-1\"} | OSV record A-1: missing 'modified'",
        "bad time                  | {\"id\":\"A-1\",\"modified\":\"yesterday\"} | modified: not an RFC 3339 time",
        "affected not array        | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":{}}"
            + " | affected: not a JSON array",
        "package without name      | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":"
            + "{\"ecosystem\":\"Go\"}}]} | affected[0].package: missing 'name'",
        "range without type        | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
            + "[{\"events\":[{\"introduced\":\"0\"}]}]}]} | affected[0].ranges[0]: missing 'type'",
        "unknown range type        | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
            + "[{\"type\":\"RPM\",\"events\":[{\"introduced\":\"0\"}]}]}]} | unknown range type 'RPM'",
        "git without repo          | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
            + "[{\"type\":\"GIT\",\"events\":[{\"introduced\":\"0\"}]}]}]} | GIT range without 'repo'",
        "two keys in one event     | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
            + "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\",\"fixed\":\"1.0.2\"}]}]}]}"
            + " | events[0]: more than one of",
        "empty event               | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
            + "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{}]}]}]} | events[1]: none of",
        "no introduced             | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
            + "[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"1.0.0\"}]}]}]} | no 'introduced' event",
        "numeric version           | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
            + "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":1}]}]}]} | introduced: not a non-empty string",
        "non-string alias          | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[1]}"
            + " | aliases: contains a non-string element",
        "severity without score    | {\"id\":\"A-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"severity\":"
            + "[{\"type\":\"CVSS_V3\"}]} | severity[0]: missing 'score'",
      })
  void rejectsUnusableRecordsWithAOneLineMessage(String name, String json, String expected) {
    OsvFormatException e =
        assertThrows(OsvFormatException.class, () -> OsvEntry.parse(json.getBytes(UTF_8)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void hostileIdIsNotEchoedRaw() {
    String json =
        "{\"id\":\"A\\u0007\\u001b[31m"
            + "x".repeat(600)
            + "\",\"modified\":\"2024-01-01T00:00:00Z\"}";
    OsvFormatException e =
        assertThrows(OsvFormatException.class, () -> OsvEntry.parse(json.getBytes(UTF_8)));
    assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl), e.getMessage());
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }
}
