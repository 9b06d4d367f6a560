package dev.caulk.scan.catalog;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main section of a JAR manifest (JAR File Specification, "Manifest Specification"): lines end
 * in CRLF, LF or CR; a line starting with one space continues the previous one and is joined
 * without separator; the main section ends at the first empty line. Per-entry sections that follow
 * describe single files and never identify the archive, so they are not read. Lenient: malformed
 * lines are skipped, names are kept as written, the first occurrence of a name wins.
 */
final class JarManifest {
  private JarManifest() {}

  static Map<String, String> mainSection(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    Map<String, String> out = new LinkedHashMap<>();
    String name = null;
    StringBuilder value = null;
    int i = 0;
    int n = text.length();
    while (i <= n) {
      int end = i;
      while (end < n && text.charAt(end) != '\r' && text.charAt(end) != '\n') end++;
      String line = text.substring(i, end);
      if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') end++;
      i = end + 1;
      if (line.isEmpty()) {
        if (name != null || !out.isEmpty()) break;
        if (i > n) break;
        continue;
      }
      if (line.charAt(0) == ' ') {
        if (value != null) value.append(line, 1, line.length());
        continue;
      }
      if (name != null) out.putIfAbsent(name, value.toString().strip());
      int colon = line.indexOf(':');
      if (colon <= 0) {
        name = null;
        value = null;
        continue;
      }
      name = line.substring(0, colon).strip();
      String rest = line.substring(colon + 1);
      value = new StringBuilder(rest.startsWith(" ") ? rest.substring(1) : rest);
    }
    if (name != null) out.putIfAbsent(name, value.toString().strip());
    return out;
  }
}
