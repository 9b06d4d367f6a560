package dev.caulk.audit;

import java.util.Locale;

/** Byte counts for people, exact count alongside: "35.2 MB (35212345 bytes)". */
final class Sizes {
  private Sizes() {}

  static String bytes(long n) {
    return human(n) + " (" + n + " bytes)";
  }

  /** Decimal units, like docker and skopeo. */
  static String human(long bytes) {
    if (bytes < 1000) return bytes + " B";
    String[] units = {"kB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
