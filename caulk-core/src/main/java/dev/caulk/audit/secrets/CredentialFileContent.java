package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * Credential files parsed by their structure, chosen by the file's name: a password in {@code
 * .netrc} or {@code .pgpass} has no variable name and often too little entropy for the generic
 * rule, yet the file's format says exactly which field is the secret. Each parser reports the
 * secret field when it is not a placeholder ({@link Placeholders#isPlaceholder}) and has at least
 * {@value #MIN_LENGTH} characters.
 *
 * <p>Formats: netrc ({@code machine h login u password p}, tokens on one or more lines; GNU
 * inetutils netrc(5)), pgpass ({@code host:port:database:user:password}, {@code \:} escapes;
 * PostgreSQL libpq docs), git's credential store ({@code https://user:password@host};
 * git-credential-store(1)), {@code .pypirc} ({@code password =}), {@code .npmrc} ({@code
 * _authToken}, {@code _auth}, {@code _password}), Maven {@code settings.xml} ({@code <password>},
 * {@code <passphrase>}), kubeconfig ({@code token:}, {@code password:}, {@code client-key-data:})
 * and WordPress {@code wp-config.php} ({@code define('DB_PASSWORD', '…')}). Patterns are RE2/J,
 * linear in the file.
 */
final class CredentialFileContent {
  static final int MIN_LENGTH = 4;
  private static final String HIGH = Detectors.HIGH;

  static final List<SecretDetector> DETECTORS =
      List.of(
          new SecretDetector("netrc-password", "Password in a .netrc file", HIGH),
          new SecretDetector("pgpass-password", "Password in a .pgpass file", HIGH),
          new SecretDetector(
              "git-credentials-password", "Password or token in git's credential store", HIGH),
          new SecretDetector("pypirc-password", "Password in a .pypirc file", HIGH),
          new SecretDetector("npmrc-auth", "npm registry token or password in .npmrc", HIGH),
          new SecretDetector("maven-settings-password", "Password in Maven settings.xml", HIGH),
          new SecretDetector(
              "kubeconfig-credential", "Token, password or client key in a kubeconfig", HIGH),
          new SecretDetector(
              "wordpress-db-password", "WordPress database password in wp-config.php", HIGH));

  private static final Pattern NETRC = Pattern.compile("(?:^|\\s)password\\s+(\\S+)");
  private static final Pattern GIT_CREDENTIALS =
      Pattern.compile("(?m)^[a-z][a-z0-9+.-]{0,20}://[^:/@\\s]*:([^@\\s]+)@");
  private static final Pattern PYPIRC =
      Pattern.compile("(?m)^[ \\t]*password[ \\t]*[:=][ \\t]*(\\S[^\\r\\n]*)");
  private static final Pattern NPMRC =
      Pattern.compile("(?m)(?:^|:)_(?:authToken|auth|password)[ \\t]*=[ \\t]*[\"']?([^\\s\"']+)");
  private static final Pattern MAVEN =
      Pattern.compile("<(password|passphrase|master)>[ \\t\\r\\n]*([^<\\s][^<]*?)[ \\t\\r\\n]*</");
  private static final Pattern KUBECONFIG =
      Pattern.compile(
          "(?m)^[ \\t]*(?:-[ \\t]+)?(?:token|password|client-key-data|id-token|refresh-token|access-token)[ \\t]*:"
              + "[ \\t]*[\"']?([^\\s\"'#]+)");
  private static final Pattern WORDPRESS =
      Pattern.compile(
          "define\\([ \\t]*['\"]DB_PASSWORD['\"][ \\t]*,[ \\t]*(?:'([^'\\r\\n]+)'|\"([^\"\\r\\n]+)\")");

  private CredentialFileContent() {}

  /**
   * Adds the secret fields of a credential file to {@code out}.
   *
   * @param name the file's lower-case base name
   * @param path the file's path with a leading slash
   */
  static void find(String name, String path, String text, List<Raw> out) {
    switch (name) {
      case ".netrc", "_netrc" -> all(NETRC, 1, "netrc-password", text, out);
      case ".pgpass", "pgpass.conf" -> pgpass(text, out);
      case ".git-credentials" -> all(GIT_CREDENTIALS, 1, "git-credentials-password", text, out);
      case ".pypirc" -> all(PYPIRC, 1, "pypirc-password", text, out);
      case ".npmrc" -> all(NPMRC, 1, "npmrc-auth", text, out);
      case "settings.xml", "settings-security.xml" -> {
        if (path.contains("/.m2/")) {
          all(MAVEN, 2, "maven-settings-password", text, out);
        }
      }
      case "wp-config.php" -> {
        all(WORDPRESS, 1, "wordpress-db-password", text, out);
        all(WORDPRESS, 2, "wordpress-db-password", text, out);
      }
      default -> {
        if (path.endsWith("/.kube/config") || name.contains("kubeconfig")) {
          all(KUBECONFIG, 1, "kubeconfig-credential", text, out);
        }
      }
    }
  }

  private static void all(Pattern p, int group, String id, String text, List<Raw> out) {
    Matcher m = p.matcher(text);
    int from = 0;
    while (from <= text.length() && m.find(from)) {
      from = Math.max(m.end(), m.start() + 1);
      String v = m.group(group);
      if (v != null) {
        add(id, m.start(group), v.strip(), out);
      }
    }
  }

  /** {@code host:port:database:user:password} per line; {@code \:} and {@code \\} are escapes. */
  private static void pgpass(String text, List<Raw> out) {
    int line = 0;
    while (line < text.length()) {
      int end = text.indexOf('\n', line);
      if (end < 0) {
        end = text.length();
      }
      if (text.charAt(line) != '#') {
        int field = 0;
        int i = line;
        while (i < end && field < 4) {
          char c = text.charAt(i);
          if (c == '\\') {
            i++;
          } else if (c == ':') {
            field++;
          }
          i++;
        }
        if (field == 4 && i < end) {
          add("pgpass-password", i, text.substring(i, end).strip(), out);
        }
      }
      line = end + 1;
    }
  }

  private static void add(String id, int start, String value, List<Raw> out) {
    if (value.length() < MIN_LENGTH || Placeholders.isPlaceholder(value)) {
      return;
    }
    String title =
        DETECTORS.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow().title();
    out.add(new Raw(id, title, HIGH, start, start + value.length(), value));
  }
}
