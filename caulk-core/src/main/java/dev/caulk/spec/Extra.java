package dev.caulk.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The fields of a document caulk does not model, kept so that a rewrite does not lose them. */
final class Extra {
  private Extra() {}

  /**
   * An immutable, key-sorted copy (sorted so that a rewritten config always has the same bytes).
   * Null values are dropped: to Go readers a null field is an absent one, and caulk never writes
   * null.
   */
  static Map<String, JsonNode> copy(@Nullable Map<String, JsonNode> m) {
    if (m == null || m.isEmpty()) return Map.of();
    TreeMap<String, JsonNode> t = new TreeMap<>();
    m.forEach(
        (k, v) -> {
          if (v != null && !v.isNull() && !v.isMissingNode()) t.put(k, v);
        });
    return t.isEmpty() ? Map.of() : Collections.unmodifiableMap(t);
  }
}
