package dev.caulk.scan.vuln;

import dev.caulk.fs.FileTree;
import dev.caulk.image.Image;
import dev.caulk.scan.catalog.CatalogLimits;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.db.DbStatus;
import dev.caulk.scan.db.VulnDb;
import dev.caulk.scan.ecosystem.OsvTarget;
import dev.caulk.scan.osv.Ecosystem;
import dev.caulk.scan.osv.MatchResult;
import dev.caulk.scan.osv.OsvEntry;
import dev.caulk.scan.osv.OsvMatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code caulk sbom} and {@code caulk scan} as a library: list an image's packages in one streaming
 * pass, then match them against the local OSV store. Both steps are offline; the second needs only
 * an {@link Inventory}, so a stored SBOM can be re-scanned against today's advisories without the
 * image.
 *
 * <pre>{@code
 * Inventory inv = Scanner.catalog(image);                        // one pass over the layers
 * try (VulnDb db = VulnDb.open(VulnDb.defaultDirectory())) {
 *   ScanResult r = Scanner.scan(inv, db, ScanOptions.defaults());
 *   Report report = r.toReport(Map.of(Report.IMAGE, "app:1.4"));
 * }
 * }</pre>
 */
public final class Scanner {
  /** Undetermined matches kept for the report; the rest are only counted. */
  static final int MAX_UNDETERMINED = 200;

  private Scanner() {}

  /** The packages of an image, with default limits. */
  public static Inventory catalog(Image image) throws IOException {
    return catalog(image, CatalogLimits.defaults(), FileTree.Options.defaults());
  }

  /**
   * The packages of an image, reading each layer once (verified against its digest), with bounded
   * memory: metadata of every path, the bytes of package-database files, and the packages found.
   *
   * @param treeOptions bounds for the tree; the per-file content cap is raised so that whole jars
   *     and executables reach their catalogers (they stream; nothing is buffered whole)
   * @throws dev.caulk.tar.InvalidLayerException for a hostile or corrupt layer
   */
  public static Inventory catalog(Image image, CatalogLimits limits, FileTree.Options treeOptions)
      throws IOException {
    Objects.requireNonNull(image, "image");
    ImagePass pass = new ImagePass(limits);
    FileTree tree = FileTree.build(image, treeOptions.withMaxContentBytes(Long.MAX_VALUE), pass);
    return pass.finish(tree);
  }

  /**
   * Matches every package of an inventory against the store: OS packages by source name and version
   * with the distribution's ordering, Go modules by semver, Maven artifacts by Maven's ordering
   * (see {@link OsvTarget}). Matches of one package that name the same vulnerability (a CVE and the
   * distribution's record of it) are reported once.
   *
   * @throws dev.caulk.scan.db.VulnDbException when the store is damaged
   */
  public static ScanResult scan(Inventory inventory, VulnDb db, ScanOptions options)
      throws IOException {
    Objects.requireNonNull(inventory, "inventory");
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(options, "options");
    DbStatus status = db.status();
    Map<String, List<OsvEntry>> cache = new HashMap<>();
    Map<String, Integer> skipped = new TreeMap<>();
    List<String> undetermined = new ArrayList<>();
    int undeterminedCount = 0;
    TreeSet<String> missing = new TreeSet<>();
    TreeSet<String> queried = new TreeSet<>();
    List<Vulnerability> found = new ArrayList<>();
    for (Package p : inventory.packages()) {
      OsvTarget t = OsvTarget.of(p, inventory.os());
      if (!t.isSkipped()
          && !options.includeKernel()
          && p.type().isOsPackage()
          && isKernel(t.name())) {
        t =
            OsvTarget.skip(
                "built from the kernel source: kernel advisories concern the host, not the container");
      }
      if (t.isSkipped()) {
        skipped.merge(t.skipped(), 1, Integer::sum);
        continue;
      }
      String base = Ecosystem.parse(t.ecosystem()).name();
      queried.add(base);
      if (status.ecosystem(base).isEmpty()) {
        missing.add(base);
        continue;
      }
      String key = base.toLowerCase(Locale.ROOT) + "\0" + t.name();
      List<OsvEntry> entries = cache.get(key);
      if (entries == null) {
        entries = db.lookup(t.ecosystem(), t.name());
        cache.put(key, entries);
      }
      List<Vulnerability> mine = new ArrayList<>();
      for (OsvEntry e : entries) {
        MatchResult r = OsvMatcher.affects(e, t.ecosystem(), t.name(), t.version());
        if (r instanceof MatchResult.Affected a) {
          mine.add(Matches.vulnerability(p, t, a));
        } else if (r instanceof MatchResult.Undetermined u) {
          if (undeterminedCount++ < MAX_UNDETERMINED) {
            undetermined.add(p.name() + " " + p.version() + ": " + e.id() + ": " + u.reason());
          }
        }
      }
      for (Vulnerability v : Matches.collapse(mine)) {
        if (options.keeps(v)) found.add(v);
      }
    }
    if (undeterminedCount > MAX_UNDETERMINED) {
      undetermined.add("… and " + (undeterminedCount - MAX_UNDETERMINED) + " more");
    }
    found.sort(Vulnerability.ORDER);
    return new ScanResult(inventory, found, skipped, undetermined, queried, missing, status);
  }

  /**
   * Debian's and Ubuntu's kernel sources: {@code linux}, {@code linux-signed-amd64}, {@code
   * linux-hwe-6.5}…
   */
  static boolean isKernel(String sourceName) {
    return sourceName.equals("linux")
        || sourceName.startsWith("linux-signed")
        || sourceName.startsWith("linux-hwe")
        || sourceName.startsWith("linux-aws")
        || sourceName.startsWith("linux-azure")
        || sourceName.startsWith("linux-gcp")
        || sourceName.startsWith("linux-lts")
        || sourceName.startsWith("linux-oem");
  }
}
