package dev.caulk.audit.secrets;

import com.google.re2j.Pattern;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recognises values that look like secrets but are not: documentation placeholders, template and
 * environment references, well-known example keys, and strings too regular to be random. False
 * positives are the top complaint about Dockle and Trivy secret checks (boto3 example keys, {@code
 * changeme} defaults), so every detector runs its candidate through {@link #isPlaceholder}.
 */
final class Placeholders {
  /**
   * Substrings (lower case) that mark a value as a stand-in, wherever they appear. A value that
   * names what it stands for ({@code MYTOKEN1}, {@code my-secret-2}) is a placeholder too; random
   * keys do not spell words.
   */
  private static final List<String> WORDS =
      List.of(
          "changeme",
          "change_me",
          "change-me",
          "changeit",
          "example",
          "xxxx",
          "dummy",
          "test",
          "sample",
          "placeholder",
          "fake",
          "redacted",
          "your_",
          "your-",
          "yourtoken",
          "yoursecret",
          "replace_me",
          "replaceme",
          "insert_",
          "todo",
          "fixme",
          "****",
          "....",
          "12345678",
          "abcdefgh",
          "token",
          "secret",
          "passw");

  /** Whole values (lower case) that are words, not secrets. */
  private static final Set<String> EXACT =
      Set.of(
          "null",
          "none",
          "nil",
          "true",
          "false",
          "undefined",
          "empty",
          "default",
          "password",
          "secret",
          "token",
          "required",
          "optional",
          "string",
          "value");

  private static final Pattern ENV_REF =
      Pattern.compile("\\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%");
  private static final Pattern VAR_PREFIX = Pattern.compile("\\$[A-Za-z_{(]");
  private static final Pattern YOUR_HERE = Pattern.compile("(?i)^your[-_ .].*|.*[-_ .]here$");

  private Placeholders() {}

  /** True when {@code value} is a placeholder, a reference to another value, or a known example. */
  static boolean isPlaceholder(String value) {
    if (value == null || value.isBlank()) {
      return true;
    }
    String v = value.strip();
    String lower = v.toLowerCase(Locale.ROOT);
    if (EXACT.contains(lower)) {
      return true;
    }
    if (v.startsWith("<") && v.endsWith(">")
        || (v.indexOf('<') >= 0 && v.indexOf('>') > v.indexOf('<'))) {
      return true; // <your token>, Bearer <token>
    }
    if (v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || v.contains("%(")
        || v.contains("#{")) {
      return true; // shell, Helm/Jinja, Python and Ruby templates
    }
    if (ENV_REF.matcher(v).matches()
        || YOUR_HERE.matcher(v).matches()
        || VAR_PREFIX.matcher(v).lookingAt()) {
      return true; // $VAR, %VAR%, your-token-here, $dir/private/key.pem
    }
    for (String w : WORDS) {
      if (lower.contains(w)) {
        return true;
      }
    }
    return distinct(v) <= 2;
  }

  /** Number of distinct characters; 1 or 2 means "aaaa…" or "abab…", never a real key. */
  static int distinct(String s) {
    return (int) s.chars().distinct().count();
  }

  /**
   * Shannon entropy in bits per character, over the characters of {@code s}. Random base64 is near
   * 6 (capped by length), hex near 4, English words around 2.5 to 3.
   */
  static double entropy(String s) {
    if (s.isEmpty()) {
      return 0;
    }
    Map<Character, Integer> counts = new HashMap<>();
    for (int i = 0; i < s.length(); i++) {
      counts.merge(s.charAt(i), 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = (double) c / s.length();
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }

  /** Convenience for detectors: a real secret is not a placeholder and is at least this random. */
  static boolean plausible(String value, double minEntropy) {
    return !isPlaceholder(value) && entropy(value) >= minEntropy;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
