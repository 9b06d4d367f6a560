package dev.caulk.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class SarifWriterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode sarif(Report r) throws IOException {
    return MAPPER.readTree(Fixtures.render(ReportWriters.sarif("1.2.3"), r));
  }

  @Test
  void validShapeWithOneRunAndDriver() throws IOException {
    JsonNode log = sarif(Fixtures.report());
    SarifShape.check(log);
    assertEquals(1, log.get("runs").size());
    JsonNode run = log.get("runs").get(0);
    assertEquals("caulk", run.at("/tool/driver/name").asText());
    assertEquals("1.2.3", run.at("/tool/driver/version").asText());
    assertEquals("registry.example:5000/team/app:1.4", run.at("/properties/image").asText());
  }

  @Test
  void rulesCoverKnownRulesAndFindingsSortedById() throws IOException {
    JsonNode rules = sarif(Fixtures.report()).at("/runs/0/tool/driver/rules");
    assertEquals(
        List.of(
            "CIS-DI-0001",
            "CIS-DI-0006",
            "CIS-DI-0008",
            "DKL-DI-0001",
            "DKL-LI-0003",
            "aws-access-key-id"),
        rules.findValuesAsText("id"));
    JsonNode user = rules.get(0);
    assertEquals("Create a user for the container", user.at("/shortDescription/text").asText());
    assertEquals("Add USER", user.at("/help/text").asText());
    assertEquals("https://example.invalid/rules/CIS-DI-0001", user.get("helpUri").asText());
    assertEquals("error", user.at("/defaultConfiguration/level").asText());
    assertEquals("8.0", user.at("/properties/security-severity").asText());
    assertEquals(List.of("security", "HIGH", "cis", "CIS-4.1"), texts(user.at("/properties/tags")));

    JsonNode aws = rules.get(5);
    assertEquals("AWS access key ID", aws.at("/shortDescription/text").asText());
    assertEquals("Remove the key from the image and rotate it", aws.at("/help/text").asText());
    assertEquals("9.5", aws.at("/properties/security-severity").asText());
    JsonNode health = rules.get(1);
    assertEquals("note", health.at("/defaultConfiguration/level").asText());
    assertTrue(health.at("/properties/security-severity").isMissingNode(), "no score for INFO");
  }

  @Test
  void oneResultPerFindingWithLocationsAndFingerprints() throws IOException {
    JsonNode results = sarif(Fixtures.report()).at("/runs/0/results");
    assertEquals(4, results.size());
    JsonNode key = results.get(0);
    assertEquals("aws-access-key-id", key.get("ruleId").asText());
    assertEquals(5, key.get("ruleIndex").asInt());
    assertEquals("error", key.get("level").asText());
    assertEquals("AWS access key ID\nline 3: AKIA****", key.at("/message/text").asText());
    assertEquals(
        "app/config/prod%20env.yml",
        key.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
    assertEquals(1, key.at("/locations/0/physicalLocation/region/startLine").asInt());
    assertEquals(
        Fixtures.KEY.fingerprint(), key.at("/partialFingerprints/caulkFindingHash~1v1").asText());
    assertEquals(
        Fixtures.KEY.fingerprint().substring(0, 32) + ":1",
        key.at("/partialFingerprints/primaryLocationLineHash").asText());
    assertEquals(Fixtures.DIGEST, key.at("/properties/layer").asText());
    assertEquals("CRITICAL", key.at("/properties/severity").asText());

    JsonNode root = results.get(1);
    assertEquals("CIS-DI-0001", root.get("ruleId").asText());
    assertEquals(
        "registry.example%3A5000/team/app%3A1.4",
        root.at("/locations/0/physicalLocation/artifactLocation/uri").asText(),
        "image name when there is no path");
    assertEquals("note", results.get(2).get("level").asText());
    assertEquals("note", results.get(3).get("level").asText());
  }

  @Test
  void levelsFollowSeverity() throws IOException {
    Map<Severity, String> expected =
        Map.of(
            Severity.CRITICAL,
            "error",
            Severity.HIGH,
            "error",
            Severity.MEDIUM,
            "warning",
            Severity.LOW,
            "note",
            Severity.INFO,
            "note",
            Severity.UNKNOWN,
            "note");
    for (Map.Entry<Severity, String> e : expected.entrySet()) {
      JsonNode log = sarif(Report.of(Map.of(), List.of(Finding.of("r", e.getKey(), "t"))));
      SarifShape.check(log);
      assertEquals(e.getValue(), log.at("/runs/0/results/0/level").asText(), e.getKey().name());
      assertEquals(
          "image",
          log.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText());
    }
  }

  @Test
  void fingerprintsStableAcrossRebuilds() throws IOException {
    Finding rebuilt =
        Fixtures.KEY.withLayer("sha256:" + "cd".repeat(32)).withDetail("line 9: AKIA****");
    JsonNode a = sarif(Report.of(Map.of(), List.of(Fixtures.KEY)));
    JsonNode b = sarif(Report.of(Map.of(), List.of(rebuilt)));
    assertEquals(
        a.at("/runs/0/results/0/partialFingerprints"),
        b.at("/runs/0/results/0/partialFingerprints"));
  }

  @Test
  void emptyReportStillHasResultsArray() throws IOException {
    JsonNode log = sarif(Report.of(Map.of(), List.of()));
    SarifShape.check(log);
    assertTrue(log.at("/runs/0/results").isArray());
    assertEquals(0, log.at("/runs/0/results").size());
    assertFalse(log.at("/runs/0").has("properties"));
  }

  @Test
  void nonAsciiAndOddPathsStayValidUris() throws IOException {
    Map<String, String> subject = new HashMap<>();
    subject.put(Report.IMAGE, "app@sha256:" + "a".repeat(64));
    JsonNode log =
        sarif(
            Report.of(
                subject,
                List.of(
                    Finding.of("r", Severity.LOW, "t").withPath("/données/a b#c?d%e[f]"),
                    Finding.of("r", Severity.LOW, "t").withPath("/"))));
    SarifShape.check(log);
    assertEquals(
        "donn%C3%A9es/a%20b%23c%3Fd%25e%5Bf%5D",
        log.at("/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri").asText());
    assertEquals(
        "app@sha256%3A" + "a".repeat(64),
        log.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText());
  }

  @Test
  void shapeCheckerCatchesUnknownProperties() {
    String bad =
        "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
            + "\"results\":[{\"message\":{\"text\":\"m\"},\"level\":\"error\",\"ruleIndex\":0,\"severity\":1}]}],"
            + "\"$schema\":\"https://x.invalid/s\"}";
    assertThrows(AssertionFailedError.class, () -> SarifShape.check(MAPPER.readTree(bad)));
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }
}
