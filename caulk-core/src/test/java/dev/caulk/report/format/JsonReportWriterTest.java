package dev.caulk.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.report.Report;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportWriterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void documentShapeAndFieldOrder() throws IOException {
    String text = Fixtures.render(ReportWriters.json(), Fixtures.report());
    JsonNode root = MAPPER.readTree(text);
    assertEquals(
        List.of("schema", "image", "summary", "inventory", "findings", "rules"), names(root));
    assertEquals("caulk.report/v1", root.get("schema").asText());
    assertEquals(List.of("name", "digest"), names(root.get("image")));
    assertEquals(Fixtures.report().imageName(), root.get("image").get("name").asText());
    assertEquals(4, root.get("summary").get("total").asInt());
    assertEquals(1, root.get("summary").get("critical").asInt());
    assertEquals(0, root.get("summary").get("medium").asInt());
    assertEquals(2, root.get("inventory").get("packages").asInt());

    JsonNode findings = root.get("findings");
    assertEquals(4, findings.size());
    for (JsonNode f : findings) {
      assertEquals(
          List.of(
              "id",
              "severity",
              "title",
              "path",
              "layer",
              "detail",
              "remediation",
              "references",
              "fingerprint"),
          names(f));
    }
    JsonNode key = findings.get(0);
    assertEquals("aws-access-key-id", key.get("id").asText());
    assertEquals("CRITICAL", key.get("severity").asText());
    assertEquals("/app/config/prod env.yml", key.get("path").asText());
    assertEquals(Fixtures.DIGEST, key.get("layer").asText());
    assertEquals(Fixtures.KEY.fingerprint(), key.get("fingerprint").asText());
    JsonNode root1 = findings.get(1);
    assertEquals("CIS-DI-0001", root1.get("id").asText());
    assertTrue(root1.get("path").isNull());
    assertTrue(root1.get("layer").isNull());
    assertEquals("CIS-4.1", root1.get("references").get(0).asText());
    assertEquals("0", findings.get(2).get("layer").asText());
    // hostile text survives the round trip exactly
    assertEquals(Fixtures.HOSTILE.path(), findings.get(3).get("path").asText());

    assertEquals(
        List.of("CIS-DI-0001", "CIS-DI-0006", "DKL-DI-0001"),
        root.get("rules").findValuesAsText("id"));
  }

  @Test
  void stableBytesWithLfAndTrailingNewline() throws IOException {
    String a = Fixtures.render(ReportWriters.json(), Fixtures.report());
    Report shuffled =
        Fixtures.report()
            .withFindings(List.of(Fixtures.KEY, Fixtures.ROOT, Fixtures.HOSTILE, Fixtures.SUID));
    assertEquals(a, Fixtures.render(ReportWriters.json(), shuffled));
    assertFalse(a.contains("\r"));
    assertTrue(a.endsWith("}\n"));
  }

  @Test
  void minimalReportOmitsOptionalSections() throws IOException {
    JsonNode root =
        MAPPER.readTree(Fixtures.render(ReportWriters.json(), Report.of(Map.of(), List.of())));
    assertEquals(List.of("schema", "image", "summary", "findings"), names(root));
    assertEquals(0, root.get("findings").size());
  }

  static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
