package dev.caulk.scan.osv;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One OSV vulnerability record (osv-schema {@code docs/schema.md}), reduced to the fields caulk
 * reads; everything else stays reachable through the raw {@code databaseSpecific} objects or is
 * ignored.
 *
 * <p>Absent optional lists are empty, absent strings are empty, absent JSON objects are {@code
 * MissingNode}, and {@code schemaVersion} defaults to {@code 1.0.0} as the schema says.
 */
public record OsvEntry(
    String schemaVersion,
    String id,
    Instant modified,
    Optional<Instant> published,
    Optional<Instant> withdrawn,
    List<String> aliases,
    List<String> upstream,
    List<String> related,
    String summary,
    String details,
    List<OsvSeverity> severity,
    List<OsvAffected> affected,
    List<OsvReference> references,
    JsonNode databaseSpecific) {

  /** Copies the lists; every component must be present. */
  public OsvEntry {
    Objects.requireNonNull(schemaVersion, "schemaVersion");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modified, "modified");
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(withdrawn, "withdrawn");
    aliases = List.copyOf(aliases);
    upstream = List.copyOf(upstream);
    related = List.copyOf(related);
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(details, "details");
    severity = List.copyOf(severity);
    affected = List.copyOf(affected);
    references = List.copyOf(references);
    Objects.requireNonNull(databaseSpecific, "databaseSpecific");
  }

  /**
   * Parses one OSV JSON record. Unknown fields are ignored; the fields matching relies on are
   * checked: {@code id} and {@code modified} present, timestamps in RFC 3339, each range with a
   * known {@code type}, a {@code repo} when GIT, at least one {@code introduced} event, and every
   * event holding exactly one of the four keys.
   *
   * @throws OsvFormatException with a one-line message naming the record and field when the record
   *     is unusable
   */
  public static OsvEntry parse(byte[] json) throws OsvFormatException {
    return OsvReader.read(json);
  }

  /** As {@link #parse(byte[])} for an already parsed JSON tree. */
  public static OsvEntry fromJson(JsonNode json) throws OsvFormatException {
    return OsvReader.read(json);
  }

  /**
   * True when the record carries a {@code withdrawn} time; such records must not produce findings.
   */
  public boolean isWithdrawn() {
    return withdrawn.isPresent();
  }
}
