package dev.caulk.scan.catalog;

/**
 * The kinds of package caulk catalogs. Each maps to one purl type; its cataloguer, version scheme
 * and OSV ecosystems (Debian/Ubuntu, Alpine, Go, Maven) are said by its one registration in the
 * ecosystem registry ({@code scan.ecosystem.Ecosystems}).
 */
public enum PackageType {
  /** A Debian package from the dpkg database (Debian, Ubuntu, distroless). */
  DEB("deb", true),
  /** An Alpine package from the apk database (Alpine, Wolfi, Chainguard). */
  APK("apk", true),
  /** A Go module (or the Go standard library) from a binary's embedded build information. */
  GOLANG("golang", false),
  /** A Java archive identified by its Maven coordinates. */
  MAVEN("maven", false);

  private final String purlType;
  private final boolean osPackage;

  PackageType(String purlType, boolean osPackage) {
    this.purlType = purlType;
    this.osPackage = osPackage;
  }

  /** The purl type, e.g. {@code deb}. */
  public String purlType() {
    return purlType;
  }

  /**
   * True for packages installed by the distribution's package manager (they have a source package).
   */
  public boolean isOsPackage() {
    return osPackage;
  }
}
