package dev.caulk.scan.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A kind of package caulk catalogs, named by its purl type. The kinds caulk knows are the constants
 * here; a new ecosystem makes its own with {@link #of} in its registration ({@code
 * scan.ecosystem.EcosystemSpec}), so adding a cataloguer needs no edit here. Its cataloguer,
 * version scheme and OSV ecosystems are said by that one registration in the ecosystem registry
 * ({@code scan.ecosystem.Ecosystems}).
 *
 * <p>There is one instance per purl type ({@link #of} returns the existing one), so {@code ==}
 * compares types. Types order as the constants are declared (DEB, APK, GOLANG, MAVEN, which is how
 * packages are sorted in SBOMs), then by purl type.
 */
public final class PackageType implements Comparable<PackageType> {
  private static final Map<String, PackageType> BY_PURL_TYPE = new ConcurrentHashMap<>();

  /** A Debian package from the dpkg database (Debian, Ubuntu, distroless). */
  public static final PackageType DEB = of("deb", true);

  /** An Alpine package from the apk database (Alpine, Wolfi, Chainguard). */
  public static final PackageType APK = of("apk", true);

  /** A Go module (or the Go standard library) from a binary's embedded build information. */
  public static final PackageType GOLANG = of("golang", false);

  /** A Java archive identified by its Maven coordinates. */
  public static final PackageType MAVEN = of("maven", false);

  private static final List<PackageType> BUILT_IN = List.of(DEB, APK, GOLANG, MAVEN);

  private final String purlType;
  private final boolean osPackage;

  private PackageType(String purlType, boolean osPackage) {
    this.purlType = purlType;
    this.osPackage = osPackage;
  }

  /**
   * The package type of a purl type, made on first use.
   *
   * @param purlType the purl type: lower-case letters, digits, {@code .}, {@code +} and {@code -},
   *     starting with a letter (purl spec)
   * @param osPackage whether the distribution's package manager installs such packages
   * @throws IllegalArgumentException for a purl type that is not one, or one that exists with the
   *     other {@code osPackage}
   */
  public static PackageType of(String purlType, boolean osPackage) {
    if (!validPurlType(purlType)) {
      throw new IllegalArgumentException("not a purl type: '" + purlType + "'");
    }
    PackageType t =
        BY_PURL_TYPE.computeIfAbsent(purlType, k -> new PackageType(purlType, osPackage));
    if (t.osPackage != osPackage) {
      throw new IllegalArgumentException(
          "package type " + purlType + " exists with osPackage=" + t.osPackage);
    }
    return t;
  }

  /** The types caulk has cataloguers for, in their order. */
  public static List<PackageType> builtIn() {
    return BUILT_IN;
  }

  private static boolean validPurlType(String s) {
    if (s == null
        || s.isEmpty()
        || s.length() > 64
        || !(s.charAt(0) >= 'a' && s.charAt(0) <= 'z')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
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

  /**
   * The purl type in upper case ({@code DEB}, {@code GOLANG}): the constant's name for a known one.
   */
  public String name() {
    return purlType.toUpperCase(Locale.ROOT);
  }

  @Override
  public int compareTo(PackageType o) {
    int a = rank(this);
    int b = rank(o);
    return a != b ? Integer.compare(a, b) : purlType.compareTo(o.purlType);
  }

  private static int rank(PackageType t) {
    int i = BUILT_IN.indexOf(t);
    return i < 0 ? BUILT_IN.size() : i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackageType t && t.purlType.equals(purlType);
  }

  @Override
  public int hashCode() {
    return purlType.hashCode();
  }

  @Override
  public String toString() {
    return name();
  }
}
