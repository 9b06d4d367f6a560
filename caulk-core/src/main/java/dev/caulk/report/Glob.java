package dev.caulk.report;

import com.google.re2j.Pattern;

/**
 * Path globs for ignore entries, matched against absolute paths inside an image. Written by hand
 * instead of {@code FileSystem.getPathMatcher} because that depends on the host's file system and
 * we match image paths.
 *
 * <p>{@code *} matches within one path segment, {@code **} any number of whole segments (including
 * none), {@code ?} one character other than {@code /}; everything else is literal. A glob without a
 * leading {@code /} is taken relative to the root, since every image path is absolute.
 */
final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  static Glob compile(String glob) {
    String g = glob.startsWith("/") ? glob : "/" + glob;
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*') {
        boolean dbl = i + 1 < g.length() && g.charAt(i + 1) == '*';
        if (dbl) {
          boolean segmentStart = i > 0 && g.charAt(i - 1) == '/';
          boolean segmentEnd = i + 2 == g.length() || g.charAt(i + 2) == '/';
          if (segmentStart && segmentEnd && i + 2 < g.length()) {
            re.append("(?:[^/]*/)*"); // "/**/" also matches "/"
            i += 3;
          } else {
            re.append(".*");
            i += 2;
          }
        } else {
          re.append("[^/]*");
          i++;
        }
      } else if (c == '?') {
        re.append("[^/]");
        i++;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return new Glob(glob, Pattern.compile(re.toString()));
  }

  boolean matches(String absolutePath) {
    return pattern.matcher(absolutePath).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
