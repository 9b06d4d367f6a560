package dev.caulk.scan.ecosystem;

import dev.caulk.scan.catalog.CatalogLimits;
import dev.caulk.scan.catalog.Cataloger;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One registration: everything caulk knows of one package ecosystem, in one place. {@link
 * Ecosystems#ALL} lists them; every part of the scanner asks it instead of naming ecosystems (the
 * image pass runs every registered cataloguer, the matcher takes the version scheme and the release
 * normaliser of an OSV ecosystem, {@code caulk db update} downloads the registered exports, a
 * package is looked up where its registration says).
 *
 * @param id a stable short name ({@code deb}, {@code apk}, {@code golang}, {@code maven}, {@code
 *     npm}, …)
 * @param type the kind of package its cataloguer finds, or null for an ecosystem caulk only matches
 *     (an SBOM's npm)
 * @param cataloger makes a fresh cataloguer for one pass, or null when caulk has none
 * @param feed how the image pass feeds the cataloguer, or null without one
 * @param advisories the OSV ecosystems its advisories come under, each with its version scheme
 * @param target what to look up in OSV for one of its packages, or null without a package type
 */
public record EcosystemSpec(
    String id,
    PackageType type,
    Function<CatalogLimits, Cataloger> cataloger,
    Feed feed,
    List<OsvEcosystem> advisories,
    TargetRule target) {

  /** How the image pass feeds a cataloguer. */
  public enum Feed {
    /**
     * Database files that relate to each other (dpkg's status and info lists, apk's installed):
     * their bytes are kept during the layer pass and the final versions fed to one cataloguer after
     * it.
     */
    DATABASE,
    /**
     * Self-contained files (a Java archive, a Go binary): each is parsed while it streams by, by a
     * fresh cataloguer of its own, and counts only if the final tree still holds that layer's file.
     */
    STANDALONE
  }

  /**
   * What to look up in OSV for a package of this ecosystem, in an image with this operating system.
   */
  @FunctionalInterface
  public interface TargetRule {
    /** The target, or {@link OsvTarget#skip} with the reason the package cannot be looked up. */
    OsvTarget target(Package p, OsRelease os);
  }

  /** Checks that a cataloguer comes with its feed and a package type with its target rule. */
  public EcosystemSpec {
    Objects.requireNonNull(id, "id");
    advisories = List.copyOf(advisories);
    if ((cataloger == null) != (feed == null)) {
      throw new IllegalArgumentException(
          id + ": a cataloguer needs a feed and a feed a cataloguer");
    }
    if ((type == null) != (target == null)) {
      throw new IllegalArgumentException(
          id + ": a package type needs a target rule and a target rule a type");
    }
  }

  /** An ecosystem whose packages caulk finds in images and matches. */
  public static EcosystemSpec of(
      String id,
      PackageType type,
      Function<CatalogLimits, Cataloger> cataloger,
      Feed feed,
      TargetRule target,
      OsvEcosystem... advisories) {
    return new EcosystemSpec(id, type, cataloger, feed, List.of(advisories), target);
  }

  /** An ecosystem caulk matches (packages from an SBOM) but finds no packages of. */
  public static EcosystemSpec advisoriesOnly(String id, OsvEcosystem... advisories) {
    return new EcosystemSpec(id, null, null, null, List.of(advisories), null);
  }
}
