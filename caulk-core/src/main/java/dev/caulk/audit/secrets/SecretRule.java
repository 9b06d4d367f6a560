package dev.caulk.audit.secrets;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A declarative secret rule: a credential type with a recognisable token format.
 *
 * <p>A rule runs on a text only when one of its {@code keywords} occurs in the lower-cased text
 * (one multi-literal pass for all rules, {@link KeywordIndex}), and then only on the lines that
 * hold one of its keywords, so the token and a keyword must share a line (the keyword is usually
 * the token's prefix). {@code pattern} is RE2/J (linear time); group 1 is the secret. The secret's
 * body (the secret without a leading keyword, such as {@code sk_test_}) must not be a placeholder
 * ({@link Placeholders#isPlaceholder}) and must have at least {@code minEntropy} bits of Shannon
 * entropy per character; a secret in which one of the {@code allow} patterns finds a match is not
 * reported.
 *
 * @param id stable id: lower-case letters, digits and dashes; the id of its findings
 * @param title what it finds, for people
 * @param severity the name of a {@code dev.caulk.report.Severity} constant (a string, as in {@link
 *     SecretHit}, so this package stays free of other caulk packages; ArchitectureTest holds it to
 *     that)
 * @param keywords lower-case literals (at least 2 characters) for the prefilter; at least one
 * @param pattern RE2/J pattern with at least one capturing group; group 1 is the secret
 * @param minEntropy minimum Shannon entropy of the secret's body, in bits per character (0 for
 *     none)
 * @param allow patterns that mark a matched secret as harmless
 */
public record SecretRule(
    String id,
    String title,
    String severity,
    List<String> keywords,
    Pattern pattern,
    double minEntropy,
    List<Pattern> allow) {
  private static final Set<String> SEVERITIES =
      Set.of("UNKNOWN", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL");
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

  /**
   * Checks the id's shape, the keywords (lower case, 2 or more characters) and that the pattern has
   * a group.
   */
  public SecretRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(pattern, "pattern");
    keywords = List.copyOf(keywords);
    allow = List.copyOf(allow);
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "rule id must be lower-case words joined by dashes: " + id);
    }
    if (!SEVERITIES.contains(severity)) {
      throw new IllegalArgumentException("rule " + id + ": unknown severity " + severity);
    }
    if (keywords.isEmpty()) {
      throw new IllegalArgumentException("rule " + id + " has no keyword");
    }
    for (String k : keywords) {
      if (k.length() < 2 || !k.equals(k.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "rule " + id + ": keywords are lower case, 2 or more characters: " + k);
      }
    }
    if (pattern.matcher("").groupCount() < 1) {
      throw new IllegalArgumentException(
          "rule " + id + ": the pattern needs a group for the secret");
    }
    if (minEntropy < 0) {
      throw new IllegalArgumentException("rule " + id + ": negative entropy");
    }
  }

  /**
   * The part of a secret that is checked for placeholders and entropy: the secret without the
   * longest keyword it starts with (case-insensitively), so a fixed prefix such as {@code sk_test_}
   * neither counts as randomness nor makes the token a "test" placeholder.
   */
  String body(String secret) {
    String lower = secret.toLowerCase(Locale.ROOT);
    int cut = 0;
    for (String k : keywords) {
      if (k.length() > cut && k.length() < secret.length() && lower.startsWith(k)) {
        cut = k.length();
      }
    }
    return secret.substring(cut);
  }

  /** Whether a matched secret is reported: not a placeholder, random enough, and not allowed. */
  boolean accepts(String secret) {
    String body = body(secret);
    if (!Placeholders.plausible(body, minEntropy)) {
      return false;
    }
    for (Pattern a : allow) {
      if (a.matcher(secret).find()) {
        return false;
      }
    }
    return true;
  }
}
