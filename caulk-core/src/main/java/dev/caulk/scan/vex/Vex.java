package dev.caulk.scan.vex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.scan.vex.VexStatement.Status;
import dev.caulk.scan.vuln.ScanResult;
import dev.caulk.scan.vuln.Vulnerability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads OpenVEX and CycloneDX VEX, applies statements to scan results, writes OpenVEX. */
public final class Vex {
  /** The largest VEX document read. */
  public static final int MAX_BYTES = 16 << 20;

  /** The most statements read from one document. */
  public static final int MAX_STATEMENTS = 100_000;

  /** The OpenVEX context URI written. */
  public static final String OPENVEX_CONTEXT = "https://openvex.dev/ns/v0.2.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Vex() {}

  /**
   * What applying VEX did.
   *
   * @param result the scan result without the vulnerabilities stated not_affected or fixed
   * @param suppressed the vulnerabilities dropped, each with the statement that dropped it
   * @param underInvestigation the remaining vulnerabilities stated under_investigation
   */
  public record Applied(
      ScanResult result,
      Map<Vulnerability, VexStatement> suppressed,
      List<Vulnerability> underInvestigation) {
    /** Copies the collections. */
    public Applied {
      suppressed = Map.copyOf(suppressed);
      underInvestigation = List.copyOf(underInvestigation);
    }
  }

