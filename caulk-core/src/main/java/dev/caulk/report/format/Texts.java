package dev.caulk.report.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Text helpers shared by the writers: escaping untrusted strings and stable JSON output. */
final class Texts {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
              .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
              .build());

  private Texts() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Pretty JSON with two-space indent and LF line ends whatever the platform, then a final newline.
   */
  static void writeJson(JsonNode node, Writer out) throws IOException {
    DefaultPrettyPrinter pp =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    MAPPER.writer(pp).writeValue(out, node);
    out.write('\n');
    out.flush();
  }

  /**
   * Makes untrusted text safe for one terminal line: control characters (C0, DEL, C1), line and
   * paragraph separators and bidirectional overrides become visible escapes such as a backslash-n
   * or backslash-u001b, so a file name cannot move the cursor, recolour the screen or reorder what
   * is shown.
   */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = null;
      if (c == '\n') {
        rep = "\\n";
      } else if (c == '\t') {
        rep = "\\t";
      } else if (c == '\r') {
        rep = "\\r";
      } else if (c < 0x20
          || (c >= 0x7f && c <= 0x9f)
          || c == '\u2028'
          || c == '\u2029'
          || (c >= '\u202a' && c <= '\u202e')
          || (c >= '\u2066' && c <= '\u2069')
          || c == '\u200e'
          || c == '\u200f') {
        rep = String.format("\\u%04x", (int) c);
      }
      if (rep != null && sb == null) {
        sb = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (sb != null) {
        sb.append(rep != null ? rep : String.valueOf(c));
      }
    }
    return sb == null ? s : sb.toString();
  }

  /**
   * Replaces characters XML 1.0 does not allow (most C0 controls, unpaired surrogates,
   * U+FFFE/U+FFFF) with a visible backslash-uXXXX escape, so any finding text yields a well-formed
   * document.
   */
  static String xmlSafe(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      boolean ok =
          cp == 0x9
              || cp == 0xA
              || cp == 0xD
              || (cp >= 0x20 && cp <= 0xD7FF)
              || (cp >= 0xE000 && cp <= 0xFFFD)
              || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (ok) {
        sb.appendCodePoint(cp);
      } else {
        sb.append(String.format("\\u%04x", cp));
      }
      i += len;
    }
    return sb.toString();
  }

  /**
   * Percent-encodes text into a relative URI reference (RFC 3986 section 4.2): unreserved
   * characters, {@code /} and the sub-delimiters stay, everything else (including {@code :}, which
   * would otherwise read as a scheme in {@code nginx:1.25}) is encoded as UTF-8 octets.
   */
  static String uriPath(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~/!$&'()*+,;=@".indexOf(c) >= 0;
      if (keep) {
        sb.append((char) c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
