package dev.caulk.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.caulk.digest.Digest;
import dev.caulk.digest.InvalidDigestException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The JSON codec for the wire records.
 *
 * <p>Reading is tolerant where Docker and containerd are (unknown fields, missing optional fields,
 * {@code null} for an empty list) and strict where the image-spec schemas are (types, sizes,
 * digests, media types, required fields): {@link SpecRules} checks the tree first so each violation
 * is one line naming the document and the field. Writing is compact with map keys sorted, so a
 * manifest or config caulk builds always serialises to the same bytes. A document caulk did not
 * build is never re-serialised: the image views keep the raw bytes its digest was computed over.
 */
public final class SpecJson {
  /**
   * The largest manifest or index caulk accepts (the distribution spec asks registries for at least
   * 4 MiB).
   */
  public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  /** The largest image config caulk accepts. */
  public static final int MAX_CONFIG_BYTES = 32 * 1024 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .addModule(
              new SimpleModule("caulk-digest")
                  .addSerializer(
                      Digest.class,
                      new JsonSerializer<>() {
                        @Override
                        public void serialize(Digest d, JsonGenerator g, SerializerProvider p)
                            throws IOException {
                          g.writeString(d.toString());
                        }
                      })
                  .addDeserializer(
                      Digest.class,
                      new JsonDeserializer<>() {
                        @Override
                        public Digest deserialize(JsonParser p, DeserializationContext c)
                            throws IOException {
                          try {
                            return Digest.parse(p.getValueAsString());
                          } catch (InvalidDigestException e) {
                            throw c.weirdStringException(p.getText(), Digest.class, e.getMessage());
                          }
                        }
                      }))
          // Jackson turns "123" into 123 and "true" into true by default; Go (and the schemas) do
          // not.
          .withCoercionConfig(
              LogicalType.Integer,
              c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Boolean,
              c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .build();

  private SpecJson() {}

  /** The shared mapper (thread-safe once configured). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Compact, key-sorted JSON bytes. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** Parses {@code bytes} as {@code type}; {@code what} names the document in the error. */
  public static <T> T read(byte[] bytes, Class<T> type, String what) throws InvalidSpecException {
    try {
      T v = MAPPER.readValue(bytes, type);
      if (v == null) throw new InvalidSpecException(what + ": invalid JSON: null document");
      return v;
    } catch (InvalidSpecException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidSpecException(what + ": invalid JSON: " + oneLine(e));
    }
  }

  /** Parses JSON into a tree. */
  public static JsonNode tree(byte[] bytes, String what) throws InvalidSpecException {
    return read(bytes, JsonNode.class, what);
  }

  /**
   * The media type of a manifest document: its {@code mediaType} field, else the Content-Type the
   * transport reported, else guessed from its shape (an index has {@code manifests}).
   */
  public static String mediaTypeOf(byte[] bytes, @Nullable String contentType, String what)
      throws InvalidSpecException {
    JsonNode n = tree(bytes, what);
    if (!n.isObject()) throw new InvalidSpecException(what + ": invalid JSON: not an object");
    String mt = n.path("mediaType").asText(null);
    if (mt != null && !mt.isEmpty()) return mt;
    if (n.path("schemaVersion").asInt(0) == 1) return MediaType.DOCKER_MANIFEST_V1;
    if (contentType != null && MediaType.isManifest(contentType.split(";")[0].trim()))
      return contentType.split(";")[0].trim();
    if (n.has("manifests")) return MediaType.OCI_INDEX;
    if (n.has("config") && n.has("layers")) return MediaType.OCI_MANIFEST;
    throw new InvalidSpecException(what + ": not an image manifest or index");
  }

  /**
   * Parses and validates an image manifest: the rules of image-manifest-schema.json (see {@link
   * SpecRules}), then the media type. Any RFC 6838 config and layer media type is accepted
   * (artifacts use their own).
   */
  public static Manifest manifest(byte[] bytes, String what) throws InvalidSpecException {
    if (bytes.length > MAX_MANIFEST_BYTES)
      throw new InvalidSpecException(what + ": manifest larger than 4 MiB");
    JsonNode n = tree(bytes, what);
    String doc = docName(what, "manifest");
    SpecRules.manifest(n, doc);
    Manifest m = bind(n, Manifest.class, doc);
    if (m.mediaType() != null && !MediaType.isImageManifest(m.mediaType())) {
      throw new InvalidSpecException(
          doc + ": mediaType: unsupported manifest media type " + m.mediaType());
    }
    return m;
  }

  /** Parses and validates an image index or manifest list (image-index-schema.json). */
  public static Index index(byte[] bytes, String what) throws InvalidSpecException {
    if (bytes.length > MAX_MANIFEST_BYTES)
      throw new InvalidSpecException(what + ": index larger than 4 MiB");
    JsonNode n = tree(bytes, what);
    String doc = docName(what, "index");
    SpecRules.index(n, doc);
    return bind(n, Index.class, doc);
  }

  /**
   * Parses and validates an image config (config-schema.json; every optional field and Docker's
   * reserved ones may be missing or null).
   */
  public static ConfigFile config(byte[] bytes, String what) throws InvalidSpecException {
    if (bytes.length > MAX_CONFIG_BYTES)
      throw new InvalidSpecException(what + ": config larger than 32 MiB");
    JsonNode n = tree(bytes, what);
    String doc = docName(what, "config");
    SpecRules.config(n, doc);
    return bind(n, ConfigFile.class, doc);
  }

  private static <T> T bind(JsonNode n, Class<T> type, String doc) throws InvalidSpecException {
    try {
      return MAPPER.treeToValue(n, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidSpecException(doc + ": invalid JSON: " + oneLine(e));
    }
  }

  /**
   * The name of a document for errors: {@code what}, with the kind of document added when {@code
   * what} does not say it (a location such as {@code oci:dir:tag} names no document).
   */
  static String docName(String what, String kind) {
    if (what == null || what.isEmpty()) return kind;
    int cut = what.lastIndexOf(": ");
    String last = (cut < 0 ? what : what.substring(cut + 2)).toLowerCase(java.util.Locale.ROOT);
    return last.contains(kind) ? what : what + ": " + kind;
  }

  static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof JsonProcessingException jpe) {
      m = jpe.getOriginalMessage();
      if (jpe.getLocation() != null)
        m +=
            " (line "
                + jpe.getLocation().getLineNr()
                + ", column "
                + jpe.getLocation().getColumnNr()
                + ")";
    }
    m = m.replaceAll("\\s+", " ");
    if (m.length() > 400) m = m.substring(0, 400);
    m = plainTypes(m);
    return m.length() > 200 ? m.substring(0, 200) + "…" : m;
  }

