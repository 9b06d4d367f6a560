package dev.caulk.elf;

import org.jspecify.annotations.Nullable;

/**
 * Dynamic string token substitution in {@code DT_NEEDED}, {@code DT_RPATH}, {@code DT_RUNPATH} and
 * {@code LD_LIBRARY_PATH} values ({@code ld.so(8)} "Dynamic string tokens"): {@code $ORIGIN},
 * {@code $LIB}, {@code $PLATFORM} and their {@code ${...}} forms. As in glibc's {@code is_dst}, an
 * unbraced name must not be followed by an identifier character, and an unknown {@code $} sequence
 * is kept literally. A {@code null} value for a token leaves that token unexpanded (musl knows only
 * {@code $ORIGIN}).
 */
final class Dst {
  private Dst() {}

  static String expand(
      String value, @Nullable String origin, @Nullable String lib, @Nullable String platform) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 32);
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '$') {
        int consumed;
        if ((consumed = match(value, i + 1, "ORIGIN")) > 0 && origin != null) {
          out.append(origin);
        } else if ((consumed = match(value, i + 1, "LIB")) > 0 && lib != null) {
          out.append(lib);
        } else if ((consumed = match(value, i + 1, "PLATFORM")) > 0 && platform != null) {
          out.append(platform);
        } else {
          consumed = 0;
          out.append('$');
        }
        i += 1 + consumed;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Length of {@code NAME} or {@code {NAME}} at {@code at}, or 0 when it is not that token. */
  private static int match(String s, int at, String name) {
    boolean curly = at < s.length() && s.charAt(at) == '{';
    int start = curly ? at + 1 : at;
    if (!s.startsWith(name, start)) {
      return 0;
    }
    int after = start + name.length();
    if (curly) {
      return after < s.length() && s.charAt(after) == '}' ? name.length() + 2 : 0;
    }
    if (after < s.length()) {
      char next = s.charAt(after);
      if ((next >= 'a' && next <= 'z')
          || (next >= 'A' && next <= 'Z')
          || (next >= '0' && next <= '9')
          || next == '_') {
        return 0;
      }
    }
    return name.length();
  }
}
