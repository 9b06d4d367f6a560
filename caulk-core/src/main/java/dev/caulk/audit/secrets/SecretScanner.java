package dev.caulk.audit.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds credentials in file content and in strings from image metadata, and masks them for display.
 *
 * <p>Detectors (ids are stable): {@code aws-access-key-id}, {@code aws-secret-access-key}, {@code
 * gcp-service-account}, {@code github-pat}, {@code github-oauth}, {@code github-app-token}, {@code
 * github-refresh-token}, {@code github-fine-grained-pat}, {@code gitlab-pat}, {@code slack-token},
 * {@code slack-webhook}, {@code stripe-secret-key}, {@code stripe-restricted-key}, {@code
 * npm-access-token}, {@code pypi-upload-token}, {@code jwt}, {@code private-key} (PEM, and DER
 * PKCS#8/PKCS#1/SEC1 files), the declarative rules of {@link SecretRules} (docs/secrets.md lists
 * them), {@code pkcs12-file} and {@code generic-secret} (high-entropy values assigned to
 * secret-looking names). Every candidate is checked against placeholder rules ({@code <your
 * token>}, {@code ${VAR}}, {@code changeme}, {@code example}, {@code xxxx}, repeated characters,
 * AWS's documented example keys…) before it is reported.
 *
 * <p>Bounded: at most {@value #MAX_SCAN_BYTES} bytes of a file are examined and at most {@value
 * #MAX_HITS} hits are returned per call, so a hostile file costs linear time and bounded memory.
 */
public final class SecretScanner {
  /** Most bytes of a file that are scanned; callers should read no more than this. */
  public static final int MAX_SCAN_BYTES = 1 << 20;

  /** Most hits returned by one call. */
  public static final int MAX_HITS = 100;

  /** Detector id for PKCS#12 key stores. */
  public static final String PKCS12 = "pkcs12-file";

  private SecretScanner() {}

  /** The ids of all built-in detectors, for documentation, configuration checks and rule lists. */
  public static List<String> detectorIds() {
    List<String> ids = new ArrayList<>();
    for (SecretDetector d : detectors()) {
      ids.add(d.id());
    }
    return ids.stream().distinct().toList();
  }

  /**
   * Every built-in detector's id, title and severity, in {@link #detectorIds()} order, so an audit
   * can describe the rules its secret findings come from. A configured book lists its own ({@link
   * SecretRuleBook#rules()}).
   */
  public static List<SecretDetector> detectors() {
    return SecretRuleBook.builtIn().rules();
  }

  /**
   * Whether a value is a placeholder rather than a secret: empty, {@code <your token>}, {@code
   * ${VAR}}, {@code changeme}, {@code example}, repeated characters and the other rules of
   * docs/secrets.md.
   */
  public static boolean isPlaceholder(String value) {
    return Placeholders.isPlaceholder(value);
  }

  /**
   * Scans the first bytes of a file.
   *
   * <p>Text content goes through every detector. Binary content (a NUL byte or mostly control
   * characters in the first 8 KiB) is only checked for DER private keys, PKCS#12 stores (whose
   * outer length must equal {@code fileSize}) and Java key stores (JKS/JCEKS magic). Files named
   * {@code *.p12}, {@code *.pfx} or {@code *.pkcs12} are reported as PKCS#12 stores whatever their
   * content, except trust stores ({@code cacerts}, names containing {@code truststore}), which hold
   * certificates, not keys. Credential files known by name ({@code .netrc}, {@code .pgpass}, {@code
   * settings.xml}…) are also parsed by their structure.
   *
   * @param path the file's path in the image, used for its name and extension only
   * @param head the file's leading bytes; only the first {@value #MAX_SCAN_BYTES} are looked at
   * @param fileSize the file's full size in bytes (at least {@code head.length} when known)
   */
  public static List<SecretHit> scan(String path, byte[] head, long fileSize) {
    return SecretRuleBook.builtIn().scan(path, head, fileSize);
  }

  /** {@link #scan(String, byte[], long)} when the whole file is in {@code content}. */
  public static List<SecretHit> scan(String path, byte[] content) {
    return scan(path, content, content.length);
  }

  /**
   * Scans a string from image metadata, such as a history {@code created_by} line, a label value or
   * an entrypoint, with every text detector. Lines are counted from 1 within the string.
   */
  public static List<SecretHit> scanText(String text) {
    return SecretRuleBook.builtIn().scanText(text);
  }

  /**
   * Scans one name/value pair, such as an {@code ENV} entry, a build argument or a label. The value
   * goes through every detector; in addition, when the name looks secret ({@link #isSecretName})
   * and the value is long, random and no placeholder, it is reported as {@code generic-secret} even
   * without an assignment in the text.
   */
  public static List<SecretHit> scanAssignment(String name, String value) {
    return SecretRuleBook.builtIn().scanAssignment(name, value);
  }

  /**
   * Whether a variable name says it holds a secret: it contains PASSWORD, PASSWD, API_KEY,
   * PRIVATE_KEY or SECRET_KEY, has SECRET, SECRETS or PASSPHRASE as a word, or ends in TOKEN, AUTH
   * or CREDENTIAL(S); unless it ends in a word like FILE, PATH, URL, NAME or ID, which name a
   * reference rather than the secret. camelCase, dashes and dots count as word breaks.
   */
  public static boolean isSecretName(String name) {
    return GenericAssignments.isSecretName(name);
  }

  /**
   * Whether the leading bytes look like binary content (see {@link #scan(String, byte[], long)}).
   */
  public static boolean isBinary(byte[] head, int length) {
    return BinaryContent.isBinary(head, Math.min(length, head.length));
  }

  /**
   * Masks a secret for display: never more than 4 leading characters, then {@code ****}. Values of
   * 20 characters or more show 4 (enough for a token prefix such as {@code ghp_} or {@code AKIA}),
   * 12 to 19 show 2, shorter values show none. The mask has a fixed length so it does not reveal
   * the secret's length either; characters that could drive a terminal are shown as {@code ?}.
   */
  public static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "****";
    }
    int n = secret.codePointCount(0, secret.length());
    int show = n >= 20 ? 4 : n >= 12 ? 2 : 0;
    StringBuilder sb = new StringBuilder();
    secret
        .codePoints()
        .limit(show)
        .forEach(
            cp ->
                sb.appendCodePoint(
                    Character.isISOControl(cp) || !Character.isDefined(cp) ? '?' : cp));
    return sb.append("****").toString();
  }

  /**
   * Masks a value for display by {@code inspect} and in findings: the whole value when the name
   * looks secret ({@link #isSecretName}); otherwise each detected secret inside the value (a token
   * in a command line, a {@code --password=…} argument) is replaced by its mask and the rest is
   * kept. Values without secrets come back unchanged. {@code name} may be null for free text such
   * as a history line.
   */
  public static String maskValue(String name, String value) {
    return SecretRuleBook.builtIn().maskValue(name, value);
  }

  /**
   * Runs every built-in detector on a text that is not a file (see {@link SecretRuleBook#detect}).
   */
  static List<Raw> detect(String text) {
    return SecretRuleBook.builtIn().detect(text, null);
  }

  /** Runs every built-in detector on a file's text, with the parsers its name calls for. */
  static List<Raw> detect(String text, String path) {
    return SecretRuleBook.builtIn().detect(text, path);
  }

  /**
   * The text in lower case with the same length, so offsets found in one hold in the other ({@code
   * "İ"} lower-cases to two characters with {@link String#toLowerCase}; here each character is
   * lowered on its own).
   */
  static String lowerSameLength(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.length() == text.length()) {
      return lower;
    }
    char[] cs = text.toCharArray();
    for (int i = 0; i < cs.length; i++) {
      cs[i] = Character.toLowerCase(cs[i]);
    }
    return new String(cs);
  }
}
