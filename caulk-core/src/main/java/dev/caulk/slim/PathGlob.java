package dev.caulk.slim;

import com.google.re2j.Pattern;

/**
 * A {@code --keep}/{@code --include} argument: an absolute image path, or a glob over image paths
 * ({@code *} within one component, {@code **} across components, {@code ?} one character, {@code
 * [...]} a class). Image paths are matched as strings, never through the host's file system.
 */
record PathGlob(String text, Pattern pattern) {
  /** True when the argument holds glob characters. */
  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /**
   * Compiles an argument; a relative one is taken from the root.
   *
   * @throws SlimException for an empty argument or an unclosed class
   */
  static PathGlob compile(String arg) throws SlimException {
    if (arg == null || arg.isBlank() || arg.indexOf('\0') >= 0)
      throw new SlimException("empty path or glob");
    String g = arg.startsWith("/") ? arg : "/" + arg;
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*') {
        if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
          boolean wholeSegment =
              g.charAt(i - 1) == '/' && (i + 2 == g.length() || g.charAt(i + 2) == '/');
          if (wholeSegment && i + 2 < g.length()) {
            re.append("(?:[^/]*/)*");
            i += 2;
          } else {
            re.append(".*");
            i++;
          }
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = g.indexOf(']', i + 2);
        if (end < 0) throw new SlimException("unclosed '[' in " + Entrypoint.quote(arg));
        String cls = g.substring(i + 1, end).replace("\\", "\\\\");
        if (cls.startsWith("!")) cls = "^" + cls.substring(1);
        re.append('[').append(cls.replace("[", "\\[")).append(']');
        i = end;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new PathGlob(arg, Pattern.compile(re.toString()));
  }

  boolean matches(String absolutePath) {
    return pattern.matcher(absolutePath).matches();
  }
}
