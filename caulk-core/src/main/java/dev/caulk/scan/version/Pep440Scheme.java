package dev.caulk.scan.version;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 version ordering for PyPI ("Version scheme" and "Summary of permitted suffixes and
 * relative ordering").
 *
 * <p>A version is {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]}; the grammar accepts PEP
 * 440's alternative spellings (case, {@code v} prefix, {@code -_.} separators, {@code
 * alpha/beta/c/pre/preview}, {@code rev/r}, {@code 1.0-1} as a post-release, implicit numbers).
 * Order: epoch; release with trailing zeros ignored; then {@code .devN} of a plain release &lt;
 * pre-releases (a &lt; b &lt; rc) &lt; the release &lt; post-releases, with {@code .devN} sorting
 * just before the version it is attached to; a local label sorts after the same public version,
 * segments compared numerically when all digits (numbers above words) and case-insensitively
 * otherwise.
 */
final class Pep440Scheme implements VersionScheme {
  static final Pep440Scheme INSTANCE = new Pep440Scheme();

  private static final Pattern GRAMMAR =
      Pattern.compile(
          "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
              + "(?:[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?"
              + "(?:-(?<postn1>[0-9]+)|[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?)?"
              + "(?:[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?"
              + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

  private Pep440Scheme() {}

  /** The parts that decide order; absent optional parts are null. */
  record Parsed(
      String epoch,
      String[] release,
      Integer preRank,
      String preNumber,
      String post,
      String dev,
      String[] local) {}

  @Override
  public String name() {
    return "pep440";
  }

  @Override
  public boolean isValid(String version) {
    return parse(Objects.requireNonNull(version, "version")) != null;
  }

  static Parsed parse(String version) {
    String v = version.strip().toLowerCase(Locale.ROOT);
    if (v.length() > 1024) {
      return null;
    }
    Matcher m = GRAMMAR.matcher(v);
    if (!m.matches()) {
      return null;
    }
    Integer preRank = null;
    String preNumber = null;
    if (m.group("prel") != null) {
      String l = m.group("prel");
      preRank = l.startsWith("a") ? 0 : l.startsWith("b") ? 1 : 2;
      preNumber = orZero(m.group("pren"));
    }
    String post =
        m.group("postn1") != null
            ? m.group("postn1")
            : m.group("postl") != null ? orZero(m.group("postn2")) : null;
    String dev = m.group("devl") != null ? orZero(m.group("devn")) : null;
    String local = m.group("local");
    return new Parsed(
        orZero(m.group("epoch")),
        m.group("release").split("\\."),
        preRank,
        preNumber,
        post,
        dev,
        local == null ? null : local.split("[-_.]"));
  }

  private static String orZero(String s) {
    return s == null ? "0" : s;
  }

  @Override
  public int compare(String a, String b) {
    Parsed x = parse(Objects.requireNonNull(a, "a"));
    Parsed y = parse(Objects.requireNonNull(b, "b"));
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    int c = DpkgScheme.compareDigitRuns(x.epoch(), y.epoch());
    for (int k = 0; c == 0 && k < Math.max(x.release().length, y.release().length); k++) {
      c =
          DpkgScheme.compareDigitRuns(
              k < x.release().length ? x.release()[k] : "0",
              k < y.release().length ? y.release()[k] : "0");
    }
    if (c == 0) {
      c = Integer.compare(preKey(x), preKey(y));
    }
    if (c == 0 && x.preRank() != null) {
      c = DpkgScheme.compareDigitRuns(x.preNumber(), y.preNumber());
    }
    if (c == 0) {
      c = optionalNumber(x.post(), y.post(), -1);
    }
    if (c == 0) {
      c = optionalNumber(x.dev(), y.dev(), 1);
    }
    return c != 0 ? c : compareLocal(x.local(), y.local());
  }

  /**
   * Where the pre-release slot sorts: a bare {@code .devN} release first, then a, b, rc, then no
   * pre-release.
   */
  private static int preKey(Parsed p) {
    if (p.preRank() != null) {
      return p.preRank();
    }
    return p.post() == null && p.dev() != null ? -1 : 3;
  }

  /**
   * Compares optional numbers; an absent one sorts at {@code absent} (-1 below, +1 above) every
   * present one.
   */
  private static int optionalNumber(String x, String y, int absent) {
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : absent) : -absent;
    }
    return DpkgScheme.compareDigitRuns(x, y);
  }

  private static int compareLocal(String[] x, String[] y) {
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    for (int k = 0; k < Math.min(x.length, y.length); k++) {
      boolean xn = x[k].chars().allMatch(ch -> ch >= '0' && ch <= '9');
      boolean yn = y[k].chars().allMatch(ch -> ch >= '0' && ch <= '9');
      int c =
          xn && yn
              ? DpkgScheme.compareDigitRuns(x[k], y[k])
              : xn != yn ? (xn ? 1 : -1) : Integer.signum(x[k].compareTo(y[k]));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  @Override
  public String toString() {
    return "VersionScheme[pep440]";
  }
}
