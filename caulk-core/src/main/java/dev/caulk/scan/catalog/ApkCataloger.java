package dev.caulk.scan.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alpine packages from the apk installed database, {@code /lib/apk/db/installed} (or
 * {@code /usr/lib/apk/db/installed} in apk v3 layouts): blank-line-separated records of
 * {@code X:value} lines (apk-tools {@code package.c} and {@code database.c}). Used here:
 * {@code P} name, {@code V} version, {@code A} arch, {@code L} license, {@code o} origin (the
 * source package that advisories name), {@code F} directory and {@code R} file (owned files).
 */
final class ApkCataloger extends BaseCataloger {
  static final String ID = "apk-db";
  static final List<String> PATHS = List.of("/lib/apk/db/installed", "/usr/lib/apk/db/installed");

  private static final class Record {
    String db;
    String name;
    String version;
    String arch;
    String license;
    String origin;
    String maintainer;
    String dir = "";
    final List<String> files = new ArrayList<>();
    boolean truncated;
  }

  private final List<Record> records = new ArrayList<>();
  private int storedLocations;

  ApkCataloger(CatalogLimits limits) {
    super(limits);
  }

  @Override
  public String name() {
    return ID;
  }

  @Override
  public boolean wants(String path, long size, boolean executable) {
    return PATHS.contains(path);
  }

  @Override
  void read(String path, InputStream in, long size) throws IOException {
    if (size > limits.maxDatabaseBytes()) {
      throw new CatalogException("skipped: " + size + " bytes is over the " + limits.maxDatabaseBytes() + "-byte bound");
    }
    LineReader lines = new LineReader(in, limits.maxDatabaseBytes(), "apk database");
    Record r = null;
    for (String line; (line = lines.next()) != null; ) {
      if (line.isEmpty()) {
        add(r);
        r = null;
        continue;
      }
      if (line.length() < 2 || line.charAt(1) != ':') continue;
      if (r == null) {
        r = new Record();
        r.db = path;
      }
      String v = line.substring(2);
      switch (line.charAt(0)) {
        case 'P' -> r.name = v.strip();
        case 'V' -> r.version = v.strip();
        case 'A' -> r.arch = v.strip();
        case 'L' -> r.license = v.strip();
        case 'o' -> r.origin = v.strip();
        case 'm' -> r.maintainer = v.strip();
        case 'F' -> r.dir = v.strip();
        case 'R' -> file(r, v.strip());
        default -> { }
      }
    }
    add(r);
  }

  private void file(Record r, String name) {
    if (name.isEmpty() || name.contains("/")) return;
    if (r.files.size() >= limits.maxLocationsPerPackage() || storedLocations >= limits.maxLocationsTotal()) {
      r.truncated = true;
      return;
    }
    r.files.add(r.dir.isEmpty() ? "/" + name : "/" + r.dir + "/" + name);
    storedLocations++;
  }

  private void add(Record r) throws CatalogException {
    if (r != null && records.size() >= limits.maxPackageRecords()) {
      throw new CatalogException("skipped the rest: more than " + limits.maxPackageRecords()
          + " apk package records in the image (the package-record budget; raise it with CAULK_JAVA_OPTS=-D"
          + CatalogLimits.PACKAGE_RECORDS_PROPERTY + "=N)");
    }
    if (r != null && r.name != null && !r.name.isEmpty() && r.version != null && !r.version.isEmpty()) records.add(r);
  }

  @Override
  public List<Package> packages(OsRelease os) {
    Map<String, Package> byId = new TreeMap<>();
    for (Record r : records) {
      String vendor = os.isKnown() ? os.id() : "alpine";
      String origin = r.origin == null || r.origin.isEmpty() ? r.name : r.origin;
      Purl purl = Purl.of("apk", vendor, r.name, r.version)
          .withQualifier("arch", r.arch)
          .withQualifier("distro", os.distroQualifier());
      if (!origin.equals(r.name)) purl = purl.withQualifier("upstream", origin);
      Package.Builder b = Package.builder(PackageType.APK, r.name, r.version)
          .purl(purl)
          .source(origin, r.version)
          .arch(r.arch)
          .license(r.license)
          .cataloger(ID)
          .location(r.db)
          .locations(r.files.stream().sorted().toList())
          .property("maintainer", r.maintainer);
      if (r.truncated) b.property("locations.truncated", "true");
      byId.putIfAbsent(r.name + " " + r.arch + " " + r.version, b.build());
    }
    List<Package> out = new ArrayList<>(byId.values());
    out.sort(Package.ORDER);
    return out;
  }
}
