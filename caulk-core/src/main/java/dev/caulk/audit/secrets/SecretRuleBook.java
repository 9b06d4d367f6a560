package dev.caulk.audit.secrets;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A configured secret scanner: the built-in detectors and rules, minus the ones a configuration
 * disables, plus its own rules, with its allow lists (paths, value patterns, stop words). {@link
 * #builtIn()} is the default every static method of {@link SecretScanner} uses; {@link
 * #of(SecretConfig)} builds one from a loaded {@code secrets.yaml} ({@link SecretConfig#load}).
 *
 * <p>Same guarantees as {@link SecretScanner}: one keyword prefilter for all declarative rules,
 * RE2/J patterns, at most {@link SecretScanner#MAX_SCAN_BYTES} examined and {@link
 * SecretScanner#MAX_HITS} hits per call, masked values only.
 */
public final class SecretRuleBook {
  private static final GenericAssignments GENERIC = new GenericAssignments();

  /** The detectors that only look at binary files. */
  private static final List<SecretDetector> BINARY =
      List.of(
          new SecretDetector(SecretScanner.PKCS12, "PKCS#12 key store", Detectors.HIGH),
          new SecretDetector(
              BinaryContent.JAVA_KEYSTORE, "Java key store (JKS or JCEKS)", Detectors.MEDIUM));

  private static final SecretRuleBook BUILT_IN = new SecretRuleBook(SecretConfig.EMPTY);

  /**
   * Most candidates judged per text, in priority order (so generic hits go first): a hostile file
   * can make millions; callers keep {@link SecretScanner#MAX_HITS} anyway.
   */
  static final int MAX_CANDIDATES = 10_000;

  private final List<Detectors.Detector> detectors;
  private final RuleIndex rules;
  private final boolean generic;
  private final Set<String> disabled;
  private final SecretConfig config;
  private final Map<String, List<Pattern>> ruleAllowPaths;
  private final List<SecretDetector> listing;

  private SecretRuleBook(SecretConfig config) {
    this.config = config;
    Set<String> off = new HashSet<>(config.disabled());
    for (SecretConfig.UserRule u : config.rules()) {
      off.add(u.rule().id()); // a user rule with a built-in id replaces the built-in
    }
    this.disabled = Set.copyOf(off);
    List<Detectors.Detector> ds = new ArrayList<>();
    for (Detectors.Detector d : Detectors.ALL) {
      if (!off.contains(d.id())) {
        ds.add(d);
      }
    }
    this.detectors = List.copyOf(ds);
    List<SecretRule> rs = new ArrayList<>();
    for (SecretRule r : SecretRules.all()) {
      if (!off.contains(r.id())) {
        rs.add(r);
      }
    }
    HashMap<String, List<Pattern>> allowPaths = new HashMap<>();
    for (SecretConfig.UserRule u : config.rules()) {
      rs.add(u.rule());
      allowPaths.put(u.rule().id(), u.allowPaths());
    }
    this.ruleAllowPaths = Map.copyOf(allowPaths);
    this.rules =
        off.isEmpty() && config.rules().isEmpty() ? SecretRules.index() : new RuleIndex(rs);
    this.generic = !off.contains(GenericAssignments.ID);
    List<SecretDetector> list = new ArrayList<>();
    for (Detectors.Detector d : detectors) {
      list.add(new SecretDetector(d.id(), d.title(), d.severity()));
    }
    for (SecretRule r : rules.rules()) {
      list.add(new SecretDetector(r.id(), r.title(), r.severity()));
    }
    for (SecretDetector d : CredentialFileContent.DETECTORS) {
      if (!off.contains(d.id())) {
        list.add(d);
      }
    }
    if (!off.contains(BinaryContent.JAVA_KEYSTORE)) {
      list.add(BINARY.get(1));
    }
    if (generic) {
      list.add(new SecretDetector(GENERIC.id(), GENERIC.title(), GENERIC.severity()));
    }
    if (!off.contains(SecretScanner.PKCS12)) {
      list.add(BINARY.get(0)); // last, as before rule books existed
    }
    this.listing = List.copyOf(list);
  }

  /** The built-in rule book: every built-in detector and rule, no allow list. */
  public static SecretRuleBook builtIn() {
    return BUILT_IN;
  }

  /**
   * A rule book from a configuration: built-ins minus its disabled ids, plus its rules and allow
   * lists.
   */
  public static SecretRuleBook of(SecretConfig config) {
    return config.isEmpty() ? BUILT_IN : new SecretRuleBook(config);
  }

  /** The ids of every built-in content detector and rule, and of the credential-file categories. */
  static Set<String> builtInIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (SecretDetector d : BUILT_IN.listing) {
      ids.add(d.id());
    }
    for (SecretDetector d : SecretFiles.categories()) {
      ids.add(d.id());
    }
    return ids;
  }

  /**
   * Every content rule this book runs (id, title, severity): hand-written detectors, declarative
   * rules (built-in and the configuration's), credential-file content parsers, the generic
   * assignment rule and the binary detectors. With {@link SecretFiles#categories()} this is what
   * {@code caulk audit --list-secret-rules} prints.
   */
  public List<SecretDetector> rules() {
    return listing;
  }

  /**
   * Whether findings with this id are reported (false when the configuration disabled or replaced
   * it).
   */
  public boolean enabled(String id) {
    return !disabled.contains(id) || ruleAllowPaths.containsKey(id);
  }

  /** Whether the configuration's allow list exempts this path from secret detection altogether. */
  public boolean pathAllowed(String path) {
    String p = slashed(path);
    for (Pattern a : config.allowPaths()) {
      if (a.matcher(p).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the configuration's allow list exempts this value wherever it is found (a stop word in
   * it, or an allow pattern matching it): for callers that judge a value by its name alone, without
   * a rule hit.
   */
  public boolean valueAllowed(String value) {
    if (value == null) {
      return false;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    for (String w : config.stopWords()) {
      if (lower.contains(w)) {
        return true;
      }
    }
    for (Pattern a : config.allowValues()) {
      if (a.matcher(value).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link SecretFiles#matches(String, byte[])} as this book sees it: nothing for an allowed path
   * or a disabled category.
   */
  public Optional<SecretFileMatch> matchFile(String path, byte[] head) {
    if (pathAllowed(path)) {
      return Optional.empty();
    }
    return SecretFiles.matches(path, head).filter(m -> !disabled.contains(m.id()));
  }

  /** {@link SecretScanner#scan(String, byte[], long)} with this book's rules and allow lists. */
  public List<SecretHit> scan(String path, byte[] head, long fileSize) {
    if (pathAllowed(path)) {
      return new ArrayList<>();
    }
    int length = Math.min(head.length, SecretScanner.MAX_SCAN_BYTES);
    String name = basename(path);
    List<SecretHit> hits = new ArrayList<>();
    boolean trustStore =
        name.equals("cacerts") || name.equals("jssecacerts") || name.contains("truststore");
    boolean p12Name = name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".pkcs12");
    boolean p12 = !disabled.contains(SecretScanner.PKCS12);
    if (BinaryContent.isBinary(head, length)) {
      BinaryContent.DerKind kind = BinaryContent.derKind(head, length, fileSize);
      String store = BinaryContent.javaKeyStore(head, length);
      if ((kind == BinaryContent.DerKind.PKCS12 || p12Name) && !trustStore) {
        if (p12) {
          hits.add(
              new SecretHit(SecretScanner.PKCS12, "PKCS#12 key store", Detectors.HIGH, 0, "****"));
        }
      } else if (kind == BinaryContent.DerKind.PKCS8
          || kind == BinaryContent.DerKind.PKCS1_RSA
          || kind == BinaryContent.DerKind.SEC1_EC) {
        if (!disabled.contains("private-key")) {
          hits.add(
              new SecretHit(
                  "private-key",
                  "Private key (DER, " + derName(kind) + ")",
                  Detectors.HIGH,
                  0,
                  "****"));
        }
      } else if (store != null && !trustStore && !disabled.contains(BinaryContent.JAVA_KEYSTORE)) {
        hits.add(
            new SecretHit(
                BinaryContent.JAVA_KEYSTORE,
                "Java key store (" + store + ")",
                Detectors.MEDIUM,
                0,
                "****"));
      }
      return hits;
    }
    if (p12Name && !trustStore && p12) {
      hits.add(new SecretHit(SecretScanner.PKCS12, "PKCS#12 key store", Detectors.HIGH, 0, "****"));
    }
    String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
    hits.addAll(toHits(text, detect(text, path), SecretScanner.MAX_HITS - hits.size()));
    return hits;
  }

  /** {@link SecretScanner#scanText(String)} with this book's rules and allow lists. */
  public List<SecretHit> scanText(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    String t = cut(text);
    return toHits(t, detect(t, null), SecretScanner.MAX_HITS);
  }

  /**
   * {@link SecretScanner#scanAssignment(String, String)} with this book's rules and allow lists.
   */
  public List<SecretHit> scanAssignment(String name, String value) {
    if (value == null || value.isEmpty()) {
      return List.of();
    }
    String v = cut(value);
    List<Raw> raws = detect(v, null);
    if (raws.isEmpty()
        && generic
        && GenericAssignments.isSecretName(name)
        && GenericAssignments.plausibleValue(v, true)
        && allowed(
            new Raw(
                GenericAssignments.ID, GenericAssignments.TITLE, Detectors.HIGH, 0, v.length(), v),
            null)) {
      raws.add(
          new Raw(
              GenericAssignments.ID, GenericAssignments.TITLE, Detectors.HIGH, 0, v.length(), v));
    }
    return toHits(v, raws, SecretScanner.MAX_HITS);
  }

  /** {@link SecretScanner#maskValue(String, String)} with this book's rules. */
  public String maskValue(String name, String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    if (GenericAssignments.isSecretName(name)) {
      return SecretScanner.mask(value);
    }
    String v = cut(value);
    List<Raw> raws = detect(v, null);
    if (raws.isEmpty()) {
      return value.length() > v.length()
          ? SecretScanner.mask(value)
          : value; // unscanned remainder: not shown
    }
    raws.sort(Comparator.comparingInt(Raw::start));
    StringBuilder sb = new StringBuilder();
    int at = 0;
    for (Raw r : raws) {
      if (r.start() < at) {
        continue;
      }
      sb.append(v, at, r.start()).append(SecretScanner.mask(r.value()));
      at = r.end();
    }
    sb.append(v, at, v.length());
    if (value.length() > v.length()) {
      sb.append("****");
    }
    return sb.toString();
  }

  /**
   * Runs every detector and rule, the credential-file parser for the file's name, the base64 layer
   * (blobs decoded once and scanned again) and the generic rule; drops allowed hits, then any hit
   * overlapping an earlier one ({@link #keep}).
   *
   * @param path the file's path, or null for text that is not a file
   */
  List<Raw> detect(String text, String path) {
    String lower = SecretScanner.lowerSameLength(text);
    List<Raw> found = new ArrayList<>();
    values(text, lower, found);
    if (path != null) {
      CredentialFileContent.find(basename(path), slashed(path), text, found);
    }
    Base64Layer.find(text, this, found);
    if (generic) {
      GENERIC.find(text, lower, found);
    }
    List<Raw> kept = new ArrayList<>();
    TreeMap<Integer, Integer> spans = new TreeMap<>(); // kept spans, start -> end, disjoint
    for (int i = 0; i < found.size() && i < MAX_CANDIDATES; i++) {
      Raw r = found.get(i);
      if (!disabled.contains(r.id()) || ruleAllowPaths.containsKey(r.id())) {
        if (allowed(r, path) && keep(r, spans)) {
          kept.add(r);
          spans.put(r.start(), Math.max(r.end(), r.start() + 1));
        }
      }
    }
    return kept;
  }

  /**
   * The hand-written detectors and the declarative rules: what the base64 layer runs on decoded
   * text too.
   */
  void values(String text, String lower, List<Raw> out) {
    for (Detectors.Detector d : detectors) {
      d.find(text, lower, out);
    }
    rules.find(text, lower, out); // one keyword pass, then only the rules whose keywords occur
  }

  private boolean allowed(Raw r, String path) {
    String lower = r.value().toLowerCase(Locale.ROOT);
    for (String w : config.stopWords()) {
      if (lower.contains(w)) {
        return false;
      }
    }
    for (Pattern a : config.allowValues()) {
      if (a.matcher(r.value()).find()) {
        return false;
      }
    }
    if (path != null) {
      String p = slashed(path);
      for (Pattern a : ruleAllowPaths.getOrDefault(r.id(), List.of())) {
        if (a.matcher(p).find()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A hit overlapping an earlier kept hit is dropped, so one secret is reported once, by its most
   * specific detector: detectors come first, then declarative rules, credential-file parsers,
   * decoded base64, and the generic rule last.
   */
  private static boolean keep(Raw r, TreeMap<Integer, Integer> spans) {
    int end = Math.max(r.end(), r.start() + 1);
    Map.Entry<Integer, Integer> before = spans.floorEntry(r.start());
    if (before != null && before.getValue() > r.start()) {
      return false;
    }
    Integer after = spans.ceilingKey(r.start());
    return after == null || after >= end;
  }

  private static String cut(String s) {
    return s.length() > SecretScanner.MAX_SCAN_BYTES
        ? s.substring(0, SecretScanner.MAX_SCAN_BYTES)
        : s;
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
      hits.add(
          new SecretHit(
              r.id(),
              r.title(),
              r.severity(),
              lineOf(lineStarts, r.start()),
              SecretScanner.mask(r.value())));
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

  static String basename(String path) {
    String p = path == null ? "" : path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.substring(p.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
  }

  /** The path with exactly one leading slash, as allow-path patterns see it. */
  static String slashed(String path) {
    String p = path == null ? "" : path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    return p.startsWith("/") ? p : "/" + p;
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
