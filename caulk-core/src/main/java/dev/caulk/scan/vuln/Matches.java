package dev.caulk.scan.vuln;

import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.ecosystem.OsvTarget;
import dev.caulk.scan.osv.MatchResult;
import dev.caulk.scan.osv.OsvEntry;
import dev.caulk.scan.osv.OsvReference;
import dev.caulk.scan.osv.Severities;
import dev.caulk.scan.osv.SeverityRating;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns OSV matches into {@link Vulnerability} values and folds duplicates of one package together.
 *
 * <p>Why folding is needed: one vulnerability reaches a Debian package through several records,
 * e.g. {@code DEBIAN-CVE-2023-5678} (upstream {@code CVE-2023-5678}) and {@code DLA-3766-1}; a Go
 * module through {@code GO-2024-2687} with aliases {@code CVE-…} and {@code GHSA-…}. Reporting each
 * would count one problem several times and defeat ignores written by CVE. So: every match gets the
 * id people search for (the CVE when the record names exactly one), matches with the same id are
 * merged (worst severity, a known fix preferred, aliases united), and a record covering several
 * CVEs (a DSA) is dropped when each of its CVEs is already reported for the package.
 */
final class Matches {
  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 4096;
  static final int MAX_REFERENCES = 8;

  private Matches() {}

  static Vulnerability vulnerability(Package p, OsvTarget t, MatchResult.Affected a) {
    OsvEntry e = a.entry();
    TreeSet<String> ids = new TreeSet<>();
    ids.add(e.id());
    ids.addAll(e.aliases());
    ids.addAll(e.upstream());
    String primary = primaryId(e);
    ids.remove(primary);
    SeverityRating rating = Severities.rate(a);
    List<String> refs = new ArrayList<>();
    for (OsvReference r : e.references()) {
      if (refs.size() >= MAX_REFERENCES) break;
      if (r.url().startsWith("https://") || r.url().startsWith("http://")) refs.add(r.url());
    }
    return new Vulnerability(
        p,
        t.ecosystem(),
        t.name(),
        t.version(),
        primary,
        e.id(),
        List.copyOf(ids),
        rating,
        a.fixedVersion(),
        title(e),
        clip(e.details().strip(), MAX_DESCRIPTION),
        refs);
  }

  /**
   * The record's own id when it is a CVE; else its only CVE alias or upstream id; else its own id.
   */
  static String primaryId(OsvEntry e) {
    if (e.id().startsWith("CVE-")) return e.id();
    Set<String> cves = cves(e);
    return cves.size() == 1 ? cves.iterator().next() : e.id();
  }

  private static Set<String> cves(OsvEntry e) {
    TreeSet<String> cves = new TreeSet<>();
    for (String s : e.aliases()) if (s.startsWith("CVE-")) cves.add(s);
    for (String s : e.upstream()) if (s.startsWith("CVE-")) cves.add(s);
    if (e.id().startsWith("CVE-")) cves.add(e.id());
    return cves;
  }

  private static String title(OsvEntry e) {
    String s = e.summary().strip();
    if (s.isEmpty()) {
      String d = e.details().strip();
      int nl = d.indexOf('\n');
      s = nl < 0 ? d : d.substring(0, nl).strip();
    }
    if (s.isEmpty()) s = e.id();
    return clip(s.replaceAll("\\s+", " "), MAX_TITLE);
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** Folds the matches of one package (see the class comment). */
  static List<Vulnerability> collapse(List<Vulnerability> matches) {
    if (matches.size() < 2) return matches;
    Map<String, Vulnerability> byId = new LinkedHashMap<>();
    for (Vulnerability v : matches) byId.merge(v.id(), v, Matches::merge);
    Set<String> reported = new HashSet<>(byId.keySet());
    List<Vulnerability> out = new ArrayList<>();
    for (Vulnerability v : byId.values()) {
      if (!v.id().startsWith("CVE-")) {
        List<String> cves = v.aliases().stream().filter(s -> s.startsWith("CVE-")).toList();
        if (!cves.isEmpty() && reported.containsAll(cves)) continue;
      }
      out.add(v);
    }
    return out;
  }

  private static final Comparator<Vulnerability> BEST =
      Comparator.comparing((Vulnerability v) -> v.severity())
          .thenComparing(v -> v.isFixed())
          .thenComparing(v -> v.rating().score().orElse(-1))
          .thenComparing(Vulnerability::advisory, Comparator.reverseOrder());

  private static Vulnerability merge(Vulnerability a, Vulnerability b) {
    Vulnerability best = BEST.compare(a, b) >= 0 ? a : b;
    TreeSet<String> ids = new TreeSet<>(a.aliases());
    ids.addAll(b.aliases());
    ids.add(a.advisory());
    ids.add(b.advisory());
    ids.remove(best.id());
    return new Vulnerability(
        best.pkg(),
        best.ecosystem(),
        best.matchedName(),
        best.matchedVersion(),
        best.id(),
        best.advisory(),
        List.copyOf(ids),
        best.rating(),
        best.fixedVersion(),
        best.title(),
        best.description(),
        best.references());
  }
}
