package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void subjectIsSortedAndImmutable() {
    Map<String, String> subject = new HashMap<>();
    subject.put("platform", "linux/amd64");
    subject.put("image", "app:1");
    subject.put("digest", "sha256:" + "a".repeat(64));
    Report r = Report.of(subject, List.of());
    assertEquals(List.of("digest", "image", "platform"), List.copyOf(r.subject().keySet()));
    assertEquals("app:1", r.imageName());
    assertThrows(UnsupportedOperationException.class, () -> r.subject().put("x", "y"));
  }

  @Test
  void inventoryIsCopiedAndCountsCoverEverySeverity() {
    ObjectNode inv = new ObjectMapper().createObjectNode().put("packages", 3);
    Report r =
        Report.of(
                Map.of(),
                List.of(
                    Finding.of("a", Severity.HIGH, "t"),
                    Finding.of("b", Severity.HIGH, "t"),
                    Finding.of("c", Severity.LOW, "t")))
            .withInventory(inv);
    inv.put("packages", 99);
    assertEquals(3, r.inventory().get("packages").asInt());
    assertEquals(2, r.counts().get(Severity.HIGH));
    assertEquals(0, r.counts().get(Severity.CRITICAL));
    assertEquals(6, r.counts().size());
    assertNull(Report.of(null, null).inventory());
    assertEquals(List.of("a", "b", "c"), r.sortedFindings().stream().map(Finding::id).toList());
  }
}
