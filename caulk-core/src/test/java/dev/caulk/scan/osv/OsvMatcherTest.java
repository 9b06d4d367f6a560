package dev.caulk.scan.osv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OsvMatcherTest {
  /** A record with one affected package and the given ranges/versions JSON. */
  static OsvEntry record(String ecosystem, String name, String rangesAndVersions)
      throws OsvFormatException {
    return OsvEntry.parse(
        ("{\"id\":\"TEST-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":"
                + "{\"ecosystem\":\""
                + ecosystem
                + "\",\"name\":\""
                + name
                + "\"},"
                + rangesAndVersions
                + "}]}")
            .getBytes(UTF_8));
  }

  static String range(String type, String events) {
    return "{\"type\":\""
        + type
        + "\""
        + (type.equals("GIT") ? ",\"repo\":\"https://example.com/r.git\"" : "")
        + ",\"events\":["
        + events
        + "]}";
  }

  static Optional<String> fixed(MatchResult r) {
    return assertInstanceOf(MatchResult.Affected.class, r).fixedVersion();
  }

  @Test
  void introducedAndFixedWithDpkgOrdering() throws Exception {
    OsvEntry e =
        record(
            "Debian:12",
            "openssl",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"3.0.13-1~deb12u1\"}")
                + "]");
    MatchResult r = OsvMatcher.affects(e, "Debian:12", "openssl", "3.0.11-1~deb12u2");
    assertEquals(Optional.of("3.0.13-1~deb12u1"), fixed(r));
    assertEquals(MatchResult.Basis.RANGE, ((MatchResult.Affected) r).basis());
    assertFalse(OsvMatcher.affects(e, "Debian:12", "openssl", "3.0.13-1~deb12u1").isAffected());
    assertFalse(OsvMatcher.affects(e, "Debian:12", "openssl", "3.0.13-1").isAffected());
    // The tilde sorts before the release: 3.0.13-1~deb12u0 is still below the fix.
    assertTrue(OsvMatcher.affects(e, "Debian:12", "openssl", "3.0.13-1~deb12u0").isAffected());
  }

  @Test
  void introducedIsInclusiveAndTildeVersionsPrecedeIt() throws Exception {
    OsvEntry e =
        record(
            "Debian",
            "pkg",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"1.0\"},{\"fixed\":\"2.0\"}")
                + "]");
    assertTrue(OsvMatcher.affects(e, "Debian:12", "pkg", "1.0").isAffected());
    assertFalse(OsvMatcher.affects(e, "Debian:12", "pkg", "1.0~rc1").isAffected());
    assertFalse(OsvMatcher.affects(e, "Debian:12", "pkg", "0.9").isAffected());
    assertFalse(
        OsvMatcher.affects(e, "Debian:12", "pkg", "1:0.5").isAffected(),
        "epoch 1 puts it above the fix");
  }

  @Test
  void lastAffectedIsInclusiveAndGivesNoFix() throws Exception {
    OsvEntry e =
        record(
            "Maven",
            "com.h2database:h2",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"last_affected\":\"2.1.214\"}")
                + "]");
    assertEquals(
        Optional.empty(), fixed(OsvMatcher.affects(e, "Maven", "com.h2database:h2", "2.1.214")));
    assertTrue(OsvMatcher.affects(e, "Maven", "com.h2database:h2", "2.1.210").isAffected());
    MatchResult above = OsvMatcher.affects(e, "Maven", "com.h2database:h2", "2.2.220");
    assertEquals(new MatchResult.NotAffected(e, "outside every range"), above);
  }

  @Test
  void limitsBoundTheRange() throws Exception {
    OsvEntry one =
        record(
            "Alpine:v3.20",
            "musl",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"1.2.0-r0\"},{\"limit\":\"1.2.4-r0\"}")
                + "]");
    assertTrue(OsvMatcher.affects(one, "Alpine:v3.20", "musl", "1.2.3-r5").isAffected());
    assertFalse(
        OsvMatcher.affects(one, "Alpine:v3.20", "musl", "1.2.4-r0").isAffected(),
        "limit is exclusive");
    assertFalse(OsvMatcher.affects(one, "Alpine:v3.20", "musl", "1.2.5-r0").isAffected());
    assertEquals(
        Optional.empty(), fixed(OsvMatcher.affects(one, "Alpine:v3.20", "musl", "1.2.3-r5")));

    OsvEntry two =
        record(
            "Alpine",
            "musl",
            "\"ranges\":["
                + range(
                    "ECOSYSTEM", "{\"introduced\":\"1.0\"},{\"limit\":\"2.0\"},{\"limit\":\"3.0\"}")
                + "]");
    assertTrue(
        OsvMatcher.affects(two, "Alpine:v3.20", "musl", "2.5").isAffected(),
        "below one of the limits");
    assertFalse(OsvMatcher.affects(two, "Alpine:v3.20", "musl", "3.0").isAffected());

    OsvEntry star =
        record(
            "Alpine",
            "musl",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"1.0\"},{\"limit\":\"*\"}")
                + "]");
    assertTrue(OsvMatcher.affects(star, "Alpine:v3.20", "musl", "99.0").isAffected());
  }

  @Test
  void multipleRangesAndRepeatedEventsAreOred() throws Exception {
    // osv-schema "Multiple range example", in one range and split over two.
    String events =
        "{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.0.2\"},{\"introduced\":\"3.0.0\"},{\"fixed\":\"3.2.5\"}";
    OsvEntry one = record("npm", "lib", "\"ranges\":[" + range("SEMVER", events) + "]");
    OsvEntry split =
        record(
            "npm",
            "lib",
            "\"ranges\":["
                + range("SEMVER", "{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.0.2\"}")
                + ","
                + range("SEMVER", "{\"introduced\":\"3.0.0\"},{\"fixed\":\"3.2.5\"}")
                + "]");
    for (OsvEntry e : List.of(one, split)) {
      assertFalse(OsvMatcher.affects(e, "npm", "lib", "0.9.0").isAffected());
      assertEquals(Optional.of("1.0.2"), fixed(OsvMatcher.affects(e, "npm", "lib", "1.0.1")));
      assertFalse(OsvMatcher.affects(e, "npm", "lib", "1.0.2").isAffected());
      assertFalse(OsvMatcher.affects(e, "npm", "lib", "2.5.0").isAffected());
      assertEquals(Optional.of("3.2.5"), fixed(OsvMatcher.affects(e, "npm", "lib", "3.0.0")));
      assertEquals(Optional.of("3.2.5"), fixed(OsvMatcher.affects(e, "npm", "lib", "3.2.5-rc.1")));
      assertFalse(OsvMatcher.affects(e, "npm", "lib", "3.2.5").isAffected());
    }
  }

  @Test
  void eventsAreReplayedInVersionOrderNotListOrder() throws Exception {
    OsvEntry e =
        record(
            "PyPI",
            "django",
            "\"ranges\":["
                + range(
                    "ECOSYSTEM",
                    "{\"fixed\":\"4.2.8\"},{\"introduced\":\"4.2\"},{\"fixed\":\"3.2.23\"},{\"introduced\":\"0\"}")
                + "]");
    assertEquals(Optional.of("3.2.23"), fixed(OsvMatcher.affects(e, "PyPI", "django", "3.2.22")));
    assertFalse(OsvMatcher.affects(e, "PyPI", "django", "4.1.0").isAffected());
    assertEquals(Optional.of("4.2.8"), fixed(OsvMatcher.affects(e, "PyPI", "django", "4.2.0")));
    assertFalse(
        OsvMatcher.affects(e, "PyPI", "django", "4.2rc1").isAffected(),
        "a 4.2 pre-release precedes 4.2");
  }

  @Test
  void eventsAtEqualVersionsKeepTheirListOrderAsAStableSortWould() throws Exception {
    OsvEntry fixedLast =
        record(
            "npm",
            "t",
            "\"ranges\":["
                + range("SEMVER", "{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.0.0\"}")
                + "]");
    assertFalse(OsvMatcher.affects(fixedLast, "npm", "t", "1.0.0").isAffected());
    OsvEntry introducedLast =
        record(
            "npm",
            "t",
            "\"ranges\":["
                + range("SEMVER", "{\"fixed\":\"1.0.0\"},{\"introduced\":\"1.0.0\"}")
                + "]");
    assertTrue(OsvMatcher.affects(introducedLast, "npm", "t", "1.0.0").isAffected());
    // Equal under the ordering but spelled differently counts as a tie too.
    OsvEntry spelled =
        record(
            "npm",
            "t",
            "\"ranges\":["
                + range("SEMVER", "{\"introduced\":\"1.0.0+a\"},{\"fixed\":\"1.0.0+b\"}")
                + "]");
    assertFalse(OsvMatcher.affects(spelled, "npm", "t", "1.0.0").isAffected());
  }

  @Test
  void explicitVersionsListMatchesOnItsOwn() throws Exception {
    OsvEntry e =
        record(
            "PyPI",
            "pikepdf",
            "\"ranges\":["
                + range("GIT", "{\"introduced\":\"0a1b2c\"},{\"fixed\":\"3d4e5f\"}")
                + "],\"versions\":[\"2.8.0\",\"2.9.2\"]");
    MatchResult r = OsvMatcher.affects(e, "PyPI", "pikepdf", "2.9.2");
    assertEquals(
        MatchResult.Basis.VERSIONS_LIST, assertInstanceOf(MatchResult.Affected.class, r).basis());
    assertEquals(Optional.empty(), fixed(r), "a commit hash is not a fixed version");
    assertTrue(OsvMatcher.affects(e, "PyPI", "pikepdf", "2.8").isAffected(), "equal under PEP 440");
    assertFalse(OsvMatcher.affects(e, "PyPI", "pikepdf", "2.9.3").isAffected());
  }

  @Test
  void withdrawnRecordsNeverMatch() throws Exception {
    OsvEntry e =
        OsvEntry.parse(
            ("{\"id\":\"GHSA-w\",\"modified\":\"2024-01-01T00:00:00Z\","
                    + "\"withdrawn\":\"2024-02-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
                    + "\"ranges\":["
                    + range("SEMVER", "{\"introduced\":\"0\"}")
                    + "]}]}")
                .getBytes(UTF_8));
    assertEquals(
        new MatchResult.NotAffected(e, "withdrawn"), OsvMatcher.affects(e, "npm", "x", "1.0.0"));
  }

  @Test
  void packageNameIsMatchedExactly() throws Exception {
    OsvEntry e =
        record(
            "Debian:12",
            "openssl",
            "\"ranges\":[" + range("ECOSYSTEM", "{\"introduced\":\"0\"}") + "]");
    assertTrue(OsvMatcher.affects(e, "Debian:12", "openssl", "3.0.11-1").isAffected());
    // Binary package names are the caller's business to map to the source name.
    assertEquals(
        new MatchResult.NotAffected(e, "package not listed"),
        OsvMatcher.affects(e, "Debian:12", "libssl3", "3.0.11-1"));
    assertFalse(OsvMatcher.affects(e, "Debian:12", "OpenSSL", "3.0.11-1").isAffected());
    assertFalse(OsvMatcher.affects(e, "Debian:12", "openssl ", "3.0.11-1").isAffected());
  }

  @Test
  void distributionReleaseMustMatch() throws Exception {
    OsvEntry e =
        OsvEntry.parse(
            ("{\"id\":\"DEBIAN-CVE-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":["
                    + "{\"package\":{\"ecosystem\":\"Debian:11\",\"name\":\"glibc\"},\"ranges\":["
                    + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"2.31-13+deb11u7\"}")
                    + "]},"
                    + "{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"glibc\"},\"ranges\":["
                    + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"2.36-9+deb12u3\"}")
                    + "],"
                    + "\"ecosystem_specific\":{\"urgency\":\"high\"}}]}")
                .getBytes(UTF_8));
    MatchResult r12 = OsvMatcher.affects(e, "Debian:12", "glibc", "2.36-9+deb12u1");
    assertEquals(Optional.of("2.36-9+deb12u3"), fixed(r12));
    assertEquals(
        "Debian:12", ((MatchResult.Affected) r12).affected().pkg().orElseThrow().ecosystem());
    assertFalse(OsvMatcher.affects(e, "Debian:12", "glibc", "2.36-9+deb12u3").isAffected());
    assertEquals(
        Optional.of("2.31-13+deb11u7"),
        fixed(OsvMatcher.affects(e, "Debian:11", "glibc", "2.31-13")));
    assertEquals(
        new MatchResult.NotAffected(e, "package not listed"),
        OsvMatcher.affects(e, "Debian:13", "glibc", "2.36-9"));
    assertFalse(OsvMatcher.affects(e, "Alpine:v3.20", "glibc", "2.36-9").isAffected());
  }

  @Test
  void alpineReleaseSpellings() throws Exception {
    OsvEntry e =
        record(
            "Alpine:v3.20",
            "openssl",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"3.3.2-r0\"}")
                + "]");
    assertTrue(OsvMatcher.affects(e, "Alpine:v3.20", "openssl", "3.3.1-r3").isAffected());
    assertTrue(OsvMatcher.affects(e, "Alpine:3.20.3", "openssl", "3.3.1-r3").isAffected());
    assertFalse(OsvMatcher.affects(e, "Alpine:v3.19", "openssl", "3.3.1-r3").isAffected());
    assertFalse(OsvMatcher.affects(e, "Alpine:v3.20", "openssl", "3.3.2-r0").isAffected());
    assertTrue(OsvMatcher.affects(e, "Alpine:v3.20", "openssl", "3.3.2_rc1-r0").isAffected());
  }

  @Test
  void goSemverRangesAcceptVPrefixedAndPseudoVersions() throws Exception {
    OsvEntry e =
        record(
            "Go",
            "golang.org/x/net",
            "\"ranges\":["
                + range("SEMVER", "{\"introduced\":\"0\"},{\"fixed\":\"0.17.0\"}")
                + "]");
    assertEquals(
        Optional.of("0.17.0"), fixed(OsvMatcher.affects(e, "Go", "golang.org/x/net", "v0.16.0")));
    assertTrue(
        OsvMatcher.affects(e, "Go", "golang.org/x/net", "v0.0.0-20191109021931-daa7c04131f5")
            .isAffected(),
        "introduced 0 is below every version, even v0.0.0 pseudo-versions");
    assertTrue(
        OsvMatcher.affects(e, "Go", "golang.org/x/net", "v0.17.0-0.20231001000000-abcdefabcdef")
            .isAffected());
    assertFalse(OsvMatcher.affects(e, "Go", "golang.org/x/net", "v0.17.0").isAffected());
    assertFalse(
        OsvMatcher.affects(e, "Go", "golang.org/x/net", "v0.17.1+incompatible").isAffected());
  }

  @Test
  void unfixedDebianRecordHasNoFixedVersion() throws Exception {
    OsvEntry e =
        record(
            "Debian:12",
            "tiff",
            "\"ranges\":[" + range("ECOSYSTEM", "{\"introduced\":\"0\"}") + "]");
    assertEquals(
        Optional.empty(), fixed(OsvMatcher.affects(e, "Debian:12", "tiff", "4.5.0-6+deb12u1")));
  }

  @Test
  void undecidableCasesAreReportedNotGuessed() throws Exception {
    OsvEntry apk =
        record(
            "Alpine:v3.20",
            "busybox",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"1.36.1-r1\"}")
                + "]");
    MatchResult bad = OsvMatcher.affects(apk, "Alpine:v3.20", "busybox", "1.36.1-r1-foo");
    assertInstanceOf(MatchResult.Undetermined.class, bad);
    assertTrue(
        ((MatchResult.Undetermined) bad).reason().contains("not a valid apk version"),
        bad.toString());

    OsvEntry rpm =
        record(
            "Red Hat:rhel:9",
            "openssl",
            "\"ranges\":["
                + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"1:3.0.7-27.el9\"}")
                + "],\"versions\":[\"1:3.0.7-24.el9\"]");
    assertInstanceOf(
        MatchResult.Undetermined.class,
        OsvMatcher.affects(rpm, "Red Hat:rhel:9", "openssl", "1:3.0.7-25.el9"));
    // The explicit list still works without an ordering.
    assertTrue(OsvMatcher.affects(rpm, "Red Hat:rhel:9", "openssl", "1:3.0.7-24.el9").isAffected());
  }

  @Test
  void evaluateKeepsOrder() throws Exception {
    OsvEntry a =
        record("npm", "x", "\"ranges\":[" + range("SEMVER", "{\"introduced\":\"0\"}") + "]");
    OsvEntry b =
        record("npm", "y", "\"ranges\":[" + range("SEMVER", "{\"introduced\":\"0\"}") + "]");
    List<MatchResult> r = OsvMatcher.evaluate(List.of(a, b), "npm", "x", "1.0.0");
    assertTrue(r.get(0).isAffected());
    assertFalse(r.get(1).isAffected());
  }
}
