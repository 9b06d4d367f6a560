package dev.caulk.report;

import java.util.Locale;

/**
 * Byte counts for people, in one place: sizes of images, layers and files in decimal units as
 * docker and skopeo print them ({@code 35.2 MB}), limits in binary units as flags take them ({@code
 * 8.0 MiB}).
 */
public final class Bytes {
  private static final String[] DECIMAL = {"kB", "MB", "GB", "TB", "PB", "EB"};
  private static final String[] BINARY = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Bytes() {}

  /** {@code 812 B}, {@code 1.2 MB}, {@code 345 MB}: decimal units, like docker and skopeo. */
  public static String human(long bytes) {
    return format(bytes, 1000, DECIMAL);
  }

  /** {@code 35.2 MB (35212345 bytes)}: the readable size with the exact count beside it. */
  public static String withCount(long bytes) {
    return human(bytes) + " (" + bytes + " bytes)";
  }

  /** {@code 812 B}, {@code 8.0 MiB}: binary units, for limits that flags give in KiB/MiB/GiB. */
  public static String binary(long bytes) {
    return format(bytes, 1024, BINARY);
  }

  private static String format(long bytes, int base, String[] units) {
    if (bytes < 0) return Long.toString(bytes);
    if (bytes < base) return bytes + " B";
    double v = bytes;
    int u = -1;
    while (v >= base && u < units.length - 1) {
      v /= base;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
