package dev.caulk.scan.catalog;

import dev.caulk.pkgdb.ApkDatabase;
import dev.caulk.pkgdb.ApkRecord;
import dev.caulk.pkgdb.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alpine packages from the apk installed database, {@code /lib/apk/db/installed} (or {@code
 * /usr/lib/apk/db/installed} in apk v3 layouts), parsed by {@link ApkDatabase}; this class applies
 * the catalog's budgets and makes packages: {@code o} origin is the source package that advisories
 * name, {@code F}/{@code R} are the owned files.
 */
final class ApkCataloger extends BaseCataloger {
  static final String ID = "apk-db";
  static final List<String> PATHS = ApkDatabase.PATHS;

  private record Record(String db, ApkRecord record) {}

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
      throw new CatalogException(
          "skipped: " + size + " bytes is over the " + limits.maxDatabaseBytes() + "-byte bound");
    }
    LineReader lines = new LineReader(in, limits.maxDatabaseBytes(), "apk database");
    ApkDatabase.read(
        lines,
        this::takeFile,
        false,
        r -> {
          // the records before the one over the budget are kept
          if (records.size() >= limits.maxPackageRecords()) {
            throw new CatalogException(
                "skipped the rest: more than "
                    + limits.maxPackageRecords()
                    + " apk package records in the image (the package-record budget; raise it with CAULK_JAVA_OPTS=-D"
                    + CatalogLimits.PACKAGE_RECORDS_PROPERTY
                    + "=N)");
          }
          if (r.version() != null && !r.version().isEmpty()) records.add(new Record(path, r));
        });
  }

  private boolean takeFile(int kept) {
    if (kept >= limits.maxLocationsPerPackage() || storedLocations >= limits.maxLocationsTotal())
      return false;
    storedLocations++;
    return true;
  }

  @Override
  public List<Package> packages(OsRelease os) {
    Map<String, Package> byId = new TreeMap<>();
    for (Record e : records) {
      ApkRecord r = e.record();
      String vendor = os.isKnown() ? os.id() : "alpine";
      String origin = r.sourceName();
      Purl purl =
          Purl.of("apk", vendor, r.name(), r.version())
              .withQualifier("arch", r.architecture())
              .withQualifier("distro", os.distroQualifier());
      if (!origin.equals(r.name())) purl = purl.withQualifier("upstream", origin);
      Package.Builder b =
          Package.builder(PackageType.APK, r.name(), r.version())
              .purl(purl)
              .source(origin, r.version())
              .arch(r.architecture())
              .license(r.license())
              .cataloger(ID)
              .location(e.db())
              .locations(r.files().stream().sorted().toList())
              .property("maintainer", r.maintainer());
      if (r.filesTruncated()) b.property("locations.truncated", "true");
      byId.putIfAbsent(r.name() + " " + r.architecture() + " " + r.version(), b.build());
    }
    List<Package> out = new ArrayList<>(byId.values());
    out.sort(Package.ORDER);
    return out;
  }
}
