package dev.caulk.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A report's inventory: what the image contains, as typed values ({@code audit.Inventory}: sizes,
 * programs on PATH, setuid files, shells, package managers, accounts, layers; {@code
 * scan.vuln.ScanInventory}: the operating system, the database, the vulnerabilities). The report
 * formats render it: the JSON formats embed {@link #toJson()}, the table shows {@link
 * #forPeople()}.
 */
public interface Contents {
  /** The inventory's JSON form, in its fixed field order; a new tree on every call. */
  JsonNode toJson();

  /** What the table format shows: the JSON form unless a kind leaves parts out for people. */
  default JsonNode forPeople() {
    return toJson();
  }

  /**
   * An inventory known only in its JSON form (read back from a report, given by a library user).
   */
  static Contents of(JsonNode json) {
    return new Json(json);
  }

  /** An inventory given as a JSON tree, deep-copied on construction and on every read. */
  record Json(JsonNode json) implements Contents {
    public Json {
      json = Objects.requireNonNull(json, "json").deepCopy();
    }

    @Override
    public JsonNode json() {
      return json.deepCopy();
    }

    @Override
    public JsonNode toJson() {
      return json.deepCopy();
    }
  }
}
