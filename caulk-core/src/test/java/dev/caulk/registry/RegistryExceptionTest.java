package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryExceptionTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneLineFromTheFirstError() {
    RegistryException e =
        RegistryException.ofResponse(
            "GET",
            "http://127.0.0.1:5000/v2/app/manifests/v1",
            404,
            b(
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"v1\"}}]}"),
            "127.0.0.1:5000/app:v1",
            null);
    assertEquals("MANIFEST_UNKNOWN: manifest unknown (127.0.0.1:5000/app:v1)", e.getMessage());
    assertEquals(404, e.status());
    assertEquals("GET", e.method());
    assertEquals(
        List.of(new RegistryError("MANIFEST_UNKNOWN", "manifest unknown", "{\"Tag\":\"v1\"}")),
        e.errors());
    assertTrue(e.hasCode("MANIFEST_UNKNOWN"));
    assertFalse(e.isTemporary());
  }

  @Test
  void shortTextDetailAndFurtherErrorsAreMentioned() {
    RegistryException e =
        RegistryException.ofResponse(
            "PUT",
            "u",
            400,
            b(
                "{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\",\"detail\":\"sha256:abc\"},"
                    + "{\"code\":\"MANIFEST_INVALID\",\"message\":\"x\"}]}"),
            "r/app:v1",
            null);
    assertEquals(
        "MANIFEST_BLOB_UNKNOWN: blob unknown to registry: sha256:abc (and 1 more) (r/app:v1)",
        e.getMessage());
  }

  @Test
  void statusLineWhenTheBodyIsNotAnErrorDocument() {
    RegistryException e =
        RegistryException.ofResponse(
            "PATCH",
            "u",
            503,
            b("<html>busy\n</html>"),
            "blob sha256:ab in r/app",
            Duration.ofSeconds(2));
    assertEquals("HTTP 503 Service Unavailable (blob sha256:ab in r/app)", e.getMessage());
    assertTrue(e.isTemporary());
    assertEquals(Duration.ofSeconds(2), e.retryAfter());
    assertTrue(RegistryException.ofResponse("GET", "u", 429, new byte[0], "c", null).isTemporary());
    assertTrue(
        RegistryException.ofResponse(
                "GET", "u", 400, b("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\"}]}"), "c", null)
            .isTemporary());
    assertFalse(
        RegistryException.ofResponse("GET", "u", 501, new byte[0], "c", null).isTemporary());
  }

  @Test
  void fourHundredsOtherThan408And429ArePermanentWhateverTheBodySays() {
    assertFalse(
        RegistryException.ofResponse(
                "GET", "u", 431, b("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\"}]}"), "c", null)
            .isTemporary());
    assertFalse(
        RegistryException.ofResponse(
                "GET", "u", 400, b("{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}"), "c", null)
            .isTemporary());
    assertFalse(
        RegistryException.ofResponse(
                "GET", "u", 404, b("{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}"), "c", null)
            .isTemporary());
    assertTrue(RegistryException.ofResponse("GET", "u", 408, new byte[0], "c", null).isTemporary());
    assertEquals(
        "HTTP 431 Request Header Fields Too Large (c)",
        RegistryException.ofResponse("GET", "u", 431, new byte[0], "c", null).getMessage());
  }

  @Test
  void unauthorizedWithoutBodyStillReadsWell() {
    RegistryException e =
        RegistryException.ofResponse("GET", "u", 401, new byte[0], "registry 127.0.0.1:5000", null);
    assertEquals("UNAUTHORIZED: authentication required (registry 127.0.0.1:5000)", e.getMessage());
  }

  @Test
  void hostileBodiesAreCleanedAndClipped() {
    String longMsg = "x".repeat(5000);
    RegistryException e =
        RegistryException.ofResponse(
            "GET",
            "u",
            400,
            b(
                "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"line1\\nline2\\u001b[31m"
                    + longMsg
                    + "\"}]}"),
            "c",
            null);
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(e.getMessage().contains("\u001b"));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    assertTrue(RegistryException.parseErrors(b("{\"errors\":\"nope\"}")).isEmpty());
    assertTrue(RegistryException.parseErrors(b("[1,2")).isEmpty());
    assertTrue(RegistryException.parseErrors(null).isEmpty());
  }

  @Test
  void redactKeepsOnlyKnownQueryValues() {
    URI u =
        URI.create(
            "https://user:pw@s3.example:443/bucket/blob?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA&digest=sha256%3Aab&_state=xyz&flag");
    String r = Redact.url(u);
    assertEquals(
        "https://s3.example:443/bucket/blob?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&digest=sha256%3Aab&_state=REDACTED&flag",
        r);
    assertEquals("http://127.0.0.1:5000/v2/", Redact.url(URI.create("http://127.0.0.1:5000/v2/")));
    assertEquals(
        "http://[::1]:5000/v2/?token=REDACTED",
        Redact.url(URI.create("http://[::1]:5000/v2/?token=secret")));
  }

  @Test
  void retryAfterSecondsDatesAndGarbage() {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    assertEquals(Duration.ofSeconds(7), Backoff.parseRetryAfter(" 7 ", now));
    assertEquals(
        Duration.ofSeconds(90), Backoff.parseRetryAfter("Wed, 01 Jan 2025 00:01:30 GMT", now));
    assertEquals(Duration.ZERO, Backoff.parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now));
    assertNull(Backoff.parseRetryAfter("soon", now));
    assertNull(Backoff.parseRetryAfter("-3", now));
    assertNull(Backoff.parseRetryAfter(null, now));
    assertEquals(
        Duration.ofSeconds(999_999_999L), Backoff.parseRetryAfter("99999999999999999999", now));
  }

  @Test
  void backoffGrowsWithJitterHonoursRetryAfterAndIsCapped() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    for (int i = 0; i < 50; i++) {
      long d0 = b.delay(0, null).toMillis();
      long d3 = b.delay(3, null).toMillis();
      assertTrue(d0 >= 50 && d0 <= 100, "attempt 0: " + d0);
      assertTrue(d3 >= 400 && d3 <= 800, "attempt 3: " + d3);
    }
    assertEquals(1500, b.delay(0, Duration.ofMillis(1500)).toMillis());
    assertEquals(2000, b.delay(0, Duration.ofHours(1)).toMillis());
    assertEquals(2000, b.delay(40, null).toMillis());
  }
}
