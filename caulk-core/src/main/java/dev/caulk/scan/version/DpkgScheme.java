package dev.caulk.scan.version;

import java.util.Objects;

/**
 * Debian version ordering, written from deb-version(7) and Debian Policy §5.6.12.
 *
 * <p>A version is {@code [epoch:]upstream[-revision]}: the epoch is the number before the first
 * colon, the revision is what follows the last hyphen. Epochs compare numerically; upstream and
 * revision compare with the policy's mixed algorithm: alternately the longest non-digit prefix,
 * character by character with {@code ~} before the end of the part, the end before letters and
 * letters before every other character, then the longest digit prefix numerically. Digit runs are
 * compared as strings of arbitrary length (no integer overflow, unlike ports that use {@code
 * Atoi}).
 */
final class DpkgScheme implements VersionScheme {
  static final DpkgScheme INSTANCE = new DpkgScheme();

  private DpkgScheme() {}

  @Override
  public String name() {
    return "dpkg";
  }

  /** The three parts of a version; invalid epochs are read as 0 so that comparison stays total. */
  record Parts(String epoch, String upstream, String revision) {}

  static Parts split(String version) {
    String s = version.strip();
    String epoch = "0";
    int colon = s.indexOf(':');
    if (colon > 0 && allDigits(s, 0, colon)) {
      epoch = s.substring(0, colon);
      s = s.substring(colon + 1);
    }
    int dash = s.lastIndexOf('-');
    if (dash < 0) {
      return new Parts(epoch, s, "");
    }
    return new Parts(epoch, s.substring(0, dash), s.substring(dash + 1));
  }

  /**
   * Valid when dpkg's parser accepts it without error: no blanks inside, a numeric epoch, a
   * non-empty upstream part starting with a digit and made of alphanumerics and {@code .+-~:}
   * (hyphen only with a revision, colon only with an epoch), and a non-empty revision of
   * alphanumerics and {@code .+~} when a hyphen is present.
   */
  @Override
  public boolean isValid(String version) {
    Objects.requireNonNull(version, "version");
    String s = version.strip();
    if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
      return false;
    }
    int colon = s.indexOf(':');
    boolean hasEpoch = colon >= 0;
    if (hasEpoch && (colon == 0 || !allDigits(s, 0, colon))) {
      return false;
    }
    String rest = hasEpoch ? s.substring(colon + 1) : s;
    int dash = rest.lastIndexOf('-');
    boolean hasRevision = dash >= 0;
    String upstream = hasRevision ? rest.substring(0, dash) : rest;
    String revision = hasRevision ? rest.substring(dash + 1) : "";
    if (upstream.isEmpty()
        || !isAsciiDigit(upstream.charAt(0))
        || (hasRevision && revision.isEmpty())) {
      return false;
    }
    for (int i = 0; i < upstream.length(); i++) {
      char c = upstream.charAt(i);
      boolean ok =
          isAsciiAlnum(c)
              || c == '.'
              || c == '+'
              || c == '~'
              || (c == '-' && hasRevision)
              || (c == ':' && hasEpoch);
      if (!ok) {
        return false;
      }
    }
    for (int i = 0; i < revision.length(); i++) {
      char c = revision.charAt(i);
      if (!(isAsciiAlnum(c) || c == '.' || c == '+' || c == '~')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compare(String a, String b) {
    Parts pa = split(Objects.requireNonNull(a, "a"));
    Parts pb = split(Objects.requireNonNull(b, "b"));
    int c = compareDigitRuns(pa.epoch, pb.epoch);
    if (c != 0) {
      return c;
    }
    c = verrevcmp(pa.upstream, pb.upstream);
    return c != 0 ? c : verrevcmp(pa.revision, pb.revision);
  }

  /** The policy comparison of one upstream or revision part. */
  static int verrevcmp(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      // Non-digit prefixes, one character at a time; a digit or the end weighs 0.
      while ((i < a.length() && !isAsciiDigit(a.charAt(i)))
          || (j < b.length() && !isAsciiDigit(b.charAt(j)))) {
        int ac = order(a, i);
        int bc = order(b, j);
        if (ac != bc) {
          return Integer.signum(ac - bc);
        }
        i++;
        j++;
      }
      int si = i;
      while (i < a.length() && isAsciiDigit(a.charAt(i))) {
        i++;
      }
      int sj = j;
      while (j < b.length() && isAsciiDigit(b.charAt(j))) {
        j++;
      }
      int c = compareDigitRuns(a.substring(si, i), b.substring(sj, j));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * Weight of the character at {@code i}: end or digit 0, {@code ~} -1, letters their code, others
   * code + 256.
   */
  private static int order(String s, int i) {
    if (i >= s.length()) {
      return 0;
    }
    char c = s.charAt(i);
    if (isAsciiDigit(c)) {
      return 0;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return c;
    }
    return c == '~' ? -1 : c + 256;
  }

  /**
   * Numeric comparison of two (possibly empty, possibly zero-padded) digit strings of any length.
   */
  static int compareDigitRuns(String a, String b) {
    String x = stripZeros(a);
    String y = stripZeros(b);
    if (x.length() != y.length()) {
      return x.length() < y.length() ? -1 : 1;
    }
    return Integer.signum(x.compareTo(y));
  }

  private static String stripZeros(String s) {
    int k = 0;
    while (k < s.length() && s.charAt(k) == '0') {
      k++;
    }
    return s.substring(k);
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!isAsciiDigit(s.charAt(k))) {
        return false;
      }
    }
    return to > from;
  }

  static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiAlnum(char c) {
    return isAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  @Override
  public String toString() {
    return "VersionScheme[dpkg]";
  }
}
