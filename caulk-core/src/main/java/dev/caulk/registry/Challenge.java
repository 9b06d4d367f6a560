package dev.caulk.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235 §4.1, RFC 6750 §3): a scheme and its
 * parameters, e.g. {@code Bearer
 * realm="https://auth.example/token",service="reg",scope="repository:a:pull,push"}.
 *
 * @param scheme lowercased, e.g. {@code bearer} or {@code basic}
 * @param params parameter names lowercased; values unquoted
 */
record Challenge(String scheme, Map<String, String> params) {
  Challenge {
    params = Map.copyOf(params);
  }

  String param(String name) {
    return params.get(name);
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  /** The scopes a Bearer challenge names (space-separated in {@code scope}). */
  List<String> scopes() {
    String s = params.get("scope");
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  /** The first Bearer challenge, else the first Basic one, among all the headers; null if none. */
  static Challenge pick(List<String> headers) {
    List<Challenge> all = new ArrayList<>();
    for (String h : headers) all.addAll(parse(h));
    for (Challenge c : all) if (c.isBearer()) return c;
    for (Challenge c : all) if (c.isBasic()) return c;
    return null;
  }

  /**
   * Parses one header value, which may hold several challenges. Quoted values may contain commas,
   * spaces and backslash escapes; a token68 credential (e.g. {@code Negotiate abc=}) is skipped.
   */
  static List<Challenge> parse(String header) {
    List<Challenge> out = new ArrayList<>();
    if (header == null) return out;
    Cursor c = new Cursor(header);
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      c.skip(" \t,");
      if (c.done()) break;
      String token = c.token();
      if (token.isEmpty()) {
        c.pos++; // stray character: skip it
        continue;
      }
      int save = c.pos;
      c.skip(" \t");
      if (scheme != null && c.peek() == '=' && c.peekAt(1) != '=' && !c.atEndAfterEquals()) {
        c.pos++;
        c.skip(" \t");
        String value = c.peek() == '"' ? c.quoted() : c.token();
        params.putIfAbsent(token.toLowerCase(Locale.ROOT), value);
        continue;
      }
      c.pos = save;
      if (scheme != null && !c.done() && c.peek() == '=') { // token68 of the current scheme
        while (!c.done() && c.peek() == '=') c.pos++;
        continue;
      }
      if (scheme != null) out.add(new Challenge(scheme, params));
      scheme = token.toLowerCase(Locale.ROOT);
      params = new LinkedHashMap<>();
    }
    if (scheme != null) out.add(new Challenge(scheme, params));
    return out;
  }

  private static final class Cursor {
    final String s;
    int pos;

    Cursor(String s) {
      this.s = s;
    }

    boolean done() {
      return pos >= s.length();
    }

    char peek() {
      return peekAt(0);
    }

    char peekAt(int k) {
      return pos + k < s.length() ? s.charAt(pos + k) : '\0';
    }

    /**
     * True when the '=' at pos is followed only by blanks, then a comma or the end (token68
     * padding).
     */
    boolean atEndAfterEquals() {
      int i = pos + 1;
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
      return i >= s.length() || s.charAt(i) == ',';
    }

    void skip(String chars) {
      while (!done() && chars.indexOf(s.charAt(pos)) >= 0) pos++;
    }

    /** An RFC 7230 token (plus the token68 characters / and +). */
    String token() {
      int start = pos;
      while (!done()) {
        char ch = s.charAt(pos);
        if (Character.isLetterOrDigit(ch) || "!#$%&'*+-.^_`|~/:".indexOf(ch) >= 0) pos++;
        else break;
      }
      return s.substring(start, pos);
    }

    String quoted() {
      StringBuilder b = new StringBuilder();
      pos++; // opening quote
      while (!done()) {
        char ch = s.charAt(pos++);
        if (ch == '\\' && !done()) b.append(s.charAt(pos++));
        else if (ch == '"') break;
        else b.append(ch);
      }
      return b.toString();
    }
  }
}
