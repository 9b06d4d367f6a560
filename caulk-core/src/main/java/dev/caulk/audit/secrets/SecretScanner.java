package dev.caulk.audit.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds credentials in file content and in strings from image metadata, and masks them for display.
 *
 * <p>Detectors (ids are stable): {@code aws-access-key-id}, {@code aws-secret-access-key},
 * {@code gcp-service-account}, {@code github-pat}, {@code github-oauth}, {@code github-app-token},
 * {@code github-refresh-token}, {@code github-fine-grained-pat}, {@code gitlab-pat}, {@code slack-token},
 * {@code slack-webhook}, {@code stripe-secret-key}, {@code stripe-restricted-key}, {@code npm-access-token},
 * {@code pypi-upload-token}, {@code jwt}, {@code private-key} (PEM, and DER PKCS#8/PKCS#1/SEC1 files), the
 * declarative rules of {@link SecretRules} (docs/secrets.md lists them), {@code pkcs12-file} and
 * {@code generic-secret} (high-entropy values assigned to secret-looking names). Every
 * candidate is checked against placeholder rules ({@code <your token>}, {@code ${VAR}}, {@code changeme},
 * {@code example}, {@code xxxx}, repeated characters, AWS's documented example keys…) before it is reported.
 *
 * <p>Bounded: at most {@value #MAX_SCAN_BYTES} bytes of a file are examined and at most {@value #MAX_HITS} hits
 * are returned per call, so a hostile file costs linear time and bounded memory.
 */
public final class SecretScanner {
  /** Most bytes of a file that are scanned; callers should read no more than this. */
  public static final int MAX_SCAN_BYTES = 1 << 20;
  /** Most hits returned by one call. */
  public static final int MAX_HITS = 100;
  /** Detector id for PKCS#12 key stores. */
  public static final String PKCS12 = "pkcs12-file";

  private static final List<Detectors.Detector> DETECTORS;
  private static final GenericAssignments GENERIC = new GenericAssignments();

  /** A declarative rule as a detector, for rule lists; {@link #detect} runs the rules together. */
  private record RuleDetector(SecretRule rule) implements Detectors.Detector {
    @Override
    public String id() {
      return rule.id();
    }

    @Override
    public String title() {
      return rule.title();
    }

    @Override
    public String severity() {
      return rule.severity();
    }

    @Override
    public void find(String text, String lower, List<Raw> out) {
      SecretRules.find(rule, text, lower, out);
    }
  }

  static {
    List<Detectors.Detector> all = new ArrayList<>(Detectors.ALL);
    for (SecretRule r : SecretRules.all()) {
      all.add(new RuleDetector(r));
    }
    all.add(GENERIC);
    DETECTORS = List.copyOf(all);
  }

  private SecretScanner() {}

  /** The ids of all detectors, for documentation, configuration checks and rule lists. */
  public static List<String> detectorIds() {
    List<String> ids = new ArrayList<>();
    for (Detectors.Detector d : DETECTORS) {
      ids.add(d.id());
    }
    ids.add(PKCS12);
    return ids.stream().distinct().toList();
  }

  /**
   * Every detector's id, title and severity, in {@link #detectorIds()} order, so an audit can describe the
   * rules its secret findings come from.
   */
  public static List<SecretDetector> detectors() {
    List<SecretDetector> out = new ArrayList<>();
    for (Detectors.Detector d : DETECTORS) {
      out.add(new SecretDetector(d.id(), d.title(), d.severity()));
    }
    out.add(new SecretDetector(PKCS12, "PKCS#12 key store", Detectors.HIGH));
    return List.copyOf(out);
  }

  /**
   * Whether a value is a placeholder rather than a secret: empty, {@code <your token>}, {@code ${VAR}},
   * {@code changeme}, {@code example}, repeated characters and the other rules of docs/secrets.md.
   */
  public static boolean isPlaceholder(String value) {
    return Placeholders.isPlaceholder(value);
  }

  /**
   * Scans the first bytes of a file.
   *
   * <p>Text content goes through every detector. Binary content (a NUL byte or mostly control characters in the
   * first 8 KiB) is only checked for DER private keys and PKCS#12 stores, whose outer length must equal
   * {@code fileSize}. Files named {@code *.p12}, {@code *.pfx} or {@code *.pkcs12} are reported as PKCS#12 stores
   * whatever their content, except trust stores ({@code cacerts}, names containing {@code truststore}), which
   * hold certificates, not keys.
   *
   * @param path the file's path in the image, used for its name and extension only
   * @param head the file's leading bytes; only the first {@value #MAX_SCAN_BYTES} are looked at
   * @param fileSize the file's full size in bytes (at least {@code head.length} when known)
   */
  public static List<SecretHit> scan(String path, byte[] head, long fileSize) {
    int length = Math.min(head.length, MAX_SCAN_BYTES);
    String name = basename(path);
    List<SecretHit> hits = new ArrayList<>();
    boolean trustStore = name.equals("cacerts") || name.equals("jssecacerts") || name.contains("truststore");
    boolean p12Name = name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".pkcs12");
    if (BinaryContent.isBinary(head, length)) {
      BinaryContent.DerKind kind = BinaryContent.derKind(head, length, fileSize);
      if ((kind == BinaryContent.DerKind.PKCS12 || p12Name) && !trustStore) {
        hits.add(new SecretHit(PKCS12, "PKCS#12 key store", Detectors.HIGH, 0, "****"));
      } else if (kind == BinaryContent.DerKind.PKCS8 || kind == BinaryContent.DerKind.PKCS1_RSA
          || kind == BinaryContent.DerKind.SEC1_EC) {
        hits.add(new SecretHit("private-key", "Private key (DER, " + derName(kind) + ")", Detectors.HIGH, 0, "****"));
      }
      return hits;
    }
    if (p12Name && !trustStore) {
      hits.add(new SecretHit(PKCS12, "PKCS#12 key store", Detectors.HIGH, 0, "****"));
    }
    hits.addAll(toHits(new String(head, 0, length, StandardCharsets.ISO_8859_1), MAX_HITS - hits.size()));
    return hits;
  }

  /** {@link #scan(String, byte[], long)} when the whole file is in {@code content}. */
  public static List<SecretHit> scan(String path, byte[] content) {
    return scan(path, content, content.length);
  }

  /**
   * Scans a string from image metadata, such as a history {@code created_by} line, a label value or an
   * entrypoint, with every text detector. Lines are counted from 1 within the string.
   */
  public static List<SecretHit> scanText(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    return toHits(text.length() > MAX_SCAN_BYTES ? text.substring(0, MAX_SCAN_BYTES) : text, MAX_HITS);
  }

  /**
   * Scans one name/value pair, such as an {@code ENV} entry, a build argument or a label. The value goes
   * through every detector; in addition, when the name looks secret ({@link #isSecretName}) and the value is long,
   * random and no placeholder, it is reported as {@code generic-secret} even without an assignment in the text.
   */
  public static List<SecretHit> scanAssignment(String name, String value) {
    if (value == null || value.isEmpty()) {
      return List.of();
    }
    String v = value.length() > MAX_SCAN_BYTES ? value.substring(0, MAX_SCAN_BYTES) : value;
    List<Raw> raws = detect(v);
    if (raws.isEmpty() && isSecretName(name) && GenericAssignments.plausibleValue(v, true)) {
      raws.add(new Raw(GenericAssignments.ID, GenericAssignments.TITLE, Detectors.HIGH, 0, v.length(), v));
    }
    return toHits(v, raws, MAX_HITS);
  }

  /**
   * Whether a variable name says it holds a secret: it contains PASSWORD, PASSWD, API_KEY, PRIVATE_KEY or
   * SECRET_KEY, has SECRET, SECRETS or PASSPHRASE as a word, or ends in TOKEN, AUTH or CREDENTIAL(S); unless it
   * ends in a word like FILE, PATH, URL, NAME or ID, which name a reference rather than the secret. camelCase,
   * dashes and dots count as word breaks.
   */
  public static boolean isSecretName(String name) {
    return GenericAssignments.isSecretName(name);
  }

  /** Whether the leading bytes look like binary content (see {@link #scan(String, byte[], long)}). */
  public static boolean isBinary(byte[] head, int length) {
    return BinaryContent.isBinary(head, Math.min(length, head.length));
  }

  /**
   * Masks a secret for display: never more than 4 leading characters, then {@code ****}. Values of 20 characters
   * or more show 4 (enough for a token prefix such as {@code ghp_} or {@code AKIA}), 12 to 19 show 2, shorter
   * values show none. The mask has a fixed length so it does not reveal the secret's length either; characters
   * that could drive a terminal are shown as {@code ?}.
   */
  public static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "****";
    }
    int n = secret.codePointCount(0, secret.length());
    int show = n >= 20 ? 4 : n >= 12 ? 2 : 0;
    StringBuilder sb = new StringBuilder();
    secret.codePoints().limit(show)
        .forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) || !Character.isDefined(cp) ? '?' : cp));
    return sb.append("****").toString();
  }

  /**
   * Masks a value for display by {@code inspect} and in findings: the whole value when the name looks secret
   * ({@link #isSecretName}); otherwise each detected secret inside the value (a token in a command line, a
   * {@code --password=…} argument) is replaced by its mask and the rest is kept. Values without secrets come
   * back unchanged. {@code name} may be null for free text such as a history line.
   */
  public static String maskValue(String name, String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    if (isSecretName(name)) {
      return mask(value);
    }
    String v = value.length() > MAX_SCAN_BYTES ? value.substring(0, MAX_SCAN_BYTES) : value;
    List<Raw> raws = detect(v);
    if (raws.isEmpty()) {
      return value.length() > MAX_SCAN_BYTES ? mask(value) : value; // unscanned remainder: do not show it
    }
    raws.sort(Comparator.comparingInt(Raw::start));
    StringBuilder sb = new StringBuilder();
    int at = 0;
    for (Raw r : raws) {
      if (r.start() < at) {
        continue;
      }
      sb.append(v, at, r.start()).append(mask(r.value()));
      at = r.end();
    }
    sb.append(v, at, v.length());
    if (value.length() > MAX_SCAN_BYTES) {
      sb.append("****");
    }
    return sb.toString();
  }

  /** Runs every detector, then drops weaker hits that overlap stronger ones (see {@link #keep}). */
  static List<Raw> detect(String text) {
    String lower = lowerSameLength(text);
    List<Raw> found = new ArrayList<>();
    for (Detectors.Detector d : Detectors.ALL) {
      d.find(text, lower, found);
    }
    SecretRules.find(text, lower, found); // one keyword pass, then only the rules whose keywords occur
    GENERIC.find(text, lower, found);
    List<Raw> kept = new ArrayList<>();
    for (Raw r : found) {
      if (keep(r, kept)) {
        kept.add(r);
      }
    }
    return kept;
  }

  /**
   * A generic hit overlapping any earlier hit, a PEM hit inside a service-account key, and any second hit on
   * the same span are dropped, so one secret is reported once, by its most specific detector.
   */
  private static boolean keep(Raw r, List<Raw> kept) {
    for (Raw k : kept) {
      if (!r.overlaps(k)) {
        continue;
      }
      if (r.id().equals(GenericAssignments.ID) || (r.start() == k.start() && r.end() == k.end())
          || (r.id().equals("private-key") && k.id().equals("gcp-service-account"))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The text in lower case with the same length, so offsets found in one hold in the other ({@code "İ"} lower-cases
   * to two characters with {@link String#toLowerCase}; here each character is lowered on its own).
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

  private static List<SecretHit> toHits(String text, int limit) {
    return toHits(text, detect(text), limit);
  }

  private static List<SecretHit> toHits(String text, List<Raw> raws, int limit) {
    if (raws.isEmpty()) {
      return new ArrayList<>(); // most texts: no need to index their lines
    }
    raws.sort(Comparator.comparingInt(Raw::start));
    int[] lineStarts = lineStarts(text);
    List<SecretHit> hits = new ArrayList<>();
    for (Raw r : raws) {
      if (hits.size() >= limit) {
        break;
      }
      hits.add(new SecretHit(r.id(), r.title(), r.severity(), lineOf(lineStarts, r.start()), mask(r.value())));
    }
    return hits;
  }

  private static int[] lineStarts(String text) {
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        count++;
      }
    }
    int[] starts = new int[count];
    int k = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[k++] = i + 1;
      }
    }
    return starts;
  }

  private static int lineOf(int[] starts, int offset) {
    int i = Arrays.binarySearch(starts, offset);
    return (i >= 0 ? i : -i - 2) + 1;
  }

  private static String basename(String path) {
    String p = path == null ? "" : path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.substring(p.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
  }

  private static String derName(BinaryContent.DerKind kind) {
    switch (kind) {
      case PKCS8:
        return "PKCS#8";
      case PKCS1_RSA:
        return "PKCS#1 RSA";
      default:
        return "SEC1 EC";
    }
  }
}
