package dev.caulk.report;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One problem found in an image: which rule ({@code id}), how bad, where, and what to do about it.
 *
 * <p>Field meanings:
 *
 * <ul>
 *   <li>{@code id}: the stable rule id, such as {@code CIS-DI-0001} or {@code aws-access-key-id};
 *       used by ignores, SARIF {@code ruleId} and fingerprints, so it must never change between
 *       releases.
 *   <li>{@code path}: absolute path inside the image ({@code /etc/shadow}), or null when the
 *       finding is about metadata (config user, history, labels).
 *   <li>{@code layer}: where the path comes from, as a layer digest ({@code sha256:…}) or a decimal
 *       layer index ({@code "3"}, counted from 0 at the base); null when unknown or not about a
 *       layer.
 *   <li>{@code detail}: facts for this occurrence (may span lines). It must never carry a secret
 *       value; secret rules put a masked value here.
 *   <li>{@code references}: related ids and links, such as {@code CIS-4.10}, {@code CIS-DI-0010}, a
 *       URL.
 *   <li>{@code key}: optional caller-chosen text that tells apart several findings of one rule on
 *       one path (for example the secret detector and occurrence number); it feeds {@link
 *       #fingerprint()} and is not rendered.
 *   <li>{@code packages}: the names of the package a finding is about, when it is about one: a
 *       vulnerability in Debian's {@code libssl3} carries {@code [libssl3, openssl]} (binary and
 *       source package), one in a jar {@code [log4j-core, org.apache.logging.log4j:log4j-core]}. An
 *       ignore with a {@code pkg:NAME} selector matches any of them. Empty for findings that are
 *       not about a package; not rendered by the writers (the detail says it for people).
 * </ul>
 */
public record Finding(
    String id,
    Severity severity,
    String title,
    String path,
    String layer,
    String detail,
    String remediation,
    List<String> references,
    String key,
    List<String> packages) {

  /**
   * The order people and diffs want: severity descending, then id, path (metadata findings first),
   * layer and detail, so that every writer's output is deterministic whatever order the rules ran
   * in.
   */
  public static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::severity, Comparator.reverseOrder())
          .thenComparing(Finding::id)
          .thenComparing(Finding::path, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Finding::layer, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Finding::detail, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Finding::title);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  /**
   * Validates: id matches {@code [A-Za-z0-9][A-Za-z0-9._:/-]*}, title is not blank, path is
   * absolute.
   */
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "bad finding id '" + id.replaceAll("\\p{Cntrl}", "?") + "'");
    }
    if (title.isBlank()) {
      throw new IllegalArgumentException("finding " + id + ": blank title");
    }
    if (path != null && !path.startsWith("/")) {
      throw new IllegalArgumentException("finding " + id + ": path must be absolute");
    }
    if (layer != null && layer.isBlank()) {
      layer = null;
    }
    references = references == null ? List.of() : List.copyOf(references);
    packages = packages == null ? List.of() : List.copyOf(packages);
  }

  /** A finding about no package (the form every rule but vulnerability matching uses). */
  public Finding(
      String id,
      Severity severity,
      String title,
      String path,
      String layer,
      String detail,
      String remediation,
      List<String> references,
      String key) {
    this(id, severity, title, path, layer, detail, remediation, references, key, List.of());
  }

  /** A finding with only the required fields; add the rest with the {@code with…} methods. */
  public static Finding of(String id, Severity severity, String title) {
    return new Finding(id, severity, title, null, null, null, null, List.of(), null, List.of());
  }

  /** Copy with an absolute path inside the image (null for metadata findings). */
  public Finding withPath(String path) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /** Copy with the layer given as a digest string such as {@code sha256:…}. */
  public Finding withLayer(String layer) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /** Copy with the layer given by its index in the manifest, counted from 0 at the base. */
  public Finding withLayerIndex(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("finding " + id + ": negative layer index");
    }
    return withLayer(Integer.toString(index));
  }

  /** Copy with occurrence details (never a secret value). */
  public Finding withDetail(String detail) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /** Copy with advice on how to fix it. */
  public Finding withRemediation(String remediation) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /** Copy with related ids or links (CIS sections, Dockle codes, URLs). */
  public Finding withReferences(List<String> references) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /** Copy with a different severity, for severity overrides from configuration. */
  public Finding withSeverity(Severity severity) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /**
   * Copy with a fingerprint key: text that tells apart several findings of one rule on one path,
   * such as {@code "github-pat#2"} or an environment variable's name. Never pass a secret value or
   * a hash of one: a fingerprint is published in SARIF, and a hash of a short secret can be
   * brute-forced.
   */
  public Finding withKey(String key) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /**
   * Copy naming the package(s) the finding is about (binary and source name, module path, {@code
   * group:artifact}), so ignores with a {@code pkg:} selector can match it.
   */
  public Finding withPackages(List<String> packages) {
    return new Finding(
        id, severity, title, path, layer, detail, remediation, references, key, packages);
  }

  /**
   * A fingerprint that stays the same across runs and rebuilds as long as the rule, the path and
   * the key do: lower-case hex SHA-256 of {@code id NUL path NUL key} (missing parts as empty
   * strings). Layer digests, titles and details are left out because they change with every rebuild
   * or wording fix. SARIF writes it to {@code partialFingerprints} so code-scanning services can
   * follow one alert across runs.
   */
  public String fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String material = id + '\0' + (path == null ? "" : path) + '\0' + (key == null ? "" : key);
      return HexFormat.of().formatHex(sha.digest(material.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
