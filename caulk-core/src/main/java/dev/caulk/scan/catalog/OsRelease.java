package dev.caulk.scan.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operating system an image is built on, from os-release(5) or the older release files.
 *
 * <p>Sources in order: {@code /etc/os-release}, then {@code /usr/lib/os-release} (the os-release(5)
 * fallback); only if neither names an {@code ID}, {@code /etc/alpine-release} ({@code 3.20.3}) or
 * {@code /etc/debian_version} ({@code 12.5}, or {@code trixie/sid} on testing). Ubuntu also ships
 * {@code debian_version}, so os-release always wins. Distroless images ship os-release but no
 * {@code /var/lib/dpkg/status}, only {@code status.d/}: that is {@link #distroless()}.
 *
 * @param id lower-case distribution id ({@code debian}, {@code ubuntu}, {@code alpine}, {@code
 *     wolfi}), or null
 * @param idLike {@code ID_LIKE} entries
 * @param name {@code NAME}, or null
 * @param versionId {@code VERSION_ID} ({@code 12}, {@code 22.04}, {@code 3.20.3}), or null
 * @param versionCodename {@code VERSION_CODENAME} ({@code bookworm}), or null
 * @param prettyName {@code PRETTY_NAME}, or null
 * @param distroless true when the dpkg database is the distroless {@code status.d} layout
 * @param evidence the file the id came from, or null
 */
public record OsRelease(
    String id,
    List<String> idLike,
    String name,
    String versionId,
    String versionCodename,
    String prettyName,
    boolean distroless,
    String evidence) {

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern ALPINE_VERSION =
      com.google.re2j.Pattern.compile("[0-9][0-9A-Za-z._-]*");

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern DOTTED_NUMBER =
      com.google.re2j.Pattern.compile("[0-9]+(\\.[0-9]+)*");

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern SID = com.google.re2j.Pattern.compile("[a-z]+/sid");

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern FIELD_NAME =
      com.google.re2j.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Nothing known. */
  public static final OsRelease UNKNOWN =
      new OsRelease(null, List.of(), null, null, null, null, false, null);

  public OsRelease {
    idLike = idLike == null ? List.of() : List.copyOf(idLike);
    if (id != null) id = id.toLowerCase(Locale.ROOT);
  }

  /** True when the distribution id is known. */
  public boolean isKnown() {
    return id != null;
  }

  /**
   * The purl {@code distro} qualifier: {@code ID-VERSION_ID} ({@code debian-12}, {@code
   * alpine-3.20.3}), else {@code ID-VERSION_CODENAME} (Debian testing has no number), else null.
   */
  public String distroQualifier() {
    if (id == null) return null;
    if (versionId != null) return id + "-" + versionId;
    if (versionCodename != null) return id + "-" + versionCodename;
    return null;
  }

  /** This release with the distroless flag set. */
  OsRelease withDistroless(boolean d) {
    return new OsRelease(id, idLike, name, versionId, versionCodename, prettyName, d, evidence);
  }

  /**
   * Parses os-release(5) text: {@code KEY=value} lines, values optionally in double or single
   * quotes with shell-style backslash escapes inside double quotes; comments and junk ignored.
   */
  public static OsRelease parseOsRelease(byte[] content, String evidence) {
    Map<String, String> kv = keyValues(content);
    String idLike = kv.get("ID_LIKE");
    List<String> like = new ArrayList<>();
    if (idLike != null) {
      for (String s : idLike.trim().split("\\s+"))
        if (!s.isEmpty()) like.add(s.toLowerCase(Locale.ROOT));
    }
    String id = blankToNull(kv.get("ID"));
    return new OsRelease(
        id,
        like,
        blankToNull(kv.get("NAME")),
        blankToNull(kv.get("VERSION_ID")),
        blankToNull(kv.get("VERSION_CODENAME")),
        blankToNull(kv.get("PRETTY_NAME")),
        false,
        id == null ? null : evidence);
  }

  /** From {@code /etc/alpine-release}: {@code 3.20.3} → id alpine, VERSION_ID 3.20.3. */
  static OsRelease fromAlpineRelease(byte[] content, String evidence) {
    String v = firstLine(content);
    if (v == null || !ALPINE_VERSION.matches(v)) return UNKNOWN;
    return new OsRelease(
        "alpine", List.of(), "Alpine Linux", v, null, "Alpine Linux v" + v, false, evidence);
  }

  /**
   * From {@code /etc/debian_version}: {@code 12.5} gives VERSION_ID 12 (os-release's form); {@code
   * trixie/sid} gives codename trixie and no number.
   */
  static OsRelease fromDebianVersion(byte[] content, String evidence) {
    String v = firstLine(content);
    if (v == null || v.isEmpty()) return UNKNOWN;
    if (DOTTED_NUMBER.matches(v)) {
      String major = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
      return new OsRelease(
          "debian",
          List.of(),
          "Debian GNU/Linux",
          major,
          null,
          "Debian GNU/Linux " + v,
          false,
          evidence);
    }
    if (SID.matches(v)) {
      String code = v.substring(0, v.indexOf('/'));
      return new OsRelease(
          "debian",
          List.of(),
          "Debian GNU/Linux",
          null,
          code,
          "Debian GNU/Linux " + v,
          false,
          evidence);
    }
    return UNKNOWN;
  }

  static Map<String, String> keyValues(byte[] content) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String raw : new String(content, StandardCharsets.UTF_8).split("\\r?\\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq <= 0) continue;
      String key = line.substring(0, eq).strip();
      if (!FIELD_NAME.matches(key)) continue;
      kv.put(key, unquote(line.substring(eq + 1).strip()));
    }
    return kv;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.charAt(0) == '\'' && v.charAt(v.length() - 1) == '\'')
      return v.substring(1, v.length() - 1);
    if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < v.length() - 1; i++) {
        char c = v.charAt(i);
        if (c == '\\' && i + 1 < v.length() - 1 && "\"\\$`".indexOf(v.charAt(i + 1)) >= 0)
          c = v.charAt(++i);
        sb.append(c);
      }
      return sb.toString();
    }
    return v;
  }

  private static String firstLine(byte[] content) {
    String s = new String(content, StandardCharsets.UTF_8).strip();
    int nl = s.indexOf('\n');
    return (nl >= 0 ? s.substring(0, nl) : s).strip();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
