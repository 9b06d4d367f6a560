package dev.caulk.audit;

import dev.caulk.report.Bytes;

/**
 * Byte counts for people, exact count alongside: "35.2 MB (35212345 bytes)" (see {@link Bytes}).
 */
final class Sizes {
  private Sizes() {}

  static String bytes(long n) {
    return Bytes.withCount(n);
  }

  static String human(long bytes) {
    return Bytes.human(bytes);
  }
}
