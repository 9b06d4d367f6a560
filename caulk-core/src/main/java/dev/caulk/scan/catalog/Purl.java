package dev.caulk.scan.catalog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A package URL ({@code pkg:type/namespace/name@version?qualifiers#subpath}) in its canonical form.
 *
 * <p>Encoding follows the purl specification ("Characters and encoding"): every component is UTF-8
 * and percent-encoded except the alphanumerics, {@code .-_~}, and the colon, which "MUST NOT be
 * percent-encoded, whether used as a Separator Character or otherwise". So a Debian epoch stays
 * {@code 1:2.4.47-2} while {@code +} becomes {@code %2B} (the spec's own test vector is {@code
 * pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64}), and a {@code /} inside a qualifier value
 * becomes {@code %2F}. Qualifiers are sorted by key, keys are lower-cased and empty values dropped.
 * {@link #parse} accepts the older over-encoded forms such as {@code sha256%3A…}.
 *
 * <p>Type rules applied here: {@code deb}, {@code apk} and {@code rpm} namespace and name are
 * lower-cased as their type definitions require. {@code golang} keeps its case: Go module paths are
 * case-sensitive and the spec's test suite only warns about upper case there.
 *
 * @param type the package type, lower case ({@code deb}, {@code apk}, {@code golang}, {@code
 *     maven}, …)
 * @param namespace the namespace, {@code /}-separated, or null
 * @param name the name, never empty
 * @param version the version, or null
 * @param qualifiers the qualifiers, sorted by key
 * @param subpath the subpath, or null
 */
public record Purl(
    String type,
    String namespace,
    String name,
    String version,
    SortedMap<String, String> qualifiers,
    String subpath) {

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern PURL_TYPE =
      com.google.re2j.Pattern.compile("[a-z][a-z0-9.+-]*");

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern QUALIFIER_KEY =
      com.google.re2j.Pattern.compile("[a-z][a-z0-9._-]*");

  public Purl {
    Objects.requireNonNull(type, "type");
    type = type.toLowerCase(Locale.ROOT);
    if (type.isEmpty() || !PURL_TYPE.matches(type)) {
      throw new IllegalArgumentException("invalid purl type '" + type + "'");
    }
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("purl name is required");
    if (namespace != null && namespace.isEmpty()) namespace = null;
    if (version != null && version.isEmpty()) version = null;
    if (subpath != null && subpath.isEmpty()) subpath = null;
    if (type.equals("deb") || type.equals("apk") || type.equals("rpm")) {
      name = name.toLowerCase(Locale.ROOT);
      if (namespace != null) namespace = namespace.toLowerCase(Locale.ROOT);
    }
    TreeMap<String, String> q = new TreeMap<>();
    if (qualifiers != null) {
      for (Map.Entry<String, String> e : qualifiers.entrySet()) {
        if (e.getValue() == null || e.getValue().isEmpty()) continue;
        String key = e.getKey().toLowerCase(Locale.ROOT);
        if (!QUALIFIER_KEY.matches(key))
          throw new IllegalArgumentException("invalid purl qualifier key '" + key + "'");
        q.put(key, e.getValue());
      }
    }
    qualifiers = Collections.unmodifiableSortedMap(q);
  }

  /** A purl without qualifiers or subpath. */
  public static Purl of(String type, String namespace, String name, String version) {
    return new Purl(type, namespace, name, version, null, null);
  }

  /** This purl with one more qualifier (an empty or null value removes it). */
  public Purl withQualifier(String key, String value) {
    TreeMap<String, String> q = new TreeMap<>(qualifiers);
    if (value == null || value.isEmpty()) q.remove(key);
    else q.put(key, value);
    return new Purl(type, namespace, name, version, q, subpath);
  }

  /** The canonical string form. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("pkg:").append(type).append('/');
    if (namespace != null) {
      for (String seg : namespace.split("/")) {
        if (!seg.isEmpty()) sb.append(encode(seg)).append('/');
      }
    }
    sb.append(encode(name));
    if (version != null) sb.append('@').append(encode(version));
    if (!qualifiers.isEmpty()) {
      char sep = '?';
      for (Map.Entry<String, String> e : qualifiers.entrySet()) {
        sb.append(sep).append(e.getKey()).append('=').append(encode(e.getValue()));
        sep = '&';
      }
    }
    if (subpath != null) {
      StringBuilder sp = new StringBuilder();
      for (String seg : subpath.split("/")) {
        if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) continue;
        if (sp.length() > 0) sp.append('/');
        sp.append(encode(seg));
      }
      if (sp.length() > 0) sb.append('#').append(sp);
    }
    return sb.toString();
  }

  /**
   * Parses a purl string (canonical or not) into its components, decoding percent escapes.
   *
   * @throws IllegalArgumentException when the string is not a purl
   */
  public static Purl parse(String s) {
    if (s == null || !s.regionMatches(true, 0, "pkg:", 0, 4))
      throw new IllegalArgumentException("not a purl: missing pkg: scheme");
    String rest = s.substring(4);
    while (rest.startsWith("/")) rest = rest.substring(1);
    String subpath = null;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      subpath = decode(stripSlashes(rest.substring(hash + 1)));
      rest = rest.substring(0, hash);
    }
    TreeMap<String, String> qualifiers = new TreeMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String pair : rest.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) continue;
        qualifiers.put(
            pair.substring(0, eq).toLowerCase(Locale.ROOT), decode(pair.substring(eq + 1)));
      }
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) throw new IllegalArgumentException("not a purl: missing type or name");
    String type = rest.substring(0, slash);
    rest = stripSlashes(rest.substring(slash + 1));
    String version = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      version = decode(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    int lastSlash = rest.lastIndexOf('/');
    String name = decode(rest.substring(lastSlash + 1));
    String namespace = null;
    if (lastSlash > 0) {
      StringBuilder ns = new StringBuilder();
      for (String seg : rest.substring(0, lastSlash).split("/")) {
        if (seg.isEmpty()) continue;
        if (ns.length() > 0) ns.append('/');
        ns.append(decode(seg));
      }
      namespace = ns.toString();
    }
    return new Purl(type, namespace, name, version, qualifiers, subpath);
  }

  private static String stripSlashes(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '/') b++;
    while (e > b && s.charAt(e - 1) == '/') e--;
    return s.substring(b, e);
  }

  /**
   * Percent-encodes all but the purl spec's unreserved set: alphanumerics, {@code .-_~} and {@code
   * :}.
   */
  static String encode(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_'
          || c == '~'
          || c == ':') {
        sb.append((char) c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < s.length()
          && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
