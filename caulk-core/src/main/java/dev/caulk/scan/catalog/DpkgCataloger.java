package dev.caulk.scan.catalog;

import dev.caulk.pkgdb.DpkgDatabase;
import dev.caulk.pkgdb.DpkgRecord;
import dev.caulk.pkgdb.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Debian packages from the dpkg database: {@code /var/lib/dpkg/status}, or the distroless layout
 * {@code /var/lib/dpkg/status.d/<pkg>} (one or more stanzas per file, no {@code Status} field,
 * checksums in {@code <pkg>.md5sums} beside it). Owned files come from {@code
 * /var/lib/dpkg/info/<pkg>[:<arch>].list} and {@code .md5sums} (deb-md5sums(5)). The files are
 * parsed by {@link DpkgDatabase}; this class applies the catalog's budgets and makes packages.
 */
final class DpkgCataloger extends BaseCataloger {
  static final String ID = "dpkg-db";
  static final String STATUS = DpkgDatabase.STATUS;
  static final String STATUS_D = DpkgDatabase.STATUS_D + "/";
  static final String INFO = DpkgDatabase.INFO + "/";

  private record Entry(String dbPath, String fileKey, DpkgRecord record) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, Owned> owned = new HashMap<>();
  private int storedLocations;

  /** Owned files of one package key ({@code libc6:amd64}), from .list and .md5sums. */
  private static final class Owned {
    final Set<String> listed = new LinkedHashSet<>();
    final Set<String> summed = new LinkedHashSet<>();
    boolean truncated;
  }

  DpkgCataloger(CatalogLimits limits) {
    super(limits);
  }

  @Override
  public String name() {
    return ID;
  }

  @Override
  public boolean wants(String path, long size, boolean executable) {
    if (path.equals(STATUS)) return true;
    if (path.startsWith(STATUS_D)) return path.indexOf('/', STATUS_D.length()) < 0;
    if (path.startsWith(INFO) && path.indexOf('/', INFO.length()) < 0) {
      return path.endsWith(".list") || path.endsWith(".md5sums");
    }
    return false;
  }

  @Override
  void read(String path, InputStream in, long size) throws IOException {
    boolean db = path.equals(STATUS);
    long max = db ? limits.maxDatabaseBytes() : limits.maxSmallFileBytes();
    if (size > max)
      throw new CatalogException("skipped: " + size + " bytes is over the " + max + "-byte bound");
    String base = path.substring(path.lastIndexOf('/') + 1);
    LineReader lines = new LineReader(in, max, "file");
    if (path.startsWith(STATUS_D) && base.endsWith(".md5sums")) {
      readMd5sums(key(base, ".md5sums"), lines);
    } else if (path.startsWith(INFO) && base.endsWith(".md5sums")) {
      readMd5sums(key(base, ".md5sums"), lines);
    } else if (path.startsWith(INFO)) {
      readList(key(base, ".list"), lines);
    } else {
      int left =
          limits.maxPackageRecords()
              - entries.size(); // one budget for status and every status.d file
      if (left <= 0) throw new CatalogException(recordBudget());
      // a file over the budget adds none of its records
      List<Entry> read = new ArrayList<>();
      DpkgDatabase.status(
          lines,
          false,
          r -> {
            if (read.size() >= left) throw new CatalogException(recordBudget());
            read.add(new Entry(path, db ? null : base, r));
          });
      entries.addAll(read);
    }
  }

  private String recordBudget() {
    return "skipped: more than "
        + limits.maxPackageRecords()
        + " dpkg package records in the image (the package-record budget; raise it with CAULK_JAVA_OPTS=-D"
        + CatalogLimits.PACKAGE_RECORDS_PROPERTY
        + "=N)";
  }

  private static String key(String base, String suffix) {
    return base.substring(0, base.length() - suffix.length());
  }

  private void readList(String key, LineReader lines) throws IOException {
    Owned o = owned.computeIfAbsent(key, k -> new Owned());
    DpkgDatabase.list(lines, p -> keep(o, o.listed, p));
  }

  /** deb-md5sums(5): {@code <md5><two spaces><path relative to />}. */
  private void readMd5sums(String key, LineReader lines) throws IOException {
    Owned o = owned.computeIfAbsent(key, k -> new Owned());
    DpkgDatabase.md5sums(lines, m -> keep(o, o.summed, m.path()));
  }

  private void keep(Owned o, Set<String> into, String path) {
    if (into.size() >= limits.maxLocationsPerPackage()
        || storedLocations >= limits.maxLocationsTotal()) {
      o.truncated = true;
      return;
    }
    if (into.add(path)) storedLocations++;
  }

  @Override
  public List<Package> packages(OsRelease os) {
    Map<String, Package> byId = new TreeMap<>();
    for (Entry e : entries) {
      DpkgRecord r = e.record();
      String name = r.name();
      String version = r.version();
      if (name == null || name.isEmpty() || version == null || version.isEmpty()) continue;
      if (!r.installed(e.fileKey() != null)) continue;
      Package p = toPackage(e, name, version, os);
      byId.putIfAbsent(p.name() + " " + p.arch() + " " + p.version(), p);
    }
    List<Package> out = new ArrayList<>(byId.values());
    out.sort(Package.ORDER);
    return out;
  }

  private Package toPackage(Entry e, String name, String version, OsRelease os) {
    DpkgRecord r = e.record();
    String arch = blankToNull(r.architecture());
    String srcName = r.sourceName();
    String srcVersion = r.sourceVersion();
    String vendor = os.isKnown() ? os.id() : "debian";
    Purl purl =
        Purl.of("deb", vendor, name, version)
            .withQualifier("arch", arch)
            .withQualifier("distro", os.distroQualifier());
    if (!srcName.equals(name) || !srcVersion.equals(version)) {
      purl =
          purl.withQualifier(
              "upstream", srcVersion.equals(version) ? srcName : srcName + "@" + srcVersion);
    }
    Package.Builder b =
        Package.builder(PackageType.DEB, name, version)
            .purl(purl)
            .source(srcName, srcVersion)
            .arch(arch)
            .cataloger(ID)
            .location(e.dbPath())
            .property("maintainer", blankToNull(r.maintainer()));
    Owned o = null;
    if (e.fileKey() != null) o = owned.get(e.fileKey());
    for (String k : DpkgDatabase.infoKeys(name, arch)) {
      if (o == null) o = owned.get(k);
    }
    if (o != null) {
      List<String> files = ownedFiles(o);
      boolean cut = o.truncated || files.size() > limits.maxLocationsPerPackage();
      b.locations(
          files.size() > limits.maxLocationsPerPackage()
              ? files.subList(0, limits.maxLocationsPerPackage())
              : files);
      if (cut) b.property("locations.truncated", "true");
    }
    return b.build();
  }

  /** md5sums paths plus .list paths that are not a parent directory of another listed path. */
  private static List<String> ownedFiles(Owned o) {
    TreeSet<String> files = new TreeSet<>(o.summed);
    files.addAll(DpkgDatabase.leaves(o.listed));
    return new ArrayList<>(files);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
