package dev.caulk.report;

import com.google.re2j.Pattern;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * One suppression: findings of rule {@code id} (or of any rule, for {@code *}), optionally only on
 * paths matching {@code pathGlob}, optionally only until {@code expires}.
 *
 * <p>The text form, shared by {@code --ignore} and the lines of {@value IgnoreFile#NAME}, is
 *
 * <pre>ID [PATH-GLOB] [pkg:NAME] [exp:YYYY-MM-DD] [# reason]</pre>
 *
 * where PATH-GLOB starts with {@code /} or {@code **} (see {@link Glob} rules in
 * docs/report-formats.md) and {@code pkg:NAME} limits the ignore to findings about that package
 * ({@link Finding#packages()}: a vulnerability in {@code libssl3} is matched by {@code pkg:libssl3}
 * and by its source {@code pkg:openssl}). An expiring ignore still applies on its expiry date and
 * stops applying the day after, so a waiver written {@code exp:2026-03-31} covers all of March.
 *
 * @param id rule id, compared case-insensitively, or {@code *} for every rule
 * @param pathGlob glob over the finding's absolute path, or null for any path (including metadata
 *     findings)
 * @param expires last day the ignore applies, or null for no expiry
 * @param reason free text after {@code #}, or null
 * @param origin where it came from, for messages: {@code ".caulkignore:12"} or {@code "--ignore"}
 * @param packageName package name a finding must be about (exact, case-sensitive), or null for any
 *     finding
 */
public record Ignore(
    String id,
    String pathGlob,
    LocalDate expires,
    String reason,
    String origin,
    String packageName) {

  private static final Pattern ID = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /** Validates the id and the glob. */
  public Ignore {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("bad rule id '" + shorten(id) + "'");
    }
    if (pathGlob != null && !(pathGlob.startsWith("/") || pathGlob.startsWith("**"))) {
      throw new IllegalArgumentException(
          "path glob '" + shorten(pathGlob) + "' must be absolute (start with / or **)");
    }
    origin = origin == null ? "--ignore" : origin;
    if (packageName != null
        && (packageName.isEmpty() || packageName.chars().anyMatch(c -> c <= ' '))) {
      throw new IllegalArgumentException("bad package name 'pkg:" + shorten(packageName) + "'");
    }
  }

  /** An ignore not limited to a package. */
  public Ignore(String id, String pathGlob, LocalDate expires, String reason, String origin) {
    this(id, pathGlob, expires, reason, origin, null);
  }

  /** An ignore of every finding of one rule, with no path and no expiry. */
  public static Ignore of(String id) {
    return new Ignore(id, null, null, null, "--ignore");
  }

  /**
   * Parses the text form {@code ID [PATH-GLOB] [pkg:NAME] [exp:YYYY-MM-DD] [# reason]}.
   *
   * @param origin where the text came from, kept for messages
   * @throws IllegalArgumentException with a one-line message saying what is wrong; it never repeats
   *     more than a short prefix of the offending token
   */
  public static Ignore parse(String text, String origin) {
    String body = text;
    String reason = null;
    int hash = commentStart(text);
    if (hash >= 0) {
      reason = text.substring(hash + 1).strip();
      reason = reason.isEmpty() ? null : reason;
      body = text.substring(0, hash);
    }
    String[] tokens = body.strip().split("\\s+");
    if (tokens.length == 0 || tokens[0].isEmpty()) {
      throw new IllegalArgumentException("missing rule id");
    }
    String id = tokens[0];
    String glob = null;
    LocalDate expires = null;
    String pkg = null;
    for (int i = 1; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.toLowerCase(Locale.ROOT).startsWith("pkg:")) {
        if (pkg != null) {
          throw new IllegalArgumentException(
              "more than one pkg: selector; use one line per package");
        }
        pkg = t.substring(4);
        if (pkg.isEmpty()) {
          throw new IllegalArgumentException("empty pkg: selector: expected pkg:NAME");
        }
      } else if (t.toLowerCase(Locale.ROOT).startsWith("exp:")) {
        if (expires != null) {
          throw new IllegalArgumentException("more than one exp: date");
        }
        expires = parseDate(t.substring(4));
      } else if (t.startsWith("/") || t.startsWith("**")) {
        if (glob != null) {
          throw new IllegalArgumentException(
              "more than one path glob ('"
                  + shorten(glob)
                  + "' and '"
                  + shorten(t)
                  + "'); use one line per path");
        }
        glob = t;
      } else {
        throw new IllegalArgumentException(
            "unexpected '"
                + shorten(t)
                + "': expected a path glob starting with /, pkg:NAME or exp:YYYY-MM-DD");
      }
    }
    return new Ignore(id, glob, expires, reason, origin, pkg);
  }

  /** True when the expiry date has passed: {@code today} is after {@link #expires()}. */
  public boolean expired(LocalDate today) {
    return expires != null && today.isAfter(expires);
  }

  /**
   * True when this ignore suppresses the finding today: not expired, same rule id (or {@code *}),
   * when a package is given the finding is about it, and, when a glob is given, the finding has a
   * path that matches it.
   */
  public boolean matches(Finding finding, LocalDate today) {
    if (expired(today)) {
      return false;
    }
    if (!id.equals("*") && !id.equalsIgnoreCase(finding.id())) {
      return false;
    }
    if (packageName != null && !finding.packages().contains(packageName)) {
      return false;
    }
    if (pathGlob == null) {
      return true;
    }
    return finding.path() != null && Glob.compile(pathGlob).matches(finding.path());
  }

  /** {@link #matches} with the glob compiled once by the caller. */
  boolean matches(Finding finding, LocalDate today, Glob glob) {
    if (expired(today) || (!id.equals("*") && !id.equalsIgnoreCase(finding.id()))) {
      return false;
    }
    if (packageName != null && !finding.packages().contains(packageName)) {
      return false;
    }
    return glob == null || (finding.path() != null && glob.matches(finding.path()));
  }

  /** The text form, as accepted by {@link #parse}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(id);
    if (pathGlob != null) {
      sb.append(' ').append(pathGlob);
    }
    if (packageName != null) {
      sb.append(" pkg:").append(packageName);
    }
    if (expires != null) {
      sb.append(" exp:").append(expires);
    }
    return sb.toString();
  }

  /**
   * A {@code #} starts a comment at the start of the text or after a blank, so globs may not
   * contain " #".
   */
  static int commentStart(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
        return i;
      }
    }
    return -1;
  }

  private static LocalDate parseDate(String s) {
    if (DATE.matcher(s).matches()) {
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(
        "bad expiry date 'exp:" + shorten(s) + "': expected exp:YYYY-MM-DD");
  }

  static String shorten(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
