package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * The value detectors: token formats with a fixed prefix or shape, cloud credentials, JWTs and
 * private keys. Each has a stable id (used by ignores and fingerprints), cheap lower-case keywords
 * that must occur before its regex runs, and a check that throws out placeholders and low-entropy
 * strings.
 *
 * <p>Token shapes come from the issuers' published formats as summarised in Trivy's and gitleaks'
 * rule sets (reference/audit.md, Appendix A); the regexes here are written for this project. They
 * run on RE2/J, whose matching time is linear in the text whatever the pattern, so a hostile 1 MiB
 * line cannot make it super-linear. RE2 has no look-around: a token's boundaries are written as
 * {@code (?:^|[^X])} before and {@code (?:$|[^X])} after it (group 1 is the token), and the next
 * search starts at the token's end, so a boundary character is never taken from the token after it.
 */
final class Detectors {
  static final String CRITICAL = "CRITICAL";
  static final String HIGH = "HIGH";
  static final String MEDIUM = "MEDIUM";

  /** A detector finds candidate secrets in text and adds them to {@code out}. */
  interface Detector {
    String id();

    /** What it finds, for rule lists (a hit may say more, e.g. which PEM type). */
    String title();

    /** The severity of its hits. */
    String severity();

    void find(String text, String lower, List<Raw> out);
  }

  /**
   * A regex detector: group 1 is the secret; it must pass {@link Placeholders#plausible} with
   * {@code minEntropy} and the extra {@code check}. Keywords are looked up in the lower-cased text,
   * or in the text itself when {@code caseSensitive} (for tokens whose prefix has one case only,
   * such as {@code AKIA}).
   *
   * <p>None of these patterns can match across a line break, so only the lines that hold a keyword
   * are searched: the same matches as a search of the whole text, found without running the regex
   * over lines that cannot match (most of any file).
   */
  record RegexDetector(
      String id,
      String title,
      String severity,
      List<String> keywords,
      boolean caseSensitive,
      Pattern pattern,
      double minEntropy,
      Predicate<String> check)
      implements Detector {
    @Override
    public void find(String text, String lower, List<Raw> out) {
      int[] lines = linesWith(caseSensitive ? text : lower, keywords);
      if (lines.length == 0) {
        return;
      }
      for (int k = 0; k < lines.length; k += 2) {
        int base = lines[k];
        String line = text.substring(base, lines[k + 1]);
        Matcher m = pattern.matcher(line);
        int from = 0;
        while (from <= line.length() && m.find(from)) {
          from = Math.max(m.end(1), m.start() + 1);
          String value = m.group(1);
          if (Placeholders.plausible(value, minEntropy) && check.test(value)) {
            out.add(new Raw(id, title, severity, base + m.start(1), base + m.end(1), value));
          }
        }
      }
    }
  }

  /**
   * The lines of {@code hay} that contain one of the keywords, as start and end offsets ({@code
   * [s0, e0, s1, e1, …]}, end exclusive, before the {@code \n}), in text order and without repeats.
   * {@code hay} must have the same length and line breaks as the text searched later (the text or
   * its lower-case form).
   */
  static int[] linesWith(String hay, List<String> keywords) {
    java.util.TreeMap<Integer, Integer> lines = new java.util.TreeMap<>();
    for (String k : keywords) {
      int i = hay.indexOf(k);
      while (i >= 0) {
        int start = hay.lastIndexOf('\n', i) + 1;
        int end = hay.indexOf('\n', i);
        if (end < 0) {
          end = hay.length();
        }
        lines.put(start, end);
        i = end >= hay.length() ? -1 : hay.indexOf(k, end + 1);
      }
    }
    int[] out = new int[lines.size() * 2];
    int n = 0;
    for (java.util.Map.Entry<Integer, Integer> e : lines.entrySet()) {
      out[n++] = e.getKey();
      out[n++] = e.getValue();
    }
    return out;
  }

  private static RegexDetector token(
      String id, String title, String severity, String keyword, String regex) {
    return new RegexDetector(
        id, title, severity, List.of(keyword), false, Pattern.compile(regex), 3.0, v -> true);
  }

