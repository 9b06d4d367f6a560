package dev.caulk.scan.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.caulk.digest.Digest;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.catalog.Purl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * SPDX 2.2/2.3 JSON → {@link Sbom}; see {@link SbomReader}. Identity comes from each package's purl
 * external reference.
 */
final class SpdxReader {
  private static final Pattern BUILT_FROM =
      Pattern.compile("built package from:\\s*(\\S+)\\s+(\\S+)\\s*");
  private static final Pattern FOUND_BY = Pattern.compile("found by (\\S+) in (/.*)");
  private static final int MAX_PACKAGES = 1_000_000;

  private SpdxReader() {}

  static Sbom read(JsonNode root, String label, Digest fallback) throws SbomFormatException {
    JsonNode packages = root.path("packages");
    if (packages.size() > MAX_PACKAGES)
      throw new SbomFormatException(label + ": more than " + MAX_PACKAGES + " packages");
    SbomSubject subject = null;
    OsRelease os = OsRelease.UNKNOWN;
    List<Package> out = new ArrayList<>();
    Map<String, Integer> unsupported = new TreeMap<>();
    for (JsonNode p : packages) {
      String purpose = p.path("primaryPackagePurpose").asText("");
      Optional<Purl> purl = purl(p);
      if (purpose.equals("CONTAINER") && subject == null) {
        subject = subject(p, purl, label, fallback);
        continue;
      }
      if (purpose.equals("OPERATING_SYSTEM") || purpose.equals("OPERATING-SYSTEM")) {
        if (!os.isKnown()) os = os(p);
        continue;
      }
      if (purl.isEmpty()) continue;
      Optional<PackageType> t = SbomReader.type(purl.get());
      if (t.isEmpty()) {
        unsupported.merge(purl.get().type(), 1, Integer::sum);
        continue;
      }
      out.add(pkg(p, purl.get(), t.get(), purpose));
    }
    if (subject == null) {
      String name = SbomReader.text(root, "name");
      subject = new SbomSubject(name == null ? label : name, null, fallback, null);
    }
    List<Problem> problems = new ArrayList<>();
    unsupported.forEach(
        (type, n) ->
            problems.add(
                new Problem(
                    label, "sbom", n + " package(s) of purl type '" + type + "' are not matched")));
    return new Sbom(SbomFormat.SPDX, subject, new Inventory(os, out, problems));
  }

  private static Optional<Purl> purl(JsonNode p) {
    for (JsonNode r : p.path("externalRefs")) {
      if (r.path("referenceType").asText().equals("purl")) {
        Optional<Purl> purl = SbomReader.purl(r.path("referenceLocator").asText(null));
        if (purl.isPresent()) return purl;
      }
    }
    return Optional.empty();
  }

  private static SbomSubject subject(
      JsonNode p, Optional<Purl> purl, String label, Digest fallback) {
    Digest d = SbomReader.digest(SbomReader.text(p, "versionInfo"));
    if (d == null && purl.isPresent()) d = SbomReader.digest(purl.get().version());
    String tag = purl.map(x -> x.qualifiers().get("tag")).orElse(null);
    String name = SbomReader.text(p, "name");
    if (name == null) name = label;
    if (tag != null && name.endsWith(":" + tag) && name.length() > tag.length() + 1) {
      name = name.substring(0, name.length() - tag.length() - 1);
    }
    return new SbomSubject(
        name,
        tag,
        d == null ? fallback : d,
        purl.map(x -> x.qualifiers().get("arch")).orElse(null));
  }

  private static OsRelease os(JsonNode p) {
    String id = SbomReader.text(p, "name");
    if (id == null) return OsRelease.UNKNOWN;
    String v = SbomReader.text(p, "versionInfo");
    boolean numeric = v != null && Character.isDigit(v.charAt(0));
    return new OsRelease(
        id.toLowerCase(Locale.ROOT),
        List.of(),
        null,
        numeric ? v : null,
        numeric ? null : v,
        SbomReader.text(p, "description"),
        false,
        "sbom");
  }

  private static Package pkg(JsonNode p, Purl purl, PackageType t, String purpose) {
    String version = SbomReader.text(p, "versionInfo");
    if (version == null) version = purl.version();
    Package.Builder b = Package.builder(t, SbomReader.name(purl, t), version).purl(purl);
    if (t.isOsPackage()) {
      String[] src = SbomReader.sourceFromQualifiers(purl);
      if (src == null) {
        String info = SbomReader.text(p, "sourceInfo");
        Matcher m = info == null ? null : BUILT_FROM.matcher(info);
        if (m != null && m.matches()) src = new String[] {m.group(1), m.group(2)};
      }
      b.source(
          src != null && src[0] != null ? src[0] : purl.name(),
          src != null && src[1] != null ? src[1] : version);
    }
    if (t == PackageType.MAVEN) b.maven(purl.namespace(), purl.name());
    b.arch(purl.qualifiers().get("arch"));
    b.mainModule(t == PackageType.GOLANG && purpose.equals("APPLICATION"));
    String comment = SbomReader.text(p, "comment");
    Matcher m = comment == null ? null : FOUND_BY.matcher(comment);
    if (m != null && m.matches()) {
      b.cataloger(m.group(1)).location(m.group(2));
    } else {
      b.cataloger("sbom");
    }
    String declared = SbomReader.text(p, "licenseDeclared");
    String comments = SbomReader.text(p, "licenseComments");
    if (declared != null) {
      b.license(declared);
    } else if (comments != null && comments.startsWith("as declared: ")) {
      for (String l : comments.substring("as declared: ".length()).split("; ")) b.license(l);
    }
    return b.build();
  }
}
