package dev.caulk.scan.osv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.report.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Derives a {@link Severity} from an OSV record, for one affected package.
 *
 * <p>Sources, best first (the first that yields a rating wins in {@link #rate}):
 *
 * <ol>
 *   <li>{@code CVSS_V3} vectors, scored by {@link Cvss} (the package's {@code affected[].severity}
 *       and the record's top-level {@code severity}; the highest score when several);
 *   <li>the database's own word: {@code database_specific.severity} (GitHub:
 *       LOW/MODERATE/HIGH/CRITICAL), then {@code ecosystem_specific.severity}, the package's before
 *       the record's;
 *   <li>{@code CVSS_V4} vectors, scored with {@link Cvss}'s documented approximation — only reached
 *       when the database gave no word, as asked for v4;
 *   <li>distribution assessments: {@code Ubuntu} priority entries, then the Debian tracker urgency
 *       in {@code affected[].ecosystem_specific.urgency} ("unimportant" counts as LOW; "not yet
 *       assigned" and "end-of-life" carry no rating);
 *   <li>{@code CVSS_V2} vectors (deprecated, but all that old records have).
 * </ol>
 */
public final class Severities {
  private Severities() {}

  /** The best available rating, or {@link SeverityRating#NONE}. */
  public static SeverityRating rate(OsvEntry entry, Optional<OsvAffected> affected) {
    List<SeverityRating> all = ratings(entry, affected);
    return all.isEmpty() ? SeverityRating.NONE : all.get(0);
  }

  /** The best available rating for a match, using the matched package's own severity data. */
  public static SeverityRating rate(MatchResult.Affected match) {
    return rate(match.entry(), Optional.of(match.affected()));
  }

  /**
   * Every rating the record yields for the package, best source first (see the class description).
   */
  public static List<SeverityRating> ratings(OsvEntry entry, Optional<OsvAffected> affected) {
    List<OsvSeverity> vectors = new ArrayList<>();
    affected.ifPresent(a -> vectors.addAll(a.severity()));
    vectors.addAll(entry.severity());
    List<SeverityRating> out = new ArrayList<>();
    cvss(vectors, "CVSS_V3", out);
    word(
        affected.map(OsvAffected::databaseSpecific), "severity", "database_specific.severity", out);
    word(Optional.of(entry.databaseSpecific()), "severity", "database_specific.severity", out);
    word(
        affected.map(OsvAffected::ecosystemSpecific),
        "severity",
        "ecosystem_specific.severity",
        out);
    cvss(vectors, "CVSS_V4", out);
    for (OsvSeverity s : vectors) {
      if (s.type().equalsIgnoreCase("Ubuntu")) {
        Severity.fromWord(s.score())
            .ifPresent(
                sev ->
                    out.add(new SeverityRating(sev, OptionalDouble.empty(), "Ubuntu", s.score())));
      }
    }
    word(affected.map(OsvAffected::ecosystemSpecific), "urgency", "Debian urgency", out);
    cvss(vectors, "CVSS_V2", out);
    return out;
  }

  /** Adds the highest-scoring valid vector of one type, if any. */
  private static void cvss(List<OsvSeverity> vectors, String type, List<SeverityRating> out) {
    vectors.stream()
        .filter(s -> s.type().equals(type))
        .map(s -> Cvss.score(s.score()))
        .flatMap(Optional::stream)
        .max(Comparator.comparingDouble(CvssScore::baseScore))
        .ifPresent(
            c ->
                out.add(
                    new SeverityRating(
                        c.severity(),
                        OptionalDouble.of(c.baseScore()),
                        c.approximate() ? type + " (approximate)" : type,
                        c.vector())));
  }

  private static void word(
      Optional<JsonNode> node, String field, String source, List<SeverityRating> out) {
    node.map(n -> n.get(field))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .ifPresent(
            w ->
                Severity.fromWord(w)
                    .ifPresent(
                        sev ->
                            out.add(new SeverityRating(sev, OptionalDouble.empty(), source, w))));
  }
}
