package dev.caulk.scan.sbom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * An SPDX 2.3 JSON document for an image (SPDX 2.3 clauses 6 "Document creation information", 7
 * "Package information", 11 "Relationships"): the image as a CONTAINER package that the document
 * DESCRIBES, the OS as an OPERATING_SYSTEM package (the schema's underscore spelling; the prose's
 * hyphen fails the official JSON schema), one package per catalogued package with its purl as a
 * PACKAGE-MANAGER external reference, and CONTAINS relationships image → OS → OS packages, image →
 * other packages. {@code created} has no fractional seconds (clause 6.9: {@code
 * YYYY-MM-DDThh:mm:ssZ}).
 */
final class SpdxDocument {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String DOCUMENT = "SPDXRef-DOCUMENT";
  static final String IMAGE = "SPDXRef-Image";

  private SpdxDocument() {}

  static String write(SbomSubject subject, Inventory inventory, String toolVersion, Instant created)
      throws java.io.IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", DOCUMENT);
    doc.put("name", subject.displayName());
    doc.put(
        "documentNamespace",
        "https://caulk.dev/spdxdocs/"
            + slug(subject.name())
            + "-"
            + DocumentIds.uuid5("caulk:spdx:" + subject.digest()));
    ObjectNode info = doc.putObject("creationInfo");
    info.put(
        "created", DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(ChronoUnit.SECONDS)));
    info.putArray("creators").add("Tool: caulk-" + toolVersion);
    ArrayNode packages = doc.putArray("packages");
    ArrayNode relationships = JSON.createArrayNode();
    relate(relationships, DOCUMENT, "DESCRIBES", IMAGE);

    ObjectNode image = packages.addObject();
    image.put("SPDXID", IMAGE);
    image.put("name", subject.displayName());
    image.put("versionInfo", subject.digest().toString());
    image.put("downloadLocation", "NOASSERTION");
    image.put("filesAnalyzed", false);
    image.put("primaryPackagePurpose", "CONTAINER");
    purlRef(image, subject.purl().toString());

    OsRelease os = inventory.os();
    String osId = null;
    if (os.isKnown()) {
      osId = "SPDXRef-OperatingSystem-" + idPart(os.id());
      ObjectNode o = packages.addObject();
      o.put("SPDXID", osId);
      o.put("name", os.id());
      String v = os.versionId() != null ? os.versionId() : os.versionCodename();
      if (v != null) o.put("versionInfo", v);
      o.put("downloadLocation", "NONE");
      o.put("filesAnalyzed", false);
      o.put("primaryPackagePurpose", "OPERATING_SYSTEM");
      if (os.prettyName() != null) o.put("description", os.prettyName());
      relate(relationships, IMAGE, "CONTAINS", osId);
    }
    Set<String> used = new HashSet<>();
    for (Package p : inventory.packages()) {
      String id = uniqueId(p, used);
      ObjectNode n = packages.addObject();
      n.put("SPDXID", id);
      n.put("name", p.groupId() != null ? p.groupId() + ":" + p.name() : p.name());
      if (p.version() != null) n.put("versionInfo", p.version());
      n.put("downloadLocation", "NOASSERTION");
      n.put("filesAnalyzed", false);
      n.put("primaryPackagePurpose", p.mainModule() ? "APPLICATION" : "LIBRARY");
      if (p.sourceName() != null
          && (!p.sourceName().equals(p.name()) || !p.sourceVersion().equals(p.version()))) {
        n.put("sourceInfo", "built package from: " + p.sourceName() + " " + p.sourceVersion());
      }
      String expr = Licenses.expression(p.licenses());
      n.put("licenseConcluded", "NOASSERTION");
      n.put("licenseDeclared", expr != null ? expr : "NOASSERTION");
      if (expr == null && !p.licenses().isEmpty())
        n.put("licenseComments", "as declared: " + String.join("; ", p.licenses()));
      n.put("copyrightText", "NOASSERTION");
      if (!p.locations().isEmpty())
        n.put("comment", "found by " + p.cataloger() + " in " + p.locations().get(0));
      purlRef(n, p.purl().toString());
      relate(relationships, osId != null && p.type().isOsPackage() ? osId : IMAGE, "CONTAINS", id);
    }
    doc.set("relationships", relationships);
    return JSON.writeValueAsString(doc) + "\n";
  }

  private static void purlRef(ObjectNode pkg, String purl) {
    ObjectNode ref = pkg.putArray("externalRefs").addObject();
    ref.put("referenceCategory", "PACKAGE-MANAGER");
    ref.put("referenceType", "purl");
    ref.put("referenceLocator", purl);
  }

  private static void relate(ArrayNode rels, String from, String type, String to) {
    ObjectNode r = rels.addObject();
    r.put("spdxElementId", from);
    r.put("relationshipType", type);
    r.put("relatedSpdxElement", to);
  }

  /** {@code SPDXRef-Package-<type>-<name>-<hash of purl and location>}, unique in the document. */
  private static String uniqueId(Package p, Set<String> used) {
    String base =
        "SPDXRef-Package-"
            + p.type().purlType()
            + "-"
            + idPart(p.name())
            + "-"
            + DocumentIds.shortHash(
                p.purl()
                    + "|"
                    + String.join(
                        "|",
                        p.locations().isEmpty()
                            ? java.util.List.of()
                            : p.locations().subList(0, 1)));
    String id = base;
    for (int i = 2; !used.add(id); i++) id = base + "-" + i;
    return id;
  }

  /** Letters, digits, dot and dash only (the schema's SPDXID pattern), bounded. */
  static String idPart(String s) {
    String out = s.replaceAll("[^A-Za-z0-9.-]+", "-");
    return out.length() > 64 ? out.substring(0, 64) : out;
  }

  private static String slug(String s) {
    String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
    int from = 0;
    int to = out.length();
    while (from < to && out.charAt(from) == '-')
      from++; // by hand: "-+$" tried at every dash, quadratic in a run
    while (to > from && out.charAt(to - 1) == '-') to--;
    out = out.substring(from, to);
    return out.isEmpty() ? "image" : out.length() > 80 ? out.substring(0, 80) : out;
  }
}