  /**
   * Reads an OpenVEX (0.x JSON) or CycloneDX VEX (JSON, {@code vulnerabilities[].analysis})
   * document.
   *
   * @param json the document
   * @param label names the document in errors (a file name)
   * @throws VexFormatException one line, naming {@code label}
   */
  public static List<VexStatement> read(byte[] json, String label) throws VexFormatException {
    if (json.length > MAX_BYTES) {
      throw new VexFormatException(label + ": larger than " + (MAX_BYTES >> 20) + " MiB");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new VexFormatException(label + ": not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new VexFormatException(label + ": not a JSON object");
    }
    String context = root.path("@context").asText("");
    if (context.startsWith("https://openvex.dev/ns")) {
      return readOpenVex(root, label);
    }
    if ("CycloneDX".equals(root.path("bomFormat").asText(""))) {
      return readCycloneDx(root, label);
    }
    throw new VexFormatException(
        label + ": neither OpenVEX (@context https://openvex.dev/ns/…) nor CycloneDX");
  }

  private static List<VexStatement> readOpenVex(JsonNode root, String label)
      throws VexFormatException {
    JsonNode statements = root.path("statements");
    if (!statements.isArray()) {
      throw new VexFormatException(label + ": OpenVEX document without a statements array");
    }
    if (statements.size() > MAX_STATEMENTS) {
      throw new VexFormatException(label + ": more than " + MAX_STATEMENTS + " statements");
    }
    List<VexStatement> out = new ArrayList<>();
    int index = 0;
    for (JsonNode s : statements) {
      String where = label + ": statement " + index++;
      JsonNode vuln = s.path("vulnerability");
      String id =
          vuln.isTextual() ? vuln.asText() : vuln.path("name").asText(vuln.path("@id").asText(""));
      if (id.isEmpty()) {
        throw new VexFormatException(where + ": no vulnerability name");
      }
      List<String> aliases = new ArrayList<>();
      for (JsonNode a : vuln.path("aliases")) {
        if (a.isTextual()) {
          aliases.add(a.asText());
        }
      }
      List<String> products = new ArrayList<>();
      List<String> subcomponents = new ArrayList<>();
      for (JsonNode p : s.path("products")) {
        if (p.isTextual()) {
          products.add(p.asText());
          continue;
        }
        addId(p, products);
        for (JsonNode sub : p.path("subcomponents")) {
          if (sub.isTextual()) {
            subcomponents.add(sub.asText());
          } else {
            addId(sub, subcomponents);
          }
        }
      }
      String word = s.path("status").asText("");
      Status status = null;
      for (Status candidate : Status.values()) {
        if (candidate.word().equals(word)) {
          status = candidate;
        }
      }
      if (status == null) {
        throw new VexFormatException(where + " (" + id + "): unknown status '" + clip(word) + "'");
      }
      String justification = s.path("justification").asText(s.path("impact_statement").asText(""));
      out.add(new VexStatement(id, aliases, products, subcomponents, status, justification));
    }
    return out;
  }

  private static void addId(JsonNode component, List<String> into) {
    String id = component.path("@id").asText("");
    if (!id.isEmpty()) {
      into.add(id);
    }
    String purl = component.path("identifiers").path("purl").asText("");
    if (!purl.isEmpty() && !purl.equals(id)) {
      into.add(purl);
    }
  }

  private static List<VexStatement> readCycloneDx(JsonNode root, String label)
      throws VexFormatException {
    JsonNode vulns = root.path("vulnerabilities");
    if (!vulns.isArray()) {
      throw new VexFormatException(label + ": CycloneDX document without a vulnerabilities array");
    }
    if (vulns.size() > MAX_STATEMENTS) {
      throw new VexFormatException(label + ": more than " + MAX_STATEMENTS + " vulnerabilities");
    }
    Map<String, String> purlByRef = new HashMap<>();
    collectRefs(root.path("metadata").path("component"), purlByRef, 0);
    for (JsonNode c : root.path("components")) {
      collectRefs(c, purlByRef, 0);
    }
    List<VexStatement> out = new ArrayList<>();
    int index = 0;
    for (JsonNode v : vulns) {
      String where = label + ": vulnerability " + index++;
      String id = v.path("id").asText("");
      if (id.isEmpty()) {
        throw new VexFormatException(where + ": no id");
      }
      JsonNode analysis = v.path("analysis");
      if (!analysis.isObject()) {
        continue; // a plain vulnerability listing, not a VEX statement
      }
      String state = analysis.path("state").asText("");
      Status status =
          switch (state) {
            case "not_affected", "false_positive" -> Status.NOT_AFFECTED;
            case "resolved", "resolved_with_pedigree" -> Status.FIXED;
            case "in_triage" -> Status.UNDER_INVESTIGATION;
            case "exploitable" -> Status.AFFECTED;
            default ->
                throw new VexFormatException(
                    where + " (" + id + "): unknown analysis state '" + clip(state) + "'");
          };
      List<String> aliases = new ArrayList<>();
      for (JsonNode r : v.path("references")) {
        String alias = r.path("id").asText("");
        if (!alias.isEmpty()) {
          aliases.add(alias);
        }
      }
      List<String> products = new ArrayList<>();
      for (JsonNode a : v.path("affects")) {
        String ref = a.path("ref").asText("");
        if (!ref.isEmpty()) {
          products.add(purlByRef.getOrDefault(ref, ref));
        }
      }
      if (products.isEmpty()) {
        throw new VexFormatException(where + " (" + id + "): no affects[].ref");
      }
      out.add(
          new VexStatement(
              id, aliases, products, List.of(), status, analysis.path("justification").asText("")));
    }
    return out;
  }

  private static void collectRefs(JsonNode component, Map<String, String> purlByRef, int depth) {
    if (depth > 32 || !component.isObject()) {
      return;
    }
    String ref = component.path("bom-ref").asText("");
    String purl = component.path("purl").asText("");
    if (!ref.isEmpty() && !purl.isEmpty()) {
      purlByRef.put(ref, purl);
    }
    for (JsonNode c : component.path("components")) {
      collectRefs(c, purlByRef, depth + 1);
    }
  }

  /**
   * Applies statements to a scan result: a vulnerability whose id or alias a statement names, for a
   * product that is its package (package URL, a versionless one matching every version) or the
   * scanned image (its digest, or a reference ending in it; limited to the statement's
   * subcomponents when it lists any), is dropped when the status is not_affected or fixed and
   * listed when under_investigation. Later statements win over earlier ones.
   *
   * @param imageDigest the scanned image's manifest digest ({@code sha256:…}), or empty when
   *     unknown
   */
  public static Applied apply(
      ScanResult result, List<VexStatement> statements, String imageDigest) {
    List<Vulnerability> kept = new ArrayList<>();
    Map<Vulnerability, VexStatement> suppressed = new HashMap<>();
    List<Vulnerability> investigating = new ArrayList<>();
    for (Vulnerability v : result.vulnerabilities()) {
      VexStatement match = null;
      for (VexStatement s : statements) {
        if (namesVulnerability(s, v) && namesProduct(s, v, imageDigest)) {
          match = s;
        }
      }
      if (match != null
          && (match.status() == Status.NOT_AFFECTED || match.status() == Status.FIXED)) {
        suppressed.put(v, match);
        continue;
      }
      if (match != null && match.status() == Status.UNDER_INVESTIGATION) {
        investigating.add(v);
      }
      kept.add(v);
    }
    ScanResult filtered =
        new ScanResult(
            result.inventory(),
            kept,
            result.skipped(),
            result.undetermined(),
            result.ecosystems(),
            result.missingEcosystems(),
            result.database());
    return new Applied(filtered, suppressed, investigating);
  }

  private static boolean namesVulnerability(VexStatement s, Vulnerability v) {
    Set<String> ids = new LinkedHashSet<>();
    ids.add(v.id().toUpperCase(Locale.ROOT));
    ids.add(v.advisory().toUpperCase(Locale.ROOT));
    v.aliases().forEach(a -> ids.add(a.toUpperCase(Locale.ROOT)));
    if (ids.contains(s.vulnerability().toUpperCase(Locale.ROOT))) {
      return true;
    }
    return s.aliases().stream().anyMatch(a -> ids.contains(a.toUpperCase(Locale.ROOT)));
  }

  private static boolean namesProduct(VexStatement s, Vulnerability v, String imageDigest) {
    String purl = v.pkg().purl().toString();
    if (s.products().isEmpty()) {
      // a statement naming no product applies to every product it is read against
      return s.subcomponents().isEmpty()
          || s.subcomponents().stream().anyMatch(c -> purlMatches(c, purl));
    }
    for (String product : s.products()) {
      if (purlMatches(product, purl)) {
        return true;
      }
      if (!imageDigest.isEmpty()
          && (product.equals(imageDigest) || product.endsWith("@" + imageDigest))) {
        if (s.subcomponents().isEmpty()
            || s.subcomponents().stream().anyMatch(c -> purlMatches(c, purl))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True when {@code product} (a purl, with or without version, qualifiers ignored) names {@code
   * purl}.
   */
  static boolean purlMatches(String product, String purl) {
    if (!product.startsWith("pkg:")) {
      return false;
    }
    String want = stripQualifiers(product);
    String have = stripQualifiers(purl);
    if (want.equals(have)) {
      return true;
    }
    int at = have.lastIndexOf('@');
    return want.indexOf('@') < 0 && at > 0 && want.equals(have.substring(0, at));
  }

  private static String stripQualifiers(String purl) {
    int cut = purl.length();
    int q = purl.indexOf('?');
    int h = purl.indexOf('#');
    if (q >= 0) {
      cut = q;
    }
    if (h >= 0 && h < cut) {
      cut = h;
    }
    return purl.substring(0, cut);
  }

  private static String clip(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > 40 ? out + "…" : out.toString();
  }

  /**
   * An OpenVEX 0.2.0 document with one under_investigation statement per vulnerability id of the
   * result, the product being the image ({@code product}, e.g. {@code repo@sha256:…}) with the
   * vulnerable packages' URLs as subcomponents: a starting point for a person to edit.
   *
   * @param author the document author
   * @param timestamp the document time (from SOURCE_DATE_EPOCH or the clock, the caller's choice)
   */
  public static byte[] writeOpenVex(
      ScanResult result, String product, String author, Instant timestamp) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("@context", OPENVEX_CONTEXT);
    String digest =
        product.contains("@") ? product.substring(product.lastIndexOf('@') + 1) : product;
    doc.put("@id", "https://caulk.dev/vex/" + digest.replace(':', '-'));
    doc.put("author", author);
    doc.put("timestamp", timestamp.toString());
    doc.put("version", 1);
    ArrayNode statements = doc.putArray("statements");
    Map<String, List<Vulnerability>> byId = new TreeMap<>();
    for (Vulnerability v : result.vulnerabilities()) {
      byId.computeIfAbsent(v.id(), k -> new ArrayList<>()).add(v);
    }
    for (Map.Entry<String, List<Vulnerability>> e : byId.entrySet()) {
      ObjectNode s = statements.addObject();
      ObjectNode vuln = s.putObject("vulnerability");
      vuln.put("name", e.getKey());
      Set<String> aliases = new TreeSet<>();
      for (Vulnerability v : e.getValue()) {
        aliases.addAll(v.aliases());
      }
      aliases.remove(e.getKey());
      if (!aliases.isEmpty()) {
        ArrayNode a = vuln.putArray("aliases");
        aliases.forEach(a::add);
      }
      ObjectNode p = s.putArray("products").addObject();
      p.put("@id", product);
      ArrayNode subs = p.putArray("subcomponents");
      Set<String> purls = new TreeSet<>();
      e.getValue().forEach(v -> purls.add(v.pkg().purl().toString()));
      purls.forEach(u -> subs.addObject().put("@id", u));
      s.put("status", Status.UNDER_INVESTIGATION.word());
    }
    try {
      return (JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("OpenVEX document could not be written", e);
    }
  }
}