  /**
   * Jackson names Java types (`dev.caulk.spec.Index`, `java.lang.String`); a user reads about
   * documents and JSON values.
   */
  static String plainTypes(String m) {
    String[][] names = {
      {"dev.caulk.spec.Index", "image index"},
      {"dev.caulk.spec.Manifest", "image manifest"},
      {"dev.caulk.spec.ConfigFile", "image config"},
      {"dev.caulk.spec.ContainerConfig", "config"},
      {"dev.caulk.spec.Descriptor", "descriptor"},
      {"dev.caulk.spec.Platform", "platform"},
      {"dev.caulk.spec.History", "history entry"},
      {"dev.caulk.spec.RootFs", "rootfs"},
      {"dev.caulk.spec.Healthcheck", "Healthcheck"},
      {"dev.caulk.digest.Digest", "digest"},
      {"java.lang.String", "string"},
      {"java.util.List", "array"},
      {"java.util.Map", "object"},
      {"java.lang.Long", "integer"},
      {"java.lang.Integer", "integer"},
      {"java.lang.Boolean", "boolean"},
    };
    for (String[] n : names) m = m.replace(n[0], n[1]);
    // Anything else that is still a Java class name (dev.caulk.… or java.…) is named by its last
    // word only.
    StringBuilder out = new StringBuilder(m.length());
    int i = 0;
    while (i < m.length()) {
      int start = m.indexOf("dev.caulk.", i);
      int j = m.indexOf("java.", i);
      if (start < 0 || (j >= 0 && j < start)) start = j;
      if (start < 0) {
        out.append(m, i, m.length());
        break;
      }
      out.append(m, i, start);
      int end = start;
      while (end < m.length()
          && (Character.isLetterOrDigit(m.charAt(end))
              || m.charAt(end) == '.'
              || m.charAt(end) == '$')) end++;
      String name = m.substring(start, end);
      int dot = name.lastIndexOf('.');
      out.append(dot >= 0 && dot < name.length() - 1 ? name.substring(dot + 1) : name);
      i = end;
    }
    return out.toString();
  }
}
