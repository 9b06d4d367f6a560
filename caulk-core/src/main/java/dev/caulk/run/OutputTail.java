package dev.caulk.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the end of a container's output file, bounded, and makes it safe to show: control
 * characters other than newline and tab become {@code ?}, so a hostile image cannot drive the
 * terminal of whoever reads an error message.
 */
final class OutputTail {
  private OutputTail() {}

  /**
   * The last {@code max} bytes of {@code file} (starting at a line when one begins in them), or ""
   * when absent.
   */
  static String read(Path file, int max) throws IOException {
    if (!Files.isRegularFile(file)) return "";
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long size = f.length();
      long start = Math.max(0, size - max);
      byte[] b = new byte[(int) (size - start)];
      f.seek(start);
      f.readFully(b);
      String s = new String(b, StandardCharsets.UTF_8);
      if (start > 0) {
        int nl = s.indexOf('\n');
        if (nl >= 0 && nl < s.length() - 1) s = s.substring(nl + 1);
      }
      return clean(s);
    }
  }

  /** Replaces control characters except newline and tab, and drops carriage returns. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') continue;
      boolean unsafe =
          c != '\n'
              && c != '\t'
              && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
      b.append(unsafe ? '?' : c);
    }
    return b.toString();
  }
}
