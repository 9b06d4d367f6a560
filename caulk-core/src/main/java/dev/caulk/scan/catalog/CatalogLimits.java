package dev.caulk.scan.catalog;

/**
 * Bounds on what catalogers read and keep, because every byte of an image is untrusted. A file past
 * a bound is skipped (or cut short) with a {@link Problem}, never read without limit.
 *
 * @param maxDatabaseBytes largest dpkg {@code status} or apk {@code installed} file read
 * @param maxSmallFileBytes largest os-release, status.d stanza file, {@code .list} or {@code
 *     .md5sums} read
 * @param maxLocationsPerPackage owned-file locations kept per OS package (the rest are counted in a
 *     property)
 * @param maxLocationsTotal owned-file locations kept per cataloger, all packages together
 * @param maxBinaryBytes largest executable examined for Go build information
 * @param maxElfRetainedBytes bytes of an ELF file's non-executable segments held in memory while
 *     streaming it, to follow the pre-Go-1.18 pointer format; the writable segment comes first
 * @param maxArchiveDepth deepest nesting of Java archives followed ({@code app.war → lib.jar} is
 *     depth 2)
 * @param maxArchiveBytes decompressed bytes read from all Java archives of the image, nested ones
 *     included
 * @param maxArchiveEntries entries read from all Java archives of the image, nested ones included
 * @param maxMetadataBytes largest {@code pom.properties} or {@code MANIFEST.MF} read
 * @param maxPackageRecords package records (dpkg stanzas, apk records) read from the image's
 *     databases, per package manager; past it the database is skipped with a problem naming the
 *     budget
 */
public record CatalogLimits(
    long maxDatabaseBytes,
    long maxSmallFileBytes,
    int maxLocationsPerPackage,
    int maxLocationsTotal,
    long maxBinaryBytes,
    long maxElfRetainedBytes,
    int maxArchiveDepth,
    long maxArchiveBytes,
    int maxArchiveEntries,
    int maxMetadataBytes,
    int maxPackageRecords) {
  /**
   * Default {@link #maxPackageRecords}: five times the largest real images (a few thousand
   * packages), and what an SBOM of them needs within a 256 MB heap (the writers hold the document:
   * about 5 KB per package at peak). The system property {@value #PACKAGE_RECORDS_PROPERTY} raises
   * it ({@code CAULK_JAVA_OPTS=-Dcaulk.budget.package-records=N}).
   */
  public static final int DEFAULT_MAX_PACKAGE_RECORDS = 30_000;

  /** The setting that overrides {@link #DEFAULT_MAX_PACKAGE_RECORDS}. */
  public static final String PACKAGE_RECORDS_PROPERTY = "caulk.budget.package-records";

  private static int packageRecordsSetting() {
    String v = System.getProperty(PACKAGE_RECORDS_PROPERTY);
    if (v == null || v.isBlank()) return DEFAULT_MAX_PACKAGE_RECORDS;
    try {
      int n = Integer.parseInt(v.strip());
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(
        "invalid " + PACKAGE_RECORDS_PROPERTY + " '" + v.strip() + "': expected a positive number");
  }

  public CatalogLimits(
      long maxDatabaseBytes,
      long maxSmallFileBytes,
      int maxLocationsPerPackage,
      int maxLocationsTotal,
      long maxBinaryBytes,
      long maxElfRetainedBytes,
      int maxArchiveDepth,
      long maxArchiveBytes,
      int maxArchiveEntries,
      int maxMetadataBytes) {
    this(
        maxDatabaseBytes,
        maxSmallFileBytes,
        maxLocationsPerPackage,
        maxLocationsTotal,
        maxBinaryBytes,
        maxElfRetainedBytes,
        maxArchiveDepth,
        maxArchiveBytes,
        maxArchiveEntries,
        maxMetadataBytes,
        packageRecordsSetting());
  }

  public CatalogLimits {
    if (maxDatabaseBytes <= 0
        || maxSmallFileBytes <= 0
        || maxLocationsPerPackage < 0
        || maxLocationsTotal < 0
        || maxBinaryBytes <= 0
        || maxElfRetainedBytes <= 0
        || maxArchiveDepth < 1
        || maxArchiveBytes <= 0
        || maxArchiveEntries <= 0
        || maxMetadataBytes <= 0
        || maxPackageRecords <= 0) {
      throw new IllegalArgumentException("catalog limits must be positive");
    }
  }

  /** Defaults sized for real images on a small machine (a few hundred MiB of heap at most). */
  public static CatalogLimits defaults() {
    return new CatalogLimits(
        256L << 20, 16L << 20, 20_000, 500_000, 2L << 30, 96L << 20, 8, 4L << 30, 500_000, 1 << 20);
  }

  /** A copy with another archive nesting depth. */
  public CatalogLimits withMaxArchiveDepth(int depth) {
    return new CatalogLimits(
        maxDatabaseBytes,
        maxSmallFileBytes,
        maxLocationsPerPackage,
        maxLocationsTotal,
        maxBinaryBytes,
        maxElfRetainedBytes,
        depth,
        maxArchiveBytes,
        maxArchiveEntries,
        maxMetadataBytes,
        maxPackageRecords);
  }

  /** A copy with another decompressed-bytes bound per archive. */
  public CatalogLimits withMaxArchiveBytes(long bytes) {
    return new CatalogLimits(
        maxDatabaseBytes,
        maxSmallFileBytes,
        maxLocationsPerPackage,
        maxLocationsTotal,
        maxBinaryBytes,
        maxElfRetainedBytes,
        maxArchiveDepth,
        bytes,
        maxArchiveEntries,
        maxMetadataBytes,
        maxPackageRecords);
  }

  /** A copy with another bound on retained ELF segment bytes. */
  public CatalogLimits withMaxElfRetainedBytes(long bytes) {
    return new CatalogLimits(
        maxDatabaseBytes,
        maxSmallFileBytes,
        maxLocationsPerPackage,
        maxLocationsTotal,
        maxBinaryBytes,
        bytes,
        maxArchiveDepth,
        maxArchiveBytes,
        maxArchiveEntries,
        maxMetadataBytes,
        maxPackageRecords);
  }

  /** A copy with another bound on owned-file locations per package. */
  public CatalogLimits withMaxLocationsPerPackage(int n) {
    return new CatalogLimits(
        maxDatabaseBytes,
        maxSmallFileBytes,
        n,
        maxLocationsTotal,
        maxBinaryBytes,
        maxElfRetainedBytes,
        maxArchiveDepth,
        maxArchiveBytes,
        maxArchiveEntries,
        maxMetadataBytes,
        maxPackageRecords);
  }

  /** A copy with another bound on database file size. */
  public CatalogLimits withMaxDatabaseBytes(long bytes) {
    return new CatalogLimits(
        bytes,
        maxSmallFileBytes,
        maxLocationsPerPackage,
        maxLocationsTotal,
        maxBinaryBytes,
        maxElfRetainedBytes,
        maxArchiveDepth,
        maxArchiveBytes,
        maxArchiveEntries,
        maxMetadataBytes,
        maxPackageRecords);
  }

  /** A copy with another budget of package records per image. */
  public CatalogLimits withMaxPackageRecords(int n) {
    return new CatalogLimits(
        maxDatabaseBytes,
        maxSmallFileBytes,
        maxLocationsPerPackage,
        maxLocationsTotal,
        maxBinaryBytes,
        maxElfRetainedBytes,
        maxArchiveDepth,
        maxArchiveBytes,
        maxArchiveEntries,
        maxMetadataBytes,
        n);
  }
}
