package dev.caulk.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the image-spec JSON schemas (schema/*.json), checked on the JSON tree before it is
 * bound to the wire records, so that each violation gives one line naming the document and the
 * field.
 *
 * <p>Reading follows what Go's {@code encoding/json} does with the spec's Go types, which is what
 * Docker, containerd and the other Go tools do: a missing optional field and a {@code null} are the
 * same as absent (a Go nil slice is written as {@code null}), unknown fields are ignored; but a
 * value of the wrong JSON type is an error (a string is never a number, a float never an integer).
 * On top of that come the schema's own checks: required fields, {@code schemaVersion} 2, sizes
 * {@code >= 0}, the digest grammar with the registered algorithms' encodings, RFC 6838 media types,
 * and at least one layer in an OCI image manifest.
 */
final class SpecRules {
  /** defs-descriptor.json#/definitions/mediaType: RFC 6838 section 4.2 restricted names. */
  static final Pattern MEDIA_TYPE =
      Pattern.compile(
          "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$");

  /** defs-descriptor.json#/definitions/digest: the grammar of descriptor.md#digests. */
  static final Pattern DIGEST = Pattern.compile("^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$");

  private static final Pattern HEX64 = Pattern.compile("^[a-f0-9]{64}$");
  private static final Pattern HEX128 = Pattern.compile("^[a-f0-9]{128}$");

  private final String doc;

  private SpecRules(String doc) {
    this.doc = doc;
  }

  // ---- documents ----

  /** An image manifest (image-manifest-schema.json; Docker's schema 2 has the same shape). */
  static void manifest(JsonNode n, String doc) throws InvalidSpecException {
    SpecRules r = new SpecRules(doc);
    r.object(n, "");
    r.schemaVersion(n);
    String mt = r.mediaType(n, "mediaType", "", false);
    r.mediaType(n, "artifactType", "", false);
    r.descriptor(n.get("config"), "config", true);
    int layers = r.descriptors(n, "layers", "");
    r.descriptor(n.get("subject"), "subject", false);
    r.annotations(n, "annotations", "");
    boolean docker = MediaType.DOCKER_MANIFEST.equals(mt);
    if (!docker && layers == 0) {
      // image-manifest-schema.json: "layers": {"type": "array", "minItems": 1} for every OCI
      // manifest, image or artifact (an artifact without content uses the empty descriptor).
      throw r.fail(
          "layers",
          "must have at least one entry in an OCI image manifest (image-spec schema: minItems 1), got "
              + (present(n.get("layers")) ? "an empty array" : got(n.get("layers"))));
    }
  }

  /** An image index or Docker manifest list (image-index-schema.json). */
  static void index(JsonNode n, String doc) throws InvalidSpecException {
    SpecRules r = new SpecRules(doc);
    r.object(n, "");
    r.schemaVersion(n);
    r.mediaType(n, "mediaType", "", false);
    r.mediaType(n, "artifactType", "", false);
    r.descriptors(n, "manifests", "");
    r.descriptor(n.get("subject"), "subject", false);
    r.annotations(n, "annotations", "");
  }

  /**
   * An image config (config-schema.json, plus Docker's reserved fields such as {@code
   * Healthcheck}).
   */
  static void config(JsonNode n, String doc) throws InvalidSpecException {
    SpecRules r = new SpecRules(doc);
    r.object(n, "");
    r.dateTime(n, "created", "");
    r.string(n, "author", "", false);
    r.string(n, "architecture", "", true);
    r.string(n, "os", "", true);
    r.string(n, "os.version", "", false);
    r.strings(n, "os.features", "");
    r.string(n, "variant", "", false);
    JsonNode c = n.get("config");
    if (present(c)) r.containerConfig(c, "config");
    JsonNode rootfs = n.get("rootfs");
    if (!present(rootfs)) throw r.fail("rootfs", "is required, got " + got(rootfs));
    r.object(rootfs, "rootfs");
    r.string(rootfs, "type", "rootfs", true);
    if (!"layers".equals(rootfs.get("type").asText())) {
      throw r.fail("rootfs.type", "must be \"layers\", got " + got(rootfs.get("type")));
    }
    // config-schema.json requires diff_ids, but Docker writes it with omitempty: a config without
    // layers has no diff_ids at all. Tolerated, as Docker and containerd do.
    JsonNode ids = rootfs.get("diff_ids");
    if (present(ids)) {
      if (!ids.isArray())
        throw r.fail("rootfs.diff_ids", "must be an array of digests, got " + got(ids));
      for (int i = 0; i < ids.size(); i++) r.digest(ids.get(i), "rootfs.diff_ids[" + i + "]");
    }
    JsonNode history = n.get("history");
    if (present(history)) {
      if (!history.isArray())
        throw r.fail("history", "must be an array of objects, got " + got(history));
      for (int i = 0; i < history.size(); i++) {
        JsonNode h = history.get(i);
        String p = "history[" + i + "]";
        r.object(h, p);
        r.dateTime(h, "created", p);
        r.string(h, "author", p, false);
        r.string(h, "created_by", p, false);
        r.string(h, "comment", p, false);
        r.bool(h, "empty_layer", p);
      }
    }
  }

  private void containerConfig(JsonNode c, String p) throws InvalidSpecException {
    object(c, p);
    string(c, "User", p, false);
    objectMap(c, "ExposedPorts", p);
    strings(c, "Env", p);
    strings(c, "Entrypoint", p);
    strings(c, "Cmd", p);
    objectMap(c, "Volumes", p);
    string(c, "WorkingDir", p, false);
    annotations(c, "Labels", p);
    string(c, "StopSignal", p, false);
    bool(c, "ArgsEscaped", p);
    strings(c, "OnBuild", p);
    strings(c, "Shell", p);
    JsonNode h = c.get("Healthcheck");
    if (present(h)) {
      String hp = join(p, "Healthcheck");
      object(h, hp);
      strings(h, "Test", hp);
      for (String f : new String[] {"Interval", "Timeout", "StartPeriod", "StartInterval"}) {
        integer(h, f, hp, Long.MIN_VALUE, Long.MAX_VALUE, "an integer (nanoseconds)");
      }
      integer(h, "Retries", hp, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
    }
  }

  // ---- parts ----

  private void schemaVersion(JsonNode n) throws InvalidSpecException {
    JsonNode v = n.get("schemaVersion");
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() != 2) {
      throw fail("schemaVersion", "must be the integer 2, got " + got(v));
    }
  }

  /**
   * A content descriptor (content-descriptor.json) at {@code p}; returns normally when absent and
   * optional.
   */
  private void descriptor(JsonNode d, String p, boolean required) throws InvalidSpecException {
    if (!present(d)) {
      if (required)
        throw fail(
            p, (d == null ? "is required" : "must be a descriptor object") + ", got " + got(d));
      return;
    }
    if (!d.isObject()) throw fail(p, "must be a descriptor object, got " + got(d));
    mediaType(d, "mediaType", p, true);
    JsonNode digest = d.get("digest");
    if (!present(digest)) throw fail(join(p, "digest"), "is required, got " + got(digest));
    digest(digest, join(p, "digest"));
    JsonNode size = d.get("size");
    if (size == null
        || !size.isIntegralNumber()
        || !size.canConvertToLong()
        || size.longValue() < 0) {
      throw fail(join(p, "size"), "must be an integer >= 0, got " + got(size));
    }
    strings(d, "urls", p);
    annotations(d, "annotations", p);
    JsonNode data = d.get("data");
    if (present(data)) {
      if (!data.isTextual())
        throw fail(join(p, "data"), "must be a base64 string, got " + got(data));
      try {
        Base64.getDecoder().decode(data.textValue());
      } catch (IllegalArgumentException e) {
        throw fail(join(p, "data"), "must be base64 (RFC 4648), got " + got(data));
      }
    }
    mediaType(d, "artifactType", p, false);
    JsonNode platform = d.get("platform");
    if (present(platform)) {
      String pp = join(p, "platform");
      object(platform, pp);
      string(platform, "architecture", pp, true);
      string(platform, "os", pp, true);
      string(platform, "os.version", pp, false);
      strings(platform, "os.features", pp);
      string(platform, "variant", pp, false);
      strings(platform, "features", pp);
    }
  }

  /**
   * A list of descriptors that the schema requires; null is an empty list (Go writes a nil slice
   * so).
   */
  private int descriptors(JsonNode n, String name, String p) throws InvalidSpecException {
    JsonNode a = n.get(name);
    String ap = join(p, name);
    if (a == null) {
      if (MediaType.DOCKER_MANIFEST.equals(n.path("mediaType").asText())
          || "manifests".equals(name)) {
        throw fail(ap, "is required, got nothing");
      }
      return 0;
    }
    if (a.isNull()) return 0;
    if (!a.isArray()) throw fail(ap, "must be an array of descriptors, got " + got(a));
    for (int i = 0; i < a.size(); i++) descriptor(a.get(i), ap + "[" + i + "]", true);
    return a.size();
  }

  /**
   * A digest: the grammar of descriptor.md, then the encoding its algorithm requires. caulk
   * verifies every digest it reads, so an algorithm it cannot compute is refused (the spec lets
   * only implementations that do not verify pass unknown algorithms).
   */
  private void digest(JsonNode v, String p) throws InvalidSpecException {
    if (!v.isTextual()) throw fail(p, "must be a digest string algorithm:encoded, got " + got(v));
    String s = v.textValue();
    if (!DIGEST.matcher(s).matches())
      throw fail(p, "must be a digest algorithm:encoded (descriptor.md grammar), got " + got(v));
    String alg = s.substring(0, s.indexOf(':'));
    String enc = s.substring(s.indexOf(':') + 1);
    switch (alg) {
      case "sha256" -> {
        if (!HEX64.matcher(enc).matches())
          throw fail(p, "a sha256 digest must be 64 lowercase hex characters, got " + got(v));
      }
      case "sha512" -> {
        if (!HEX128.matcher(enc).matches())
          throw fail(p, "a sha512 digest must be 128 lowercase hex characters, got " + got(v));
      }
      default ->
          throw fail(
              p,
              "unsupported digest algorithm '"
                  + clip(alg)
                  + "': caulk verifies sha256 and sha512 digests");
    }
  }

  private @Nullable String mediaType(JsonNode n, String name, String p, boolean required)
      throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (!present(v)) {
      if (required) throw fail(join(p, name), "is required, got " + got(v));
      return null;
    }
    if (!v.isTextual() || !MEDIA_TYPE.matcher(v.textValue()).matches()) {
      throw fail(join(p, name), "must be an RFC 6838 media type type/subtype, got " + got(v));
    }
    return v.textValue();
  }

  private void object(JsonNode v, String p) throws InvalidSpecException {
    if (v == null || !v.isObject())
      throw fail(p.isEmpty() ? "document" : p, "must be a JSON object, got " + got(v));
  }

  private void string(JsonNode n, String name, String p, boolean required)
      throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (!present(v)) {
      if (required) throw fail(join(p, name), "is required, got " + got(v));
      return;
    }
    if (!v.isTextual()) throw fail(join(p, name), "must be a string, got " + got(v));
  }

  private void bool(JsonNode n, String name, String p) throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (present(v) && !v.isBoolean()) throw fail(join(p, name), "must be a boolean, got " + got(v));
  }

  private void integer(JsonNode n, String name, String p, long min, long max, String what)
      throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (!present(v)) return;
    if (!v.isIntegralNumber()
        || !v.canConvertToLong()
        || v.longValue() < min
        || v.longValue() > max) {
      throw fail(join(p, name), "must be " + what + ", got " + got(v));
    }
  }

  /** An optional array of strings; null is an empty list. */
  private void strings(JsonNode n, String name, String p) throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (!present(v)) return;
    if (!v.isArray()) throw fail(join(p, name), "must be an array of strings, got " + got(v));
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual())
        throw fail(join(p, name) + "[" + i + "]", "must be a string, got " + got(v.get(i)));
    }
  }

  /** An optional string-to-string map (annotations, Labels); null is an empty map. */
  private void annotations(JsonNode n, String name, String p) throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (!present(v)) return;
    if (!v.isObject()) throw fail(join(p, name), "must be an object of strings, got " + got(v));
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw fail(
            join(p, name) + "[\"" + clip(e.getKey()) + "\"]",
            "must be a string, got " + got(e.getValue()));
      }
    }
  }

  /**
   * An optional map of objects (ExposedPorts, Volumes: values are {@code {}}); null values are
   * tolerated like Go.
   */
  private void objectMap(JsonNode n, String name, String p) throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (!present(v)) return;
    if (!v.isObject()) throw fail(join(p, name), "must be an object of objects, got " + got(v));
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isObject() && !e.getValue().isNull()) {
        throw fail(
            join(p, name) + "[\"" + clip(e.getKey()) + "\"]",
            "must be an object, got " + got(e.getValue()));
      }
    }
  }

  /**
   * An optional RFC 3339 date-time (config-schema.json "format": "date-time"; Go's time.Time
   * requires it too).
   */
  private void dateTime(JsonNode n, String name, String p) throws InvalidSpecException {
    JsonNode v = n.get(name);
    if (!present(v)) return;
    if (!v.isTextual())
      throw fail(join(p, name), "must be an RFC 3339 date-time string, got " + got(v));
    try {
      OffsetDateTime.parse(v.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw fail(join(p, name), "must be an RFC 3339 date-time, got " + got(v));
    }
  }

  // ---- messages ----

  private InvalidSpecException fail(String path, String message) {
    return new InvalidSpecException(doc + ": " + path + ": " + message);
  }

  private static boolean present(JsonNode v) {
    return v != null && !v.isNull();
  }

  private static String join(String p, String name) {
    return p.isEmpty() ? name : p + "." + name;
  }

  /** What a value is, for an error: {@code string "123"}, {@code number 1.5}, {@code an object}. */
  static String got(JsonNode v) {
    if (v == null || v.isMissingNode()) return "nothing";
    if (v.isNull()) return "null";
    if (v.isTextual()) return "string \"" + clip(v.textValue()) + "\"";
    if (v.isNumber()) return "number " + clip(v.asText());
    if (v.isBoolean()) return "boolean " + v.asText();
    if (v.isArray()) return "an array";
    if (v.isObject()) return "an object";
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static String clip(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return t.replaceAll("[^\\x20-\\x7e…]", "?").replace("\"", "\\\"");
  }
}