  /**
   * All value detectors, strongest first; the order decides which of two overlapping hits is kept.
   */
  static final List<Detector> ALL =
      List.of(
          new GcpServiceAccount(),
          new RegexDetector(
              "aws-access-key-id",
              "AWS access key ID",
              CRITICAL,
              List.of(
                  "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA",
                  "APKA"),
              true,
              Pattern.compile(
                  "(?:^|[^A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z2-7]{16})"
                      + "(?:$|[^A-Za-z0-9])"),
              3.0,
              v -> true),
          new RegexDetector(
              "aws-secret-access-key",
              "AWS secret access key",
              CRITICAL,
              List.of("secret"),
              false,
              Pattern.compile(
                  "(?i)(?:^|[^A-Za-z0-9])(?:aws_?)?secret_?access_?key[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?"
                      + "([A-Za-z0-9/+]{40})(?:$|[^A-Za-z0-9/+=])"),
              4.0,
              v -> true),
          token(
              "github-pat",
              "GitHub personal access token",
              CRITICAL,
              "ghp_",
              "(?:^|[^A-Za-z0-9_])(ghp_[A-Za-z0-9]{36,})(?:$|[^A-Za-z0-9_])"),
          token(
              "github-oauth",
              "GitHub OAuth access token",
              CRITICAL,
              "gho_",
              "(?:^|[^A-Za-z0-9_])(gho_[A-Za-z0-9]{36,})(?:$|[^A-Za-z0-9_])"),
          new RegexDetector(
              "github-app-token",
              "GitHub app token",
              CRITICAL,
              List.of("ghu_", "ghs_"),
              false,
              Pattern.compile("(?:^|[^A-Za-z0-9_])(gh[us]_[A-Za-z0-9]{36,})(?:$|[^A-Za-z0-9_])"),
              3.0,
              v -> true),
          token(
              "github-refresh-token",
              "GitHub refresh token",
              CRITICAL,
              "ghr_",
              "(?:^|[^A-Za-z0-9_])(ghr_[A-Za-z0-9]{36,})(?:$|[^A-Za-z0-9_])"),
          token(
              "github-fine-grained-pat",
              "GitHub fine-grained personal access token",
              CRITICAL,
              "github_pat_",
              "(?:^|[^A-Za-z0-9_])(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?:$|[^A-Za-z0-9_])"),
          token(
              "gitlab-pat",
              "GitLab personal access token",
              CRITICAL,
              "glpat-",
              "(?:^|[^A-Za-z0-9_-])(glpat-[A-Za-z0-9_-]{20,}(?:\\.[A-Za-z0-9_-]{1,50}){0,3})(?:$|[^A-Za-z0-9_-])"),
          token(
              "slack-token",
              "Slack token",
              HIGH,
              "xox",
              "(?:^|[^A-Za-z0-9-])(xox[abeoprs]-(?:[0-9]{1,20}-){1,4}[A-Za-z0-9][A-Za-z0-9-]{9,})(?:$|[^A-Za-z0-9-])"),
          token(
              "slack-webhook",
              "Slack incoming webhook URL",
              MEDIUM,
              "hooks.slack.com",
              "https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_]{8,12}/[A-Za-z0-9_]{8,24}/"
                  + "([A-Za-z0-9_]{16,48})(?:$|[^A-Za-z0-9_])"),
          token(
              "stripe-secret-key",
              "Stripe live secret key",
              CRITICAL,
              "sk_live_",
              "(?:^|[^A-Za-z0-9_])(sk_live_[A-Za-z0-9]{20,})(?:$|[^A-Za-z0-9])"),
          token(
              "stripe-restricted-key",
              "Stripe live restricted key",
              HIGH,
              "rk_live_",
              "(?:^|[^A-Za-z0-9_])(rk_live_[A-Za-z0-9]{20,})(?:$|[^A-Za-z0-9])"),
          token(
              "npm-access-token",
              "npm access token",
              CRITICAL,
              "npm_",
              "(?:^|[^A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?:$|[^A-Za-z0-9])"),
          // "pypi-AgEIcHlwaS5vcmc" is the base64 start of every PyPI macaroon ("pypi.org" location
          // caveat)
          token(
              "pypi-upload-token",
              "PyPI upload token",
              HIGH,
              "pypi-ageichlwas5vcmc",
              "(?:^|[^A-Za-z0-9_-])(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})(?:$|[^A-Za-z0-9_-])"),
          // JWS (three parts) and JWE (five parts; the encrypted key is empty for "dir"); parts may
          // keep '=' padding
          new RegexDetector(
              "jwt",
              "JSON Web Token",
              MEDIUM,
              List.of("ey"),
              true,
              Pattern.compile(
                  "(?:^|[^A-Za-z0-9_-])(ey[A-Za-z0-9_-]{8,}={0,2}\\.(?:[A-Za-z0-9_-]*\\."
                      + "[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}|[A-Za-z0-9_-]{8,}={0,2}\\."
                      + "[A-Za-z0-9_-]{16,}={0,2}))(?:$|[^A-Za-z0-9_=-])"),
              3.0,
              Detectors::jwtHeader),
          new RegexDetector(
              "docker-config-auth",
              "Registry credentials in a Docker config (auth)",
              HIGH,
              List.of("\"auth\""),
              false,
              Pattern.compile("\"auth\"[ \\t]{0,20}:[ \\t]{0,20}\"([A-Za-z0-9+/]{8,}={0,2})\""),
              2.0,
              Detectors::dockerAuth),
          new PemPrivateKey(),
          new PuttyPrivateKey(),
          new KubernetesSecret());

  private Detectors() {}

  /**
   * A Docker config {@code auth} is base64 of {@code user:password}; the password must be there and
   * real.
   */
  static boolean dockerAuth(String auth) {
    try {
      String up = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
      int colon = up.indexOf(':');
      return colon >= 0
          && up.length() - colon - 1 >= 4
          && !Placeholders.isPlaceholder(up.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A JWT's first part must decode (base64url, RFC 7515 §2) to a JSON object naming an {@code alg}.
   */
  static boolean jwtHeader(String token) {
    String header = token.substring(0, token.indexOf('.')).replace("=", "");
    try {
      String json =
          new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8).strip();
      return json.startsWith("{") && json.endsWith("}") && json.contains("\"alg\"");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
