package dev.caulk.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
  static final String D = "sha256:" + "ab".repeat(32);

  @ParameterizedTest
  @CsvSource({
    "alpine, docker.io/library/alpine:latest",
    "alpine:3.20, docker.io/library/alpine:3.20",
    "docker.io/alpine, docker.io/library/alpine:latest",
    "index.docker.io/library/alpine:edge, docker.io/library/alpine:edge",
    "titpetric/service-stats, docker.io/titpetric/service-stats:latest",
    "ghcr.io/owner/repo/sub:v1.2, ghcr.io/owner/repo/sub:v1.2",
    "localhost/app, localhost/app:latest",
    "localhost:5000/app:1, localhost:5000/app:1",
    "127.0.0.1:5000/a/b-c_d.e:x, 127.0.0.1:5000/a/b-c_d.e:x",
    "docker://quay.io/x/y, quay.io/x/y:latest",
  })
  void normalises(String in, String out) {
    assertEquals(out, Reference.parse(in).toString());
  }

  @Test
  void digestReferences() {
    Reference r = Reference.parse("host:5000/app@" + D);
    assertEquals("host:5000", r.registry());
    assertNull(r.tag());
    assertEquals(D, r.identifier());
    Reference both = Reference.parse("app:v1@" + D);
    assertEquals("v1", both.tag());
    assertEquals(D, both.identifier());
    assertEquals("docker.io/library/app:v1@" + D, both.toString());
  }

  @Test
  void hubApiHostAndScope() {
    Reference r = Reference.parse("alpine");
    assertEquals("registry-1.docker.io", r.apiHost());
    assertEquals("repository:library/alpine:pull", r.scope("pull"));
    assertFalse(r.isLoopback());
    assertTrue(Reference.parse("127.0.0.1:5000/x").isLoopback());
    assertTrue(Reference.parse("localhost:5000/x").isLoopback());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "UPPER/case",
        "a//b",
        "repo:",
        "repo@sha256:1234",
        "-x/y",
        "x/y:-bad",
        "x/y:t01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890",
        "bad host/x",
        "x/y/..",
        "a/b:c:d"
      })
  void rejects(String bad) {
    assertThrows(InvalidReferenceException.class, () -> Reference.parse(bad), bad);
  }

  /**
   * Long dotted hosts, components and tags (a docker-archive tag, a command line) once overflowed
   * the stack.
   */
  @Test
  void longDottedPartsParseInLinearTime() {
    String host = "a.".repeat(50_000) + "com";
    Reference r =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10), () -> Reference.parse(host + ":5000/r:v1"));
    assertEquals(host + ":5000", r.registry());
    String component = "a.".repeat(120) + "a"; // a repository is at most 255 characters
    assertEquals(
        "docker.io/library/" + component + ":latest", Reference.parse(component).toString());
    assertEquals(
        "docker.io/library/" + "a-".repeat(100) + "a:latest",
        Reference.parse("a-".repeat(100) + "a").toString());
    assertTrue(Reference.isComponent("a.".repeat(50_000) + "a"));
    assertThrows(InvalidReferenceException.class, () -> Reference.parse(host + "-/r"));
    assertThrows(
        InvalidReferenceException.class, () -> Reference.parse("r:" + "1.".repeat(50_000)));
    assertThrows(
        InvalidReferenceException.class, () -> Reference.parse("a.".repeat(50_000) + "/r"));
    assertTrue(
        Reference.isHost("[::1]:5000")
            && Reference.isHost("my-host.example:1")
            && !Reference.isHost("-a")
            && !Reference.isHost("a..b")
            && !Reference.isHost("a:123456")
            && !Reference.isHost("[]"));
    assertTrue(
        Reference.isComponent("a__b")
            && !Reference.isComponent("a___b")
            && Reference.isComponent("a--b")
            && !Reference.isComponent("a.")
            && !Reference.isComponent("_a")
            && !Reference.isComponent(""));
    assertTrue(
        Reference.isTag("_x.-") && !Reference.isTag(".x") && !Reference.isTag("x".repeat(129)));
  }
}
