package dev.caulk.scan.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * License strings from package metadata turned into SPDX license expressions (SPDX 2.3 Annex D)
 * only when every identifier is on the SPDX License List, which cyclonedx-core-java ships as {@code
 * spdx.schema.json}. Anything else (apk's space-separated {@code L:} field, free text) is not
 * guessed at: SBOMs then say NOASSERTION and carry the text as a comment or a name.
 */
final class Licenses {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern LICENSE_REF =
      com.google.re2j.Pattern.compile("(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+");

  private static final Map<String, String> IDS = load();

  private Licenses() {}

  private static Map<String, String> load() {
    Map<String, String> ids = new HashMap<>();
    try (InputStream in = Licenses.class.getResourceAsStream("/spdx.schema.json")) {
      if (in != null) {
        JsonNode root = new ObjectMapper().readTree(in);
        for (JsonNode id : root.path("enum"))
          ids.put(id.asText().toLowerCase(Locale.ROOT), id.asText());
      }
    } catch (IOException e) {
      // Without the list every license is reported as text, which is still correct.
    }
    return Map.copyOf(ids);
  }

  /** The canonical spelling of an SPDX license or exception id, or null when it is not one. */
  static String canonicalId(String s) {
    return s == null ? null : IDS.get(s.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * One SPDX expression for all license strings (joined with AND), or null when any is not valid.
   */
  static String expression(List<String> licenses) {
    if (licenses.isEmpty()) return null;
    List<String> parts = new ArrayList<>();
    for (String l : licenses) {
      String e = single(l);
      if (e == null) return null;
      parts.add(e);
    }
    if (parts.size() == 1) return parts.get(0);
    List<String> wrapped = new ArrayList<>();
    for (String p : parts) wrapped.add(topLevelOr(p) ? "(" + p + ")" : p);
    return String.join(" AND ", wrapped);
  }

  /** True when an OR sits outside all parentheses: AND binds tighter, so joining needs them. */
  private static boolean topLevelOr(String expr) {
    int depth = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (depth == 0 && expr.startsWith(" OR ", i)) return true;
    }
    return false;
  }

  /**
   * Validates one expression: ids, {@code LicenseRef-}, AND / OR / WITH, parentheses, {@code +}.
   */
  private static String single(String text) {
    String spaced = text.replace("(", " ( ").replace(")", " ) ").strip();
    if (spaced.isEmpty()) return null;
    StringBuilder out = new StringBuilder();
    int depth = 0;
    boolean expectOperand = true;
    for (String tok : spaced.split("\\s+")) {
      String op = tok.toUpperCase(Locale.ROOT);
      if (tok.equals("(")) {
        if (!expectOperand) return null;
        depth++;
        out.append('(');
        continue;
      }
      if (tok.equals(")")) {
        if (expectOperand || --depth < 0) return null;
        out.append(')');
        continue;
      }
      if (op.equals("AND") || op.equals("OR") || op.equals("WITH")) {
        if (expectOperand) return null;
        out.append(' ').append(op).append(' ');
        expectOperand = true;
        continue;
      }
      if (!expectOperand) return null;
      boolean plus = tok.endsWith("+");
      String id = plus ? tok.substring(0, tok.length() - 1) : tok;
      String canonical = LICENSE_REF.matches(id) ? id : canonicalId(id);
      if (canonical == null) return null;
      out.append(canonical).append(plus ? "+" : "");
      expectOperand = false;
    }
    return depth == 0 && !expectOperand ? out.toString() : null;
  }
}
