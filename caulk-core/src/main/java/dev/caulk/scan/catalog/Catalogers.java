package dev.caulk.scan.catalog;

/**
 * Factories for the built-in catalogers; each instance serves one pass. Which catalogers an image
 * pass runs is not decided here but by the ecosystem registry ({@code scan.ecosystem.Ecosystems}),
 * which every cataloguer must be registered with.
 */
public final class Catalogers {
  private Catalogers() {}

  /**
   * Debian packages: {@code /var/lib/dpkg/status}, distroless {@code status.d/}, owned files from
   * {@code info/}.
   */
  public static Cataloger dpkg(CatalogLimits limits) {
    return new DpkgCataloger(limits);
  }

  /** Alpine packages: {@code /lib/apk/db/installed} and {@code /usr/lib/apk/db/installed}. */
  public static Cataloger apk(CatalogLimits limits) {
    return new ApkCataloger(limits);
  }

  /** Go modules and {@code stdlib} from the build info of executable ELF files. */
  public static Cataloger goBinaries(CatalogLimits limits) {
    return new GoBinaryCataloger(limits);
  }

  /** Maven artifacts in jar, war, ear (and kin) archives, nested ones included. */
  public static Cataloger javaArchives(CatalogLimits limits) {
    return new JavaArchiveCataloger(limits);
  }
}
