package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A hostile registry's 300 KB Link header once cost `caulk tags` minutes (a backtracking search per
 * '<').
 */
class LinkHeaderTest {
  @Test
  void nextLinkIsFound() {
    assertEquals(
        "/v2/r/tags/list?n=2&last=b",
        RegistryClient.nextLink("</v2/r/tags/list?n=2&last=b>; rel=\"next\""));
    assertNull(RegistryClient.nextLink("</x>; rel=\"prev\""));
  }

  @Test
  void hugeHostileLinkHeaderIsLinear() {
    String hostile = "<".repeat(300_000);
    assertNull(
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> RegistryClient.nextLink(hostile)));
    String semis = "<a>" + ";".repeat(300_000);
    assertNull(
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> RegistryClient.nextLink(semis)));
    String many = "<a>;,".repeat(60_000) + "<b>; rel=next";
    assertEquals(
        "b",
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> RegistryClient.nextLink(many)));
  }
}
