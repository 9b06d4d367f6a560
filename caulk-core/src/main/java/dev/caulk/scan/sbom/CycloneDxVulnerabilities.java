package dev.caulk.scan.sbom;

import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.osv.SeverityRating;
import dev.caulk.scan.vuln.Vulnerability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cyclonedx.model.vulnerability.Vulnerability.Affect;
import org.cyclonedx.model.vulnerability.Vulnerability.Rating;
import org.cyclonedx.model.vulnerability.Vulnerability.Reference;
import org.cyclonedx.model.vulnerability.Vulnerability.Source;
import org.cyclonedx.model.vulnerability.Vulnerability.Version;

/**
 * The CycloneDX 1.6 {@code vulnerabilities} section (ECMA-424, "Vulnerabilities"): one entry per
 * vulnerability id, its OSV advisory as {@code source}, every other id as a {@code reference}, the
 * rating caulk used (method from the CVSS vector's version, else {@code other}), and one {@code
 * affects} entry per installed package: the installed version {@code affected}, the fixed version,
 * when known, {@code unaffected}.
 */
final class CycloneDxVulnerabilities {
  private CycloneDxVulnerabilities() {}

  static List<org.cyclonedx.model.vulnerability.Vulnerability> of(
      List<Vulnerability> vulns, Function<Package, String> bomRef) {
    Map<String, List<Vulnerability>> byId = new LinkedHashMap<>();
    for (Vulnerability v : vulns) byId.computeIfAbsent(v.id(), k -> new ArrayList<>()).add(v);
    List<org.cyclonedx.model.vulnerability.Vulnerability> out = new ArrayList<>();
    for (Map.Entry<String, List<Vulnerability>> e : byId.entrySet()) {
      Vulnerability first = e.getValue().get(0);
      org.cyclonedx.model.vulnerability.Vulnerability c =
          new org.cyclonedx.model.vulnerability.Vulnerability();
      c.setBomRef("vuln:" + e.getKey());
      c.setId(e.getKey());
      c.setSource(source("OSV", "https://osv.dev/vulnerability/" + first.advisory()));
      LinkedHashSet<String> others = new LinkedHashSet<>();
      for (Vulnerability v : e.getValue()) {
        others.add(v.advisory());
        others.addAll(v.aliases());
      }
      others.remove(e.getKey());
      for (String id : others) {
        Reference r = new Reference();
        r.setId(id);
        r.setSource(source(sourceName(id), "https://osv.dev/vulnerability/" + id));
        c.addReference(r);
      }
      c.addRating(rating(first.rating()));
      c.setDescription(first.title());
      if (!first.description().isEmpty()) c.setDetail(first.description());
      List<String> advice = new ArrayList<>();
      List<Affect> affects = new ArrayList<>();
      for (Vulnerability v : e.getValue()) {
        String ref = bomRef.apply(v.pkg());
        if (ref == null) continue;
        Affect a = new Affect();
        a.setRef(ref);
        List<Version> versions = new ArrayList<>();
        versions.add(version(v.pkg().version(), Version.Status.AFFECTED));
        v.fixedVersion().ifPresent(f -> versions.add(version(f, Version.Status.UNAFFECTED)));
        a.setVersions(versions);
        affects.add(a);
        v.fixedVersion()
            .ifPresent(f -> advice.add("Upgrade " + v.pkg().name() + " to " + f + " or later."));
      }
      c.setAffects(affects);
      List<String> distinct = new ArrayList<>(new LinkedHashSet<>(advice));
      if (!distinct.isEmpty()) c.setRecommendation(String.join(" ", distinct));
      out.add(c);
    }
    return out;
  }

  private static Version version(String v, Version.Status status) {
    Version out = new Version();
    out.setVersion(v);
    out.setStatus(status);
    return out;
  }

  private static Source source(String name, String url) {
    Source s = new Source();
    s.setName(name);
    s.setUrl(url);
    return s;
  }

  /** The database an id comes from, by its prefix ({@code GHSA-…} → GHSA, {@code DSA-…} → DSA). */
  static String sourceName(String id) {
    int dash = id.indexOf('-');
    return dash > 0 ? id.substring(0, dash) : "OSV";
  }

  private static Rating rating(SeverityRating r) {
    Rating out = new Rating();
    out.setSeverity(
        switch (r.severity()) {
          case CRITICAL -> Rating.Severity.CRITICAL;
          case HIGH -> Rating.Severity.HIGH;
          case MEDIUM -> Rating.Severity.MEDIUM;
          case LOW -> Rating.Severity.LOW;
          case INFO ->
              Rating.Severity.INFO; // never a vulnerability's rating; CycloneDX has the word
          case UNKNOWN -> Rating.Severity.UNKNOWN;
        });
    r.score().ifPresent(out::setScore);
    String vector = r.detail();
    if (vector.startsWith("CVSS:3.1/")) out.setMethod(Rating.Method.CVSSV31);
    else if (vector.startsWith("CVSS:3.0/")) out.setMethod(Rating.Method.CVSSV3);
    else if (vector.startsWith("CVSS:4.0/")) out.setMethod(Rating.Method.CVSSV4);
    else if (r.source().startsWith("CVSS_V2")) out.setMethod(Rating.Method.CVSSV2);
    else out.setMethod(Rating.Method.OTHER);
    if (r.source().startsWith("CVSS") && !vector.isEmpty()) out.setVector(vector);
    else if (!vector.isEmpty()) out.setJustification(r.source() + ": " + vector);
    out.setSource(source("OSV", null));
    return out;
  }
}
