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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ecosystem registry: the one list of {@link EcosystemSpec}s that the scanner consults for
 * cataloguers, package types, version schemes, OSV ecosystem names, release normalisation, default
 * downloads and lookups. Adding an ecosystem (RPM, say) is its own file (the cataloguer and its
 * registration {@code RpmEcosystem.SPEC}, which makes its {@code PackageType}; a version scheme if
 * no existing one fits) and one line: in {@link #ALL} for one caulk ships, or a {@link #register}
 * call for one a library user or a test adds. Nothing else names ecosystems.
 */
public final class Ecosystems {
  /**
   * The registrations caulk ships, in the order the image pass offers files to their cataloguers.
   * {@link #all()} adds those {@linkplain #register registered} at run time.
   */
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

  /** Registrations added at run time, after {@link #ALL}. */
  private static final List<EcosystemSpec> ADDED = new CopyOnWriteArrayList<>();

  private Ecosystems() {}

  /** A registration added with {@link #register}; closing it removes it. */
  public static final class Registration implements AutoCloseable {
    private final EcosystemSpec spec;

    private Registration(EcosystemSpec spec) {
      this.spec = spec;
    }

    /** What was registered. */
    public EcosystemSpec spec() {
      return spec;
    }

    /** Removes the registration; later passes and scans no longer use it. */
    @Override
    public void close() {
      ADDED.remove(spec);
    }
  }

  /** Every registration: {@link #ALL}, then those registered, in registration order. */
  public static List<EcosystemSpec> all() {
    if (ADDED.isEmpty()) {
      return ALL;
    }
    List<EcosystemSpec> out = new ArrayList<>(ALL);
    out.addAll(ADDED);
    return List.copyOf(out);
  }

  /**
   * Adds an ecosystem: from now on the image pass runs its cataloguer, SBOMs are read back with its
   * package type, and the scanner looks its packages up as its target rule says, matching them with
   * the version scheme of its OSV ecosystems.
   *
   * @throws IllegalArgumentException when its id, its package type or one of its OSV ecosystem
   *     names is already registered
   */
  public static synchronized Registration register(EcosystemSpec spec) {
    List<EcosystemSpec> now = all();
    for (EcosystemSpec e : now) {
      if (e.id().equals(spec.id())) {
        throw new IllegalArgumentException("ecosystem " + spec.id() + " is already registered");
      }
      if (spec.type() != null && spec.type() == e.type()) {
        throw new IllegalArgumentException(
            "package type " + spec.type().purlType() + " is already registered by " + e.id());
      }
      for (OsvEcosystem o : spec.advisories()) {
        for (OsvEcosystem x : e.advisories()) {
          if (o.name().equalsIgnoreCase(x.name())) {
            throw new IllegalArgumentException(
                "OSV ecosystem " + o.name() + " is already registered by " + e.id());
          }
        }
      }
    }
    ADDED.add(spec);
    return new Registration(spec);
  }

  /** The registration of a package type. */
  public static Optional<EcosystemSpec> forType(PackageType type) {
    return all().stream().filter(e -> e.type() == type).findFirst();
  }

  /** The package type of a purl type ({@code deb}, {@code golang}), if one is registered. */
  public static Optional<PackageType> typeOfPurl(String purlType) {
    for (EcosystemSpec e : all()) {
      if (e.type() != null && e.type().purlType().equals(purlType)) {
        return Optional.of(e.type());
      }
    }
    return Optional.empty();
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
    for (EcosystemSpec e : all()) {
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
    for (EcosystemSpec e : all()) {
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
    for (EcosystemSpec e : all()) {
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
