package dev.caulk.scan.version;

import java.util.Objects;

/**
 * SemVer 2.0.0 precedence (semver.org §11), in three flavours that differ only in how they read the
 * string.
 *
 * <ul>
 *   <li>{@link #GO_STRICT}: {@code golang.org/x/mod/semver} exactly. The {@code v} is required;
 *       {@code v1} and {@code v1.2} are shorthands for {@code v1.0.0} and {@code v1.2.0} (without
 *       pre-release or build only).
 *   <li>{@link #GO_OSV}: the same, but the {@code v} may be left out, as the Go vulnerability
 *       database does.
 *   <li>{@link #SEMVER}: SemVer 2.0.0 for OSV {@code SEMVER} ranges, npm and crates.io; an optional
 *       leading {@code v} is read, and {@link #isValid} demands all three numbers.
 * </ul>
 *
 * <p>All three: no leading zeros in numbers or numeric pre-release identifiers; build metadata
 * (including Go's {@code +incompatible}) is ignored; Go pseudo-versions such as {@code
 * v0.0.0-20191109021931-daa7c04131f5} or {@code v1.2.4-0.20191109021931-daa7c04131f5} need no
 * special case, because their pre-release part already puts them below the release they precede;
 * invalid strings sort below every valid string and equal to each other.
 */
final class SemverScheme implements VersionScheme {
  static final SemverScheme GO_STRICT = new SemverScheme("go-module", true, false);
  static final SemverScheme GO_OSV = new SemverScheme("go", false, false);
  static final SemverScheme SEMVER = new SemverScheme("semver", false, true);

  private final String name;
  private final boolean requireV;
  private final boolean fullInValid;

  private SemverScheme(String name, boolean requireV, boolean fullInValid) {
    this.name = name;
    this.requireV = requireV;
    this.fullInValid = fullInValid;
  }

  /**
   * A parsed version; {@code shorthand} marks {@code v1} / {@code v1.2}; pre-release is empty when
   * absent.
   */
  record Parsed(String major, String minor, String patch, String prerelease, boolean shorthand) {}

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isValid(String version) {
    Parsed p = read(Objects.requireNonNull(version, "version"));
    return p != null && !(fullInValid && p.shorthand());
  }

  @Override
  public int compare(String a, String b) {
    Parsed x = read(Objects.requireNonNull(a, "a"));
    Parsed y = read(Objects.requireNonNull(b, "b"));
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    int c = DpkgScheme.compareDigitRuns(x.major(), y.major());
    if (c == 0) {
      c = DpkgScheme.compareDigitRuns(x.minor(), y.minor());
    }
    if (c == 0) {
      c = DpkgScheme.compareDigitRuns(x.patch(), y.patch());
    }
    return c != 0 ? c : comparePrerelease(x.prerelease(), y.prerelease());
  }

  private Parsed read(String v) {
    if (v.startsWith("v")) {
      return parse(v.substring(1));
    }
    return requireV ? null : parse(v);
  }

  /** Parses {@code MAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]} (no {@code v}); null when invalid. */
  static Parsed parse(String s) {
    int[] pos = {0};
    String major = number(s, pos);
    if (major == null) {
      return null;
    }
    if (pos[0] == s.length()) {
      return new Parsed(major, "0", "0", "", true);
    }
    if (s.charAt(pos[0]++) != '.') {
      return null;
    }
    String minor = number(s, pos);
    if (minor == null) {
      return null;
    }
    if (pos[0] == s.length()) {
      return new Parsed(major, minor, "0", "", true);
    }
    if (s.charAt(pos[0]++) != '.') {
      return null;
    }
    String patch = number(s, pos);
    if (patch == null) {
      return null;
    }
    String pre = "";
    int p = pos[0];
    if (p < s.length() && s.charAt(p) == '-') {
      int end = s.indexOf('+', p);
      end = end < 0 ? s.length() : end;
      pre = s.substring(p + 1, end);
      if (!identifiers(pre, true)) {
        return null;
      }
      p = end;
    }
    if (p < s.length() && s.charAt(p) == '+') {
      if (!identifiers(s.substring(p + 1), false)) {
        return null;
      }
      p = s.length();
    }
    return p == s.length() ? new Parsed(major, minor, patch, pre, false) : null;
  }

  private static String number(String s, int[] pos) {
    int start = pos[0];
    int k = start;
    while (k < s.length() && DpkgScheme.isAsciiDigit(s.charAt(k))) {
      k++;
    }
    if (k == start || (s.charAt(start) == '0' && k - start > 1)) {
      return null;
    }
    pos[0] = k;
    return s.substring(start, k);
  }

  /**
   * Dot-separated non-empty {@code [0-9A-Za-z-]} identifiers; numeric ones without leading zeros if
   * asked.
   */
  private static boolean identifiers(String s, boolean noLeadingZeros) {
    for (String id : s.split("\\.", -1)) {
      if (id.isEmpty()) {
        return false;
      }
      boolean numeric = true;
      for (int k = 0; k < id.length(); k++) {
        char c = id.charAt(k);
        boolean digit = DpkgScheme.isAsciiDigit(c);
        if (!(digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) {
          return false;
        }
        numeric &= digit;
      }
      if (noLeadingZeros && numeric && id.length() > 1 && id.charAt(0) == '0') {
        return false;
      }
    }
    return true;
  }

  /**
   * SemVer §11.3-11.4: a release beats any pre-release; identifiers numeric < alphanumeric; longer
   * wins ties.
   */
  static int comparePrerelease(String x, String y) {
    if (x.equals(y)) {
      return 0;
    }
    if (x.isEmpty() || y.isEmpty()) {
      return x.isEmpty() ? 1 : -1;
    }
    String[] xs = x.split("\\.");
    String[] ys = y.split("\\.");
    for (int k = 0; k < Math.min(xs.length, ys.length); k++) {
      boolean xn = xs[k].chars().allMatch(c -> c >= '0' && c <= '9');
      boolean yn = ys[k].chars().allMatch(c -> c >= '0' && c <= '9');
      int c;
      if (xn && yn) {
        c = DpkgScheme.compareDigitRuns(xs[k], ys[k]);
      } else if (xn != yn) {
        c = xn ? -1 : 1;
      } else {
        c = Integer.signum(xs[k].compareTo(ys[k]));
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(xs.length, ys.length);
  }

  @Override
  public String toString() {
    return "VersionScheme[" + name + "]";
  }
}
