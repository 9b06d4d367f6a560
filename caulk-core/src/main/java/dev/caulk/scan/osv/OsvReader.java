package dev.caulk.scan.osv;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builds {@link OsvEntry} values from JSON, checking the fields matching depends on. */
final class OsvReader {
  /** Shared, thread-safe; rejects trailing garbage after the record. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final Map<String, OsvEvent.Kind> EVENT_KEYS =
      Map.of(
          "introduced", OsvEvent.Kind.INTRODUCED,
          "fixed", OsvEvent.Kind.FIXED,
          "last_affected", OsvEvent.Kind.LAST_AFFECTED,
          "limit", OsvEvent.Kind.LIMIT);

  private final String where;

  private OsvReader(String where) {
    this.where = where;
  }

  static OsvEntry read(byte[] json) throws OsvFormatException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new OsvFormatException(
          "OSV record: invalid JSON: " + oneLine(e.getOriginalMessage()), e);
    } catch (java.io.IOException e) {
      throw new OsvFormatException("OSV record: unreadable JSON: " + oneLine(e.getMessage()), e);
    }
    return read(root);
  }

  static OsvEntry read(JsonNode root) throws OsvFormatException {
    if (root == null || !root.isObject()) {
      throw new OsvFormatException("OSV record: not a JSON object");
    }
    JsonNode idNode = root.get("id");
    if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
      throw new OsvFormatException("OSV record: missing 'id'");
    }
    String id = idNode.asText();
    OsvReader r = new OsvReader("OSV record " + shown(id));
    if (id.length() > 512 || id.chars().anyMatch(Character::isISOControl)) {
      throw r.error("id", "not a plausible identifier");
    }
    return r.entry(root, id);
  }

  private OsvEntry entry(JsonNode root, String id) throws OsvFormatException {
    Instant modified = time(root, "modified").orElseThrow(() -> error("", "missing 'modified'"));
    List<OsvAffected> affected = new ArrayList<>();
    List<JsonNode> affectedNodes = array(root, "affected", "affected");
    for (int i = 0; i < affectedNodes.size(); i++) {
      affected.add(affected(affectedNodes.get(i), "affected[" + i + "]"));
    }
    List<OsvReference> references = new ArrayList<>();
    List<JsonNode> refNodes = array(root, "references", "references");
    for (int i = 0; i < refNodes.size(); i++) {
      String path = "references[" + i + "]";
      JsonNode ref = object(refNodes.get(i), path);
      references.add(
          new OsvReference(requiredText(ref, "type", path), requiredText(ref, "url", path)));
    }
    return new OsvEntry(
        text(root, "schema_version", "").orElse("1.0.0"),
        id,
        modified,
        time(root, "published"),
        time(root, "withdrawn"),
        strings(root, "aliases", "aliases"),
        strings(root, "upstream", "upstream"),
        strings(root, "related", "related"),
        text(root, "summary", "").orElse(""),
        text(root, "details", "").orElse(""),
        severities(root, ""),
        affected,
        references,
        raw(root, "database_specific"));
  }

  private OsvAffected affected(JsonNode node, String path) throws OsvFormatException {
    JsonNode a = object(node, path);
    Optional<OsvPackage> pkg = Optional.empty();
    JsonNode p = present(a, "package");
    if (p != null) {
      String pp = path + ".package";
      object(p, pp);
      pkg =
          Optional.of(
              new OsvPackage(
                  requiredText(p, "ecosystem", pp),
                  requiredText(p, "name", pp),
                  text(p, "purl", pp)));
    }
    List<OsvRange> ranges = new ArrayList<>();
    List<JsonNode> rangeNodes = array(a, "ranges", path + ".ranges");
    for (int i = 0; i < rangeNodes.size(); i++) {
      ranges.add(range(rangeNodes.get(i), path + ".ranges[" + i + "]"));
    }
    return new OsvAffected(
        pkg,
        severities(a, path),
        ranges,
        strings(a, "versions", path + ".versions"),
        raw(a, "ecosystem_specific"),
        raw(a, "database_specific"));
  }

  private OsvRange range(JsonNode node, String path) throws OsvFormatException {
    JsonNode r = object(node, path);
    String typeName = requiredText(r, "type", path);
    OsvRange.Type type;
    try {
      type = OsvRange.Type.valueOf(typeName);
    } catch (IllegalArgumentException e) {
      throw error(path + ".type", "unknown range type '" + shown(typeName) + "'");
    }
    Optional<String> repo = text(r, "repo", path);
    if (type == OsvRange.Type.GIT && repo.isEmpty()) {
      throw error(path, "GIT range without 'repo'");
    }
    List<JsonNode> eventNodes = array(r, "events", path + ".events");
    List<OsvEvent> events = new ArrayList<>();
    for (int i = 0; i < eventNodes.size(); i++) {
      String ep = path + ".events[" + i + "]";
      JsonNode e = object(eventNodes.get(i), ep);
      OsvEvent event = null;
      for (Map.Entry<String, OsvEvent.Kind> k : EVENT_KEYS.entrySet()) {
        JsonNode v = present(e, k.getKey());
        if (v != null) {
          if (event != null) {
            throw error(ep, "more than one of introduced, fixed, last_affected, limit");
          }
          if (!v.isTextual() || v.asText().isEmpty()) {
            throw error(ep + "." + k.getKey(), "not a non-empty string");
          }
          event = new OsvEvent(k.getValue(), v.asText());
        }
      }
      if (event == null) {
        throw error(ep, "none of introduced, fixed, last_affected, limit");
      }
      events.add(event);
    }
    if (events.stream().noneMatch(e -> e.kind() == OsvEvent.Kind.INTRODUCED)) {
      throw error(path + ".events", "no 'introduced' event");
    }
    return new OsvRange(type, repo, events, raw(r, "database_specific"));
  }

  private List<OsvSeverity> severities(JsonNode parent, String path) throws OsvFormatException {
    String base = path.isEmpty() ? "severity" : path + ".severity";
    List<OsvSeverity> out = new ArrayList<>();
    List<JsonNode> nodes = array(parent, "severity", base);
    for (int i = 0; i < nodes.size(); i++) {
      String sp = base + "[" + i + "]";
      JsonNode s = object(nodes.get(i), sp);
      out.add(new OsvSeverity(requiredText(s, "type", sp), requiredText(s, "score", sp)));
    }
    return out;
  }

  // ---- small typed getters; JSON null counts as absent ----

  private static JsonNode present(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull() ? null : n;
  }

  private static JsonNode raw(JsonNode parent, String field) {
    JsonNode n = present(parent, field);
    return n == null ? MissingNode.getInstance() : n;
  }

  private JsonNode object(JsonNode n, String path) throws OsvFormatException {
    if (n == null || !n.isObject()) {
      throw error(path, "not a JSON object");
    }
    return n;
  }

  private List<JsonNode> array(JsonNode parent, String field, String path)
      throws OsvFormatException {
    JsonNode n = present(parent, field);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw error(path, "not a JSON array");
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  private List<String> strings(JsonNode parent, String field, String path)
      throws OsvFormatException {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array(parent, field, path)) {
      if (!n.isTextual()) {
        throw error(path, "contains a non-string element");
      }
      out.add(n.asText());
    }
    return out;
  }

  private Optional<String> text(JsonNode parent, String field, String path)
      throws OsvFormatException {
    JsonNode n = present(parent, field);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw error(join(path, field), "not a string");
    }
    return Optional.of(n.asText());
  }

  private String requiredText(JsonNode parent, String field, String path)
      throws OsvFormatException {
    return text(parent, field, path).orElseThrow(() -> error(path, "missing '" + field + "'"));
  }

  private Optional<Instant> time(JsonNode parent, String field) throws OsvFormatException {
    Optional<String> t = text(parent, field, "");
    if (t.isEmpty()) {
      return Optional.empty();
    }
    String s = t.get().strip().toUpperCase(Locale.ROOT);
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      try {
        // Some feeds drop the zone; OSV times are UTC, so read them as such.
        return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e2) {
        throw error(field, "not an RFC 3339 time: '" + shown(t.get()) + "'");
      }
    }
  }

  private OsvFormatException error(String path, String problem) {
    return new OsvFormatException(where + (path.isEmpty() ? "" : ": " + path) + ": " + problem);
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** Untrusted text for a message: control characters replaced, cut to 80 characters. */
  static String shown(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }

  private static String oneLine(String s) {
    return s == null ? "" : shown(s.lines().findFirst().orElse(""));
  }
}
