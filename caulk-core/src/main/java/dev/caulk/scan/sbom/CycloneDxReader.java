package dev.caulk.scan.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.digest.Digest;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.catalog.Purl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** CycloneDX JSON (any 1.x with components and purls) → {@link Sbom}; see {@link SbomReader}. */
final class CycloneDxReader {
  /**
   * caulk's own per-package properties that map to {@link Package} fields rather than its property
   * map.
   */
  private static final Set<String> RESERVED =
      Set.of("type", "cataloger", "sourceName", "sourceVersion", "arch", "ownedFiles");

  private static final String CAULK_PKG = "caulk:package:";
  private static final int MAX_COMPONENTS = 1_000_000;

  private CycloneDxReader() {}

  static Sbom read(JsonNode root, String label, Digest fallback) throws SbomFormatException {
    JsonNode meta = root.path("metadata").path("component");
    SbomSubject subject = subject(meta, label, fallback);
    OsRelease os = OsRelease.UNKNOWN;
    List<Package> packages = new ArrayList<>();
    Map<String, Integer> unsupported = new TreeMap<>();
    Deque<JsonNode> todo = new ArrayDeque<>();
    todo.add(root.path("components"));
    int seen = 0;
    while (!todo.isEmpty()) {
      JsonNode list = todo.poll();
      if (!list.isArray()) continue;
      for (JsonNode c : list) {
        if (++seen > MAX_COMPONENTS)
          throw new SbomFormatException(label + ": more than " + MAX_COMPONENTS + " components");
        todo.add(c.path("components"));
        String type = c.path("type").asText();
        if (type.equals("operating-system")) {
          if (!os.isKnown()) os = os(c);
          continue;
        }
        Optional<Purl> purl = SbomReader.purl(c.path("purl").asText(null));
        if (purl.isEmpty()) continue;
        Optional<PackageType> t = SbomReader.type(purl.get());
        if (t.isEmpty()) {
          unsupported.merge(purl.get().type(), 1, Integer::sum);
          continue;
        }
        packages.add(pkg(c, purl.get(), t.get()));
      }
    }
    List<Problem> problems = new ArrayList<>();
    unsupported.forEach(
        (type, n) ->
            problems.add(
                new Problem(
                    label,
                    "sbom",
                    n + " component(s) of purl type '" + type + "' are not matched")));
    return new Sbom(SbomFormat.CYCLONEDX, subject, new Inventory(os, packages, problems));
  }

  private static SbomSubject subject(JsonNode meta, String label, Digest fallback) {
    Map<String, String> props = properties(meta);
    Optional<Purl> purl = SbomReader.purl(meta.path("purl").asText(null));
    Digest d = SbomReader.digest(meta.path("version").asText(null));
    if (d == null && purl.isPresent()) d = SbomReader.digest(purl.get().version());
    if (d == null) d = SbomReader.digest(props.get("caulk:image:digest"));
    if (d == null) d = fallback;
    String tag = purl.map(p -> p.qualifiers().get("tag")).orElse(null);
    String arch = purl.map(p -> p.qualifiers().get("arch")).orElse(null);
    String name = SbomReader.text(meta, "name");
    if (name == null) name = label;
    if (tag != null && name.endsWith(":" + tag) && name.length() > tag.length() + 1) {
      name = name.substring(0, name.length() - tag.length() - 1);
    }
    return new SbomSubject(name, tag, d, arch);
  }

  private static OsRelease os(JsonNode c) {
    Map<String, String> props = properties(c);
    String id = SbomReader.text(c, "name");
    String version = SbomReader.text(c, "version");
    String codename = props.get("caulk:os:codename");
    String versionId = version != null && version.equals(codename) ? null : version;
    if (id == null) return OsRelease.UNKNOWN;
    return new OsRelease(
        id.toLowerCase(Locale.ROOT),
        List.of(),
        null,
        versionId,
        codename,
        SbomReader.text(c, "description"),
        "true".equals(props.get("caulk:os:distroless")),
        "sbom");
  }

  private static Package pkg(JsonNode c, Purl purl, PackageType t) {
    Map<String, String> props = properties(c);
    String version = SbomReader.text(c, "version");
    if (version == null) version = purl.version();
    Package.Builder b = Package.builder(t, SbomReader.name(purl, t), version).purl(purl);
    if (t.isOsPackage()) {
      String[] src = source(props, purl);
      String srcName = src != null && src[0] != null ? src[0] : purl.name();
      String srcVersion = src != null && src[1] != null ? src[1] : version;
      b.source(srcName, srcVersion);
    }
    if (t == PackageType.MAVEN) {
      String group = SbomReader.text(c, "group");
      b.maven(group != null ? group : purl.namespace(), purl.name());
    }
    String arch = props.getOrDefault(CAULK_PKG + "arch", purl.qualifiers().get("arch"));
    b.arch(arch);
    String cataloger =
        props.getOrDefault(
            CAULK_PKG + "cataloger", props.getOrDefault("syft:package:foundBy", "sbom"));
    b.cataloger(cataloger);
    String location =
        props.getOrDefault("caulk:location:0:path", props.get("syft:location:0:path"));
    if (location == null) location = props.get("aquasecurity:trivy:FilePath");
    if (location != null) b.location(location.startsWith("/") ? location : "/" + location);
    b.mainModule(t == PackageType.GOLANG && c.path("type").asText().equals("application"));
    for (JsonNode l : c.path("licenses")) {
      String id = l.path("license").path("id").asText(null);
      String name = l.path("license").path("name").asText(null);
      String expr = l.path("expression").asText(null);
      b.license(id != null ? id : name != null ? name : expr);
    }
    props.forEach(
        (k, v) -> {
          if (k.startsWith(CAULK_PKG) && !RESERVED.contains(k.substring(CAULK_PKG.length()))) {
            b.property(k.substring(CAULK_PKG.length()), v);
          }
        });
    return b.build();
  }

  /**
   * {name, version} of the source package, from caulk's or Trivy's properties or the purl; null
   * when none.
   */
  private static String[] source(Map<String, String> props, Purl purl) {
    String name = props.get(CAULK_PKG + "sourceName");
    if (name != null) return new String[] {name, props.get(CAULK_PKG + "sourceVersion")};
    String trivy = props.get("aquasecurity:trivy:SrcName");
    if (trivy != null) {
      String v = props.get("aquasecurity:trivy:SrcVersion");
      if (v != null) {
        String rel = props.get("aquasecurity:trivy:SrcRelease");
        String epoch = props.get("aquasecurity:trivy:SrcEpoch");
        if (rel != null && !rel.isEmpty()) v = v + "-" + rel;
        if (epoch != null && !epoch.isEmpty() && !epoch.equals("0")) v = epoch + ":" + v;
      }
      return new String[] {trivy, v};
    }
    return SbomReader.sourceFromQualifiers(purl);
  }

  private static Map<String, String> properties(JsonNode c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode p : c.path("properties")) {
      String n = p.path("name").asText(null);
      String v = p.path("value").asText(null);
      if (n != null && v != null) out.putIfAbsent(n, v);
    }
    return out;
  }
}
