package dev.caulk.scan.ecosystem;

import dev.caulk.scan.catalog.Catalog;
import dev.caulk.scan.catalog.CatalogLimits;
import dev.caulk.scan.catalog.Cataloger;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.version.VersionScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The ecosystem registry: the one list of {@link EcosystemSpec}s that the scanner consults for
 * cataloguers, version schemes, OSV ecosystem names, release normalisation, default downloads and
 * lookups. Adding an ecosystem (RPM, say) is a cataloguer, a version scheme, a registration ({@code
 * RpmEcosystem.SPEC}) and its line here; nothing else names ecosystems.
 */
public final class Ecosystems {
  /** Every registration, in the order the image pass offers files to their cataloguers. */
  public static final List<EcosystemSpec> ALL =
      List.of(
          DebEcosystem.SPEC,
          ApkEcosystem.SPEC,
          MavenEcosystem.SPEC,
          GoEcosystem.SPEC,
          EcosystemSpec.advisoriesOnly(
              "npm", OsvEcosystem.of("npm", VersionScheme.semver(), false)),
          EcosystemSpec.advisoriesOnly(
              "cargo", OsvEcosystem.of("crates.io", VersionScheme.semver(), false)),
          EcosystemSpec.advisoriesOnly(
              "pypi", OsvEcosystem.of("PyPI", VersionScheme.pep440(), false)));

  private Ecosystems() {}

  /** The registration of a package type. */
  public static Optional<EcosystemSpec> forType(PackageType type) {
    return ALL.stream().filter(e -> e.type() == type).findFirst();
  }

  /**
   * The OSV ecosystem of a name, with or without a {@code :release} suffix ({@code "Debian:12"}),
   * base names compared case-insensitively.
   */
  public static Optional<OsvEcosystem> osv(String ecosystem) {
    if (ecosystem == null) {
      return Optional.empty();
    }
    int colon = ecosystem.indexOf(':');
    String base =
        (colon < 0 ? ecosystem : ecosystem.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    for (EcosystemSpec e : ALL) {
      for (OsvEcosystem o : e.advisories()) {
        if (o.name().toLowerCase(Locale.ROOT).equals(base)) {
          return Optional.of(o);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The ordering for an OSV ecosystem name, with or without a {@code :release} suffix ({@code
   * "Debian:12"}, {@code "Alpine:v3.20"}, {@code "Maven"}, {@code "Go"}, {@code "PyPI"}, {@code
   * "npm"}, {@code "crates.io"}).
   *
   * @return empty when no registration has that ecosystem (for example rpm-based ones, for now)
   */
  public static Optional<VersionScheme> scheme(String ecosystem) {
    return osv(ecosystem).map(OsvEcosystem::scheme);
  }

  /**
   * A release in comparable form: stripped, lower case, then as the ecosystem's registration
   * normalises it.
   */
  public static String normalizeRelease(String ecosystem, String release) {
    String r = release.strip().toLowerCase(Locale.ROOT);
    return osv(ecosystem).map(o -> o.release().apply(r)).orElse(r);
  }

  /** The OSV exports {@code caulk db update} fetches when none is named, sorted. */
  public static List<String> defaultDownloads() {
    TreeSet<String> out = new TreeSet<>();
    for (EcosystemSpec e : ALL) {
      for (OsvEcosystem o : e.advisories()) {
        if (o.download()) {
          out.add(o.name());
        }
      }
    }
    return List.copyOf(out);
  }

  /** Fresh cataloguers of every registration with this feed, for one pass, in registry order. */
  public static List<Cataloger> catalogers(
      List<EcosystemSpec> registry, EcosystemSpec.Feed feed, CatalogLimits limits) {
    List<Cataloger> out = new ArrayList<>();
    for (EcosystemSpec e : registry) {
      if (e.feed() == feed) {
        out.add(e.cataloger().apply(limits));
      }
    }
    return out;
  }

  /** Fresh cataloguers of every registration, for one pass, in registry order. */
  public static List<Cataloger> catalogers(CatalogLimits limits) {
    List<Cataloger> out = new ArrayList<>();
    for (EcosystemSpec e : ALL) {
      if (e.cataloger() != null) {
        out.add(e.cataloger().apply(limits));
      }
    }
    return out;
  }

  /** A catalog pass with every registered cataloguer and default limits. */
  public static Catalog catalog() {
    return catalog(CatalogLimits.defaults());
  }

  /** A catalog pass with every registered cataloguer and these limits. */
  public static Catalog catalog(CatalogLimits limits) {
    return Catalog.of(catalogers(limits));
  }
}
