package dev.caulk.scan.osv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.report.Severity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeveritiesTest {
  private static OsvEntry entry(String topSeverity, String topDb, String affectedExtra)
      throws OsvFormatException {
    return OsvEntry.parse(
        ("{\"id\":\"S-1\",\"modified\":\"2024-01-01T00:00:00Z\""
                + (topSeverity == null ? "" : ",\"severity\":" + topSeverity)
                + (topDb == null ? "" : ",\"database_specific\":" + topDb)
                + ",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"p\"}"
                + (affectedExtra == null ? "" : "," + affectedExtra)
                + "}]}")
            .getBytes(UTF_8));
  }

  private static SeverityRating rate(OsvEntry e) {
    return Severities.rate(e, Optional.of(e.affected().get(0)));
  }

  @Test
  void cvssV3WinsAndTheHighestVectorCounts() throws Exception {
    OsvEntry e =
        entry(
            "[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\"},"
                + "{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]",
            "{\"severity\":\"LOW\"}",
            null);
    SeverityRating r = rate(e);
    assertEquals(Severity.CRITICAL, r.severity());
    assertEquals(9.8, r.score().orElseThrow(), 1e-9);
    assertEquals("CVSS_V3", r.source());
  }

  @Test
  void perPackageSeverityIsUsed() throws Exception {
    OsvEntry e =
        entry(
            null,
            null,
            "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\"}]");
    assertEquals(Severity.HIGH, rate(e).severity());
  }

  @Test
  void v4DefersToTheDatabaseWord() throws Exception {
    String v4 =
        "[{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}]";
    SeverityRating withWord = rate(entry(v4, "{\"severity\":\"MODERATE\"}", null));
    assertEquals(Severity.MEDIUM, withWord.severity());
    assertEquals("database_specific.severity", withWord.source());
    SeverityRating alone = rate(entry(v4, null, null));
    assertEquals(Severity.CRITICAL, alone.severity());
    assertEquals("CVSS_V4 (approximate)", alone.source());
  }

  @Test
  void ratesAMatchWithItsPackagesData() throws Exception {
    OsvEntry e =
        entry(
            null,
            null,
            "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}],"
                + "\"ecosystem_specific\":{\"urgency\":\"high\"}");
    MatchResult.Affected m =
        (MatchResult.Affected) OsvMatcher.affects(e, "Debian:12", "p", "1.0-1");
    assertEquals(
        new SeverityRating(
            Severity.HIGH, java.util.OptionalDouble.empty(), "Debian urgency", "high"),
        Severities.rate(m));
  }

  @Test
  void distributionWords() throws Exception {
    assertEquals(
        Severity.LOW,
        rate(entry(null, null, "\"ecosystem_specific\":{\"urgency\":\"unimportant\"}")).severity());
    assertEquals(
        Severity.MEDIUM,
        rate(entry(null, null, "\"ecosystem_specific\":{\"urgency\":\"medium**\"}")).severity());
    assertEquals(
        SeverityRating.NONE,
        rate(entry(null, null, "\"ecosystem_specific\":{\"urgency\":\"not yet assigned\"}")));
    SeverityRating ubuntu =
        rate(entry("[{\"type\":\"Ubuntu\",\"score\":\"negligible\"}]", null, null));
    assertEquals(Severity.LOW, ubuntu.severity());
    assertEquals("Ubuntu", ubuntu.source());
  }

  @Test
  void v2IsTheLastResortAndGarbageIsUnknown() throws Exception {
    assertEquals(
        Severity.HIGH,
        rate(entry("[{\"type\":\"CVSS_V2\",\"score\":\"AV:N/AC:L/Au:N/C:P/I:P/A:P\"}]", null, null))
            .severity());
    SeverityRating none =
        rate(
            entry("[{\"type\":\"CVSS_V3\",\"score\":\"not a vector\"}]", "{\"severity\":7}", null));
    assertEquals(Severity.UNKNOWN, none.severity());
    assertTrue(Severities.ratings(entry(null, null, null), Optional.empty()).isEmpty());
  }
}
