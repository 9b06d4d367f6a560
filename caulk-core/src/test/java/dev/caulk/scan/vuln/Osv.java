package dev.caulk.scan.vuln;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.scan.db.VulnDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * OSV records in the real schema (ossf/osv-schema 1.6), written by tests: one builder per record,
 * one call per {@code affected[]} element, then {@link #into} a folder that {@code
 * VulnDb.importFrom} reads.
 */
final class Osv {
  static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectNode root = JSON.createObjectNode();

  private Osv(String id) {
    root.put("schema_version", "1.6.0");
    root.put("id", id);
    root.put("modified", "2026-01-10T08:00:00Z");
    root.put("published", "2025-06-01T00:00:00Z");
  }

  static Osv record(String id) {
    return new Osv(id);
  }

  Osv summary(String s) {
    root.put("summary", s);
    return this;
  }

  Osv details(String s) {
    root.put("details", s);
    return this;
  }

  Osv aliases(String... ids) {
    ArrayNode a = root.putArray("aliases");
    for (String i : ids) a.add(i);
    return this;
  }

  Osv upstream(String... ids) {
    ArrayNode a = root.putArray("upstream");
    for (String i : ids) a.add(i);
    return this;
  }

  Osv cvss3(String vector) {
    ObjectNode s = root.withArray("severity").addObject();
    s.put("type", "CVSS_V3");
    s.put("score", vector);
    return this;
  }

  Osv withdrawn() {
    root.put("withdrawn", "2026-01-09T00:00:00Z");
    return this;
  }

  Osv reference(String url) {
    ObjectNode r = root.withArray("references").addObject();
    r.put("type", "ADVISORY");
    r.put("url", url);
    return this;
  }

  /**
   * An ECOSYSTEM (or SEMVER for Go) range from alternating event kinds and versions: "introduced",
   * "0", "fixed", "1.2".
   */
  Osv affected(String ecosystem, String name, String... events) {
    return affected(ecosystem, name, List.of(), null, events);
  }

  Osv affected(
      String ecosystem, String name, List<String> versions, String urgency, String... events) {
    ObjectNode a = root.withArray("affected").addObject();
    ObjectNode p = a.putObject("package");
    p.put("ecosystem", ecosystem);
    p.put("name", name);
    if (events.length > 0) {
      ObjectNode r = a.putArray("ranges").addObject();
      r.put("type", ecosystem.equals("Go") ? "SEMVER" : "ECOSYSTEM");
      ArrayNode ev = r.putArray("events");
      for (int i = 0; i + 1 < events.length; i += 2) ev.addObject().put(events[i], events[i + 1]);
    }
    if (!versions.isEmpty()) {
      ArrayNode v = a.putArray("versions");
      versions.forEach(v::add);
    }
    if (urgency != null) a.putObject("ecosystem_specific").put("urgency", urgency);
    return this;
  }

  String json() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the record as {@code DIR/<id>.json}. */
  Osv into(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(root.get("id").asText() + ".json"), json(), StandardCharsets.UTF_8);
    return this;
  }

  /** A store in {@code dir/db} holding the records written to {@code dir/osv}. */
  static VulnDb store(Path dir) throws IOException {
    VulnDb db = VulnDb.open(dir.resolve("db"));
    db.importFrom(dir.resolve("osv"));
    return db;
  }
}
