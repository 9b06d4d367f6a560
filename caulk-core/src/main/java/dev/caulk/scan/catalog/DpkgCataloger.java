package dev.caulk.scan.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Debian packages from the dpkg database: {@code /var/lib/dpkg/status}, or the distroless layout
 * {@code /var/lib/dpkg/status.d/<pkg>} (one or more stanzas per file, no {@code Status} field,
 * checksums in {@code <pkg>.md5sums} beside it). Owned files come from
 * {@code /var/lib/dpkg/info/<pkg>[:<arch>].list} and {@code .md5sums} (deb-md5sums(5)).
 */
final class DpkgCataloger extends BaseCataloger {
  static final String ID = "dpkg-db";
  static final String STATUS = "/var/lib/dpkg/status";
  static final String STATUS_D = "/var/lib/dpkg/status.d/";
  static final String INFO = "/var/lib/dpkg/info/";
  private static final Set<String> FIELDS = Set.of("package", "status", "version", "architecture", "source", "maintainer");
  private static final Pattern SOURCE = Pattern.compile("^(\\S+)\\s*(?:\\((.*)\\))?$");

  private record Entry(String dbPath, String fileKey, Stanzas.Stanza stanza) {}

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
    if (size > max) throw new CatalogException("skipped: " + size + " bytes is over the " + max + "-byte bound");
    String base = path.substring(path.lastIndexOf('/') + 1);
    LineReader lines = new LineReader(in, max, "file");
    if (path.startsWith(STATUS_D) && base.endsWith(".md5sums")) {
      readMd5sums(key(base, ".md5sums"), lines);
    } else if (path.startsWith(INFO) && base.endsWith(".md5sums")) {
      readMd5sums(key(base, ".md5sums"), lines);
    } else if (path.startsWith(INFO)) {
      readList(key(base, ".list"), lines);
    } else {
      int left = limits.maxPackageRecords() - entries.size(); // one budget for status and every status.d file
      if (left <= 0) throw new CatalogException(recordBudget());
      for (Stanzas.Stanza s : Stanzas.read(lines, FIELDS, left, recordBudget())) entries.add(new Entry(path, db ? null : base, s));
    }
  }

  private String recordBudget() {
    return "skipped: more than " + limits.maxPackageRecords() + " dpkg package records in the image (the package-record budget; raise it with CAULK_JAVA_OPTS=-D"
        + CatalogLimits.PACKAGE_RECORDS_PROPERTY + "=N)";
  }

  private static String key(String base, String suffix) {
    return base.substring(0, base.length() - suffix.length());
  }

  private void readList(String key, LineReader lines) throws IOException {
    Owned o = owned.computeIfAbsent(key, k -> new Owned());
    for (String line; (line = lines.next()) != null; ) {
      String p = line.strip();
      if (p.startsWith("/") && !p.equals("/.")) keep(o, o.listed, p);
    }
  }

  /** deb-md5sums(5): {@code <32 hex md5><two spaces><path relative to />}. */
  private void readMd5sums(String key, LineReader lines) throws IOException {
    Owned o = owned.computeIfAbsent(key, k -> new Owned());
    for (String line; (line = lines.next()) != null; ) {
      int sp = line.indexOf(' ');
      if (sp != 32) continue;
      String p = line.substring(sp).strip();
      if (p.isEmpty()) continue;
      keep(o, o.summed, p.startsWith("/") ? p : "/" + p);
    }
  }

  private void keep(Owned o, Set<String> into, String path) {
    if (into.size() >= limits.maxLocationsPerPackage() || storedLocations >= limits.maxLocationsTotal()) {
      o.truncated = true;
      return;
    }
    if (into.add(path)) storedLocations++;
  }

  @Override
  public List<Package> packages(OsRelease os) {
    Map<String, Package> byId = new TreeMap<>();
    for (Entry e : entries) {
      Stanzas.Stanza s = e.stanza();
      String name = s.get("package");
      String version = s.get("version");
      if (name == null || name.isBlank() || version == null || version.isBlank()) continue;
      if (!installed(s.get("status"), e.fileKey() != null)) continue;
      Package p = toPackage(e, name.strip(), version.strip(), os);
      byId.putIfAbsent(p.name() + " " + p.arch() + " " + p.version(), p);
    }
    List<Package> out = new ArrayList<>(byId.values());
    out.sort(Package.ORDER);
    return out;
  }

  /**
   * A package counts when the third word of {@code Status} is {@code installed} and the second is
   * {@code ok}: {@code install ok installed}, {@code hold ok installed}; also {@code deinstall ok
   * installed}, since its files are still on disk. {@code config-files}, {@code half-installed},
   * {@code unpacked} and {@code not-installed} do not. A distroless {@code status.d} stanza has no
   * {@code Status}: it is installed.
   */
  static boolean installed(String status, boolean statusD) {
    if (status == null) return statusD;
    String[] w = status.strip().split("\\s+");
    return w.length == 3 && w[1].equals("ok") && w[2].equals("installed");
  }

  private Package toPackage(Entry e, String name, String version, OsRelease os) {
    Stanzas.Stanza s = e.stanza();
    String arch = blankToNull(s.get("architecture"));
    String srcName = name;
    String srcVersion = version;
    String source = s.get("source");
    if (source != null && !source.isBlank()) {
      Matcher m = SOURCE.matcher(source.strip());
      if (m.matches()) {
        srcName = m.group(1);
        if (m.group(2) != null && !m.group(2).isBlank()) srcVersion = m.group(2).strip();
      }
    }
    String vendor = os.isKnown() ? os.id() : "debian";
    Purl purl = Purl.of("deb", vendor, name, version)
        .withQualifier("arch", arch)
        .withQualifier("distro", os.distroQualifier());
    if (!srcName.equals(name) || !srcVersion.equals(version)) {
      purl = purl.withQualifier("upstream", srcVersion.equals(version) ? srcName : srcName + "@" + srcVersion);
    }
    Package.Builder b = Package.builder(PackageType.DEB, name, version)
        .purl(purl)
        .source(srcName, srcVersion)
        .arch(arch)
        .cataloger(ID)
        .location(e.dbPath())
        .property("maintainer", blankToNull(s.get("maintainer")));
    Owned o = null;
    if (e.fileKey() != null) o = owned.get(e.fileKey());
    if (o == null && arch != null) o = owned.get(name + ":" + arch);
    if (o == null) o = owned.get(name);
    if (o != null) {
      List<String> files = ownedFiles(o);
      boolean cut = o.truncated || files.size() > limits.maxLocationsPerPackage();
      b.locations(files.size() > limits.maxLocationsPerPackage() ? files.subList(0, limits.maxLocationsPerPackage()) : files);
      if (cut) b.property("locations.truncated", "true");
    }
    return b.build();
  }

  /** md5sums paths plus .list paths that are not a parent directory of another listed path. */
  private static List<String> ownedFiles(Owned o) {
    Set<String> dirs = new java.util.HashSet<>();
    for (String p : o.listed) {
      for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
        if (!dirs.add(p.substring(0, i))) break;
      }
    }
    java.util.TreeSet<String> files = new java.util.TreeSet<>(o.summed);
    for (String p : o.listed) if (!dirs.contains(p)) files.add(p);
    return new ArrayList<>(files);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
