package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The catch-all detector ({@value #ID}): a value assigned to a secret-looking name, in any of the
 * usual syntaxes ({@code NAME=value}, {@code export NAME="value"}, {@code name: value}, {@code
 * "name": "value"}, {@code name => 'value'}, {@code --password=value}), when the value is long and
 * random enough.
 *
 * <p>Names are judged by whole words after splitting on {@code _ - .} and camelCase, so {@code
 * KEYCLOAK_URL}, {@code MONKEY} and {@code GPG_KEY} are not secret names (Dockle's substring match
 * flags them: issues #130, #250) while {@code DB_PASSWORD}, {@code clientSecret}, {@code
 * _authToken} and {@code STRIPE_API_KEY} are. Names ending in {@code _FILE}, {@code _PATH}, {@code
 * _URL} and similar hold a reference, not the secret.
 */
final class GenericAssignments implements Detectors.Detector {
  static final String ID = "generic-secret";
  static final String TITLE = "Secret assigned to a variable";

  /** Shortest value considered a secret. */
  static final int MIN_LENGTH = 8;

  /** Least Shannon entropy, in bits per character, for a value to count as random. */
  static final double MIN_ENTROPY = 3.0;

  /**
   * {@code name <op> value}: after a start, a non-name character or a {@code \\n}-style escape
   * (KEY=v inside a JSON string); an optional closing quote and bracket ({@code ENV['NAME'] = …});
   * an optional type ({@code var x string = …}, {@code val x: String = …}); the operators of
   * shells, Makefiles ({@code ?= ::= :::= +=}), PHP ({@code .= =>}), Go ({@code :=}), YAML and JSON
   * ({@code :}); a double-, single- or back-quoted value, or an unquoted one up to a blank, quote,
   * bracket, separator or backslash.
   */
  private static final Pattern ASSIGN =
      Pattern.compile(
          "(?:^|\\\\[nrt]|[^A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_.-]{0,99})[\"']?\\]?"
              + "(?:[ \\t]{0,20}:?[ \\t]{0,20}(?:string|String|str|&str|&'static str|\\[\\]byte|char ?\\*))?"
              + "[ \\t]{0,20}(?:=>|:::=|::=|:=|\\?=|\\+=|\\.=|=|:)[ \\t]{0,20}"
              + "(?:\"([^\"\\r\\n]+)\"|'([^'\\r\\n]+)'|`([^`\\r\\n]+)`"
              + "|([^\\s\"'`,;&{}()<>\\[\\]\\\\]+))");

  /**
   * {@code ("name", "value")}: System.setProperty, os.Setenv, PHP define, map puts. Quoted values
   * only.
   */
  private static final Pattern PAIR =
      Pattern.compile(
          "[\"']([A-Za-z_][A-Za-z0-9_.-]{0,99})[\"'][ \\t]{0,20},[ \\t]{0,20}"
              + "(?:\"([^\"\\r\\n]+)\"|'([^'\\r\\n]+)')");

  /** {@code <name attr…>value</…>} on one line. */
  private static final Pattern XML_ELEMENT =
      Pattern.compile(
          "<([A-Za-z_][A-Za-z0-9_.:-]{0,99})(?:[ \\t][^<>]*)?>[ \\t]*([^<\\s][^<\\r\\n]*?)[ \\t]*</");

  /** {@code <name attr…>} alone on its line: the value is on the next line. */
  private static final Pattern XML_OPEN =
      Pattern.compile("[ \\t]*<([A-Za-z_][A-Za-z0-9_.:-]{0,99})(?:[ \\t][^<>]*)?>[ \\t]*");

  /** .NET {@code <add key="ApiKey" value="…"/>}. */
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "key[ \\t]*=[ \\t]*[\"']([A-Za-z_][A-Za-z0-9_.:-]{0,99})[\"'][ \\t]+value[ \\t]*=[ \\t]*"
              + "(?:\"([^\"\\r\\n]+)\"|'([^'\\r\\n]+)')");

  private static final Pattern CAPITALS = Pattern.compile("[A-Z]+");
  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
  private static final Pattern NON_ALNUM = Pattern.compile("[^A-Z0-9]+");
  private static final Pattern EDGE_UNDERSCORES = Pattern.compile("^_+|_+$");
  private static final Pattern DOTTED_CODE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)+");
  private static final Pattern ONE_CASE_WORD = Pattern.compile("[a-z_.|-]+|[A-Z_.|-]+");
  private static final Pattern PROSE_WORD = Pattern.compile("[A-Za-z]+[.,;:!?]?");
  private static final Pattern CODE_WITH_SPACES = Pattern.compile("[(){}\\[\\];|&+,]");
  private static final Pattern URL_WITHOUT_USER =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^@\\s]*");
  private static final Set<String> WORDS = Set.of("SECRET", "SECRETS", "PASSPHRASE");
  private static final Set<String> LAST_WORDS =
      Set.of("TOKEN", "AUTH", "CREDENTIAL", "CREDENTIALS");
  private static final Set<String> REFERENCE_SUFFIXES =
      Set.of(
          "FILE",
          "PATH",
          "DIR",
          "URL",
          "URI",
          "ENDPOINT",
          "HOST",
          "PORT",
          "NAME",
          "USER",
          "USERNAME",
          "ID",
          "TYPE",
          "LENGTH",
          "LEN",
          "MIN",
          "MAX",
          "POLICY",
          "ENABLED",
          "REQUIRED",
          "EXPIRY",
          "EXPIRES",
          "TTL",
          "HEADER",
          "PARAM",
          "FIELD",
          "PREFIX",
          "HASH",
          "ALGORITHM",
          "VERSION",
          "COUNT",
          "MODE",
          "REF",
          "ARN",
          "ENCRYPTION",
          "METHOD",
          "FORMAT",
          "SCHEME",
          "PROVIDER",
          "CLASS",
          "PROMPT",
          "LABEL",
          "PATTERN",
          "REGEX",
          "TIMEOUT",
          "ATTEMPTS",
          "RESET",
          "CHARS",
          "STRENGTH",
          "COMPLEXITY",
          "EXPIRATION",
          "VALIDATOR",
          "HANDLER",
          "MANAGER",
          "ENCODING",
          "ENCODER",
          "MESSAGE",
          "TEXT",
          "DESCRIPTION",
          "HINT",
          "HELP",
          "ERROR");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return TITLE;
  }

  @Override
  public String severity() {
    return Detectors.HIGH;
  }

  /**
   * Every secret-looking name contains one of these (lower case); lines without any are skipped.
   */
  private static final List<String> KEYWORDS =
      List.of("secret", "token", "pass", "key", "auth", "credential");

  @Override
  public void find(String text, String lower, List<Raw> out) {
    // An assignment never spans lines (but for an XML value on its own line), and its name contains
    // a keyword:
    // search only the lines that hold one.
    int[] lines = Detectors.linesWith(lower, KEYWORDS);
    if (lines.length == 0) {
      return;
    }
    for (int k = 0; k < lines.length; k += 2) {
      int base = lines[k];
      String line = text.substring(base, lines[k + 1]);
      Matcher m = ASSIGN.matcher(line); // RE2/J: linear in the line whatever it holds
      int from = 0;
      while (from <= line.length() && m.find(from)) {
        from = Math.max(m.end(), m.start() + 1);
        if (!isSecretName(m.group(1))) {
          // a string assigned to another name may hold assignments after \n escapes (JSON "env":
          // "A=1\nTOKEN=…"):
          // go on inside it when it has such an escape (the next match starts after the name: a
          // bounded step)
          int g = m.group(2) != null ? 2 : m.group(3) != null ? 3 : m.group(4) != null ? 4 : 0;
          if (g != 0 && m.group(g).contains("\\n")) {
            from = m.start(g);
          }
        }
        check(line, m, base, out);
      }
      quoted(PAIR, line, base, out);
      quoted(KEY_VALUE, line, base, out);
      quoted(XML_ELEMENT, line, base, out);
      nextLineValue(text, line, lines[k + 1], out);
    }
  }

  private static void check(String text, Matcher m, int base, List<Raw> out) {
    if (!isSecretName(m.group(1))) {
      return;
    }
    int g = m.group(2) != null ? 2 : m.group(3) != null ? 3 : m.group(4) != null ? 4 : 5;
    String value = m.group(g);
    boolean quoted = g != 5;
    if (!quoted && m.end() < text.length() && "([.,;)".indexOf(text.charAt(m.end())) >= 0) {
      return; // password = os.getenv(…), token = cfg[…], {auth: kAuthSymbol, …}: code, not a
      // literal
    }
    String name = m.group(1);
    if (!quoted && (value.equals(name) || name.endsWith("." + value))) {
      return; // exports.FooAuth = FooAuth
    }
    if (plausibleValue(value, quoted)) {
      out.add(new Raw(ID, TITLE, Detectors.HIGH, base + m.start(g), base + m.end(g), value));
    }
  }

  /** Group 1 is the name, the first non-null group after it the (quoted) value. */
  private static void quoted(Pattern p, String line, int base, List<Raw> out) {
    Matcher m = p.matcher(line);
    int from = 0;
    while (from <= line.length() && m.find(from)) {
      from = Math.max(m.end(), m.start() + 1);
      if (!isSecretName(m.group(1))) {
        continue;
      }
      int g = m.group(2) != null ? 2 : 3;
      String value = m.group(g);
      if (value != null && plausibleValue(value, true)) {
        out.add(new Raw(ID, TITLE, Detectors.HIGH, base + m.start(g), base + m.end(g), value));
      }
    }
  }

  /** {@code <password>}, then the value alone on the next line, then {@code </password>}. */
  private static void nextLineValue(String text, String line, int eol, List<Raw> out) {
    if (line.indexOf('<') < 0 || eol >= text.length()) {
      return;
    }
    Matcher open = XML_OPEN.matcher(line);
    if (!open.matches() || !isSecretName(open.group(1))) {
      return;
    }
    int start = eol + 1;
    int end = text.indexOf('\n', start);
    if (end < 0) {
      end = text.length();
    }
    if (end - start > 520) {
      return;
    }
    String next = text.substring(start, end);
    String close = "</" + open.group(1);
    int closeAt = next.indexOf(close);
    String value = (closeAt >= 0 ? next.substring(0, closeAt) : next).strip();
    boolean closed = closeAt >= 0 || text.startsWith(close, skipBlanks(text, end + 1));
    if (!closed || value.isEmpty() || value.indexOf('<') >= 0) {
      return;
    }
    int at = start + next.indexOf(value);
    if (plausibleValue(value, true)) {
      out.add(new Raw(ID, TITLE, Detectors.HIGH, at, at + value.length(), value));
    }
  }

  private static int skipBlanks(String text, int p) {
    int limit = Math.min(text.length(), p + 200);
    while (p < limit && Character.isWhitespace(text.charAt(p))) {
      p++;
    }
    return p;
  }

  /**
   * True for letters-and-underscores values that split into real words: camelCase, PascalCase and
   * snake_case identifiers whose parts are words of 3 or more letters or acronyms of 2 or more
   * capitals. Random letters split into many 1- and 2-letter parts, so a generated secret without
   * digits still counts as a secret.
   */
  static boolean looksLikeWords(String v) {
    if (v.isEmpty()
        || !v.chars().allMatch(c -> c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      return false;
    }
    List<String> parts = new ArrayList<>();
    for (String chunk : v.split("_")) {
      int i = 0;
      while (i < chunk.length()) {
        int k = i;
        while (k < chunk.length() && Character.isUpperCase(chunk.charAt(k))) {
          k++;
        }
        if (k - i > 1 && k < chunk.length()) {
          parts.add(chunk.substring(i, k - 1)); // "OIDValue": the last capital starts the next word
          i = k - 1;
          continue;
        }
        if (k - i > 1 || k == chunk.length()) {
          parts.add(chunk.substring(i, k)); // an acronym, or a single trailing capital
          i = k;
          continue;
        }
        while (k < chunk.length() && Character.isLowerCase(chunk.charAt(k))) {
          k++;
        }
        parts.add(chunk.substring(i, k)); // "word" or "Word"
        i = k;
      }
    }
    for (String part : parts) {
      boolean acronym = part.chars().allMatch(Character::isUpperCase);
      if (part.length() < (acronym ? 2 : 3)) {
        return false;
      }
    }
    return !parts.isEmpty();
  }

  /**
   * Capital letters only, at least 10, with at most a quarter vowels: generated ({@code
   * QXKZPWMRTVBNLJHG}), not a word or a constant name in capitals ({@code AUTHENTICATION}: vowels
   * make up about 40% of English words).
   */
  static boolean randomCapitals(String v) {
    if (v.length() < 10 || !CAPITALS.matcher(v).matches()) {
      return false;
    }
    long vowels = v.chars().filter(c -> "AEIOUY".indexOf(c) >= 0).count();
    return vowels * 4 <= v.length();
  }

  /**
   * A sentence: several blank-separated words of letters, as in {@code 'Password used to generate
   * key'}.
   */
  static boolean isProse(String v) {
    String[] words = v.trim().split("\\s+");
    if (words.length < 2) {
      return false;
    }
    for (String w : words) {
      if (!PROSE_WORD.matcher(w).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Whether a variable name says its value is a secret; see the class comment for the rules. */
  static boolean isSecretName(String name) {
    if (name == null || name.isBlank()) {
      return false;
    }
    String n = CAMEL.matcher(name.strip()).replaceAll("$1_$2").toUpperCase(Locale.ROOT);
    n = EDGE_UNDERSCORES.matcher(NON_ALNUM.matcher(n).replaceAll("_")).replaceAll("");
    if (n.isEmpty()) {
      return false;
    }
    String[] words = n.split("_");
    String last = words[words.length - 1];
    if (REFERENCE_SUFFIXES.contains(last)) {
      return false;
    }
    if (n.contains("PASSWORD")
        || n.contains("PASSWD")
        || n.contains("APIKEY")
        || n.contains("API_KEY")
        || n.contains("PRIVATE_KEY")
        || n.contains("PRIVATEKEY")
        || n.contains("SECRET_KEY")) {
      return true;
    }
    for (String w : words) {
      if (WORDS.contains(w)) {
        return true;
      }
    }
    return LAST_WORDS.contains(last);
  }

  /**
   * Whether an assigned value looks like a real secret: long enough, random enough, not a
   * placeholder, not a single-case word, not a path, text with a URL but no credentials, a PEM
   * armour line (the key detector judges those) or code (blanks together with brackets, operators
   * or commas), and (when unquoted) not a dotted code expression.
   */
  static boolean plausibleValue(String value, boolean quoted) {
    String v = value.strip();
    if (v.length() < MIN_LENGTH
        || v.startsWith("/")
        || v.startsWith("./")
        || v.startsWith("../")
        || v.startsWith("~/")
        || v.startsWith("-----")) {
      return false;
    }
    if (Placeholders.isPlaceholder(v) || Placeholders.entropy(v) < MIN_ENTROPY) {
      return false;
    }
    if ((ONE_CASE_WORD.matcher(v).matches() && !randomCapitals(v))
        || URL_WITHOUT_USER.matcher(v).matches()) {
      return false;
    }
    if ((looksLikeWords(v) && !randomCapitals(v)) || isProse(v)) {
      return false; // identifiers such as clientAuth or _EllipticCurvePrivateKey, and sentences
    }
    if (v.contains("://") && v.indexOf('@') < 0) {
      return false; // text with a URL but no credentials in it
    }
    if (CODE_WITH_SPACES.matcher(v).find() && v.chars().anyMatch(Character::isWhitespace)) {
      return false; // the "value" is source code between two string literals: ") ||
      // lower.contains("
    }
    return quoted || !DOTTED_CODE.matcher(v).matches();
  }
}
