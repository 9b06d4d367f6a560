package dev.caulk.scan.osv;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code affected[].ranges[]} element: how to read the versions ({@link Type}), the repository
 * for GIT ranges, and the events that switch "vulnerable" on and off along the version line.
 */
public record OsvRange(
    Type type, Optional<String> repo, List<OsvEvent> events, JsonNode databaseSpecific) {
  /** The range types of osv-schema "affected[].ranges[].type field". */
  public enum Type {
    /** SemVer 2.0.0 versions without a leading {@code v}. */
    SEMVER,
    /** Versions in the ecosystem's own syntax and ordering. */
    ECOSYSTEM,
    /**
     * Full git commit hashes; needs the commit graph, so caulk relies on the {@code versions} list
     * instead.
     */
    GIT
  }

  /**
   * Copies the list; every component must be present (use {@code MissingNode} for no
   * database_specific).
   */
  public OsvRange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(repo, "repo");
    events = List.copyOf(events);
    Objects.requireNonNull(databaseSpecific, "databaseSpecific");
  }
}
