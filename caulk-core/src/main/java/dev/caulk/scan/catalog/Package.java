package dev.caulk.scan.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One package found in an image: what an SBOM lists and what vulnerability matching looks up.
 *
 * <p>OS packages carry their <em>source</em> package: Debian and Alpine advisories are keyed by
 * source name, and the source version can differ from the binary's (binNMU {@code 2.2.52-3+b1} from
 * source {@code 2.2.52-3}; {@code libldb2 2:2.6.2+samba…} from source {@code samba 2:4.17.12…}).
 * When a database names no source, source = binary name and version, which is what {@code
 * dpkg-query -f '${source:Package} ${source:Version}'} reports.
 *
 * @param name package name (dpkg/apk package, Go module path or {@code stdlib}, Maven artifactId)
 * @param version version as recorded (a Go main module may be {@code (devel)})
 * @param type the package type
 * @param purl the package URL
 * @param sourceName source package name for OS packages, else null
 * @param sourceVersion source package version for OS packages, else null
 * @param arch architecture ({@code amd64}, {@code x86_64}, {@code all}), or null when unknown
 * @param licenses license strings as the metadata gives them (may be empty)
 * @param locations absolute paths that evidence the package, first the database or archive that
 *     declared it, then (OS packages) the files it owns; a nested archive is written {@code
 *     /app.jar:BOOT-INF/lib/inner.jar}; bounded, see {@link CatalogLimits}
 * @param cataloger id of the cataloger that found it ({@code dpkg-db}, {@code apk-db}, {@code
 *     go-binary}, {@code java-archive})
 * @param mainModule for Go: true for the binary's main module
 * @param groupId for Maven: the groupId, or null when no metadata names it
 * @param artifactId for Maven: the artifactId
 * @param properties extra facts, sorted by key (Go build settings, replaced module, …)
 */
public record Package(
    String name,
    String version,
    PackageType type,
    Purl purl,
    String sourceName,
    String sourceVersion,
    String arch,
    List<String> licenses,
    List<String> locations,
    String cataloger,
    boolean mainModule,
    String groupId,
    String artifactId,
    SortedMap<String, String> properties) {

  /** Orders packages for deterministic output: type, name, version, purl, then first location. */
  public static final Comparator<Package> ORDER =
      Comparator.comparing(Package::type)
          .thenComparing(Package::name)
          .thenComparing(p -> p.version() == null ? "" : p.version())
          .thenComparing(p -> p.purl().toString())
          .thenComparing(p -> p.locations().isEmpty() ? "" : p.locations().get(0));

  public Package {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(purl, "purl");
    Objects.requireNonNull(cataloger, "cataloger");
    if (name.isEmpty()) throw new IllegalArgumentException("package name is empty");
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
    locations = locations == null ? List.of() : List.copyOf(locations);
    properties =
        Collections.unmodifiableSortedMap(
            properties == null ? new TreeMap<>() : new TreeMap<>(properties));
  }

  /**
   * Starts a package of the given type; {@link Builder#build()} needs at least a purl and a
   * cataloger.
   */
  public static Builder builder(PackageType type, String name, String version) {
    return new Builder(type, name, version);
  }

  /** A builder for {@link Package}; catalogers and tests use it instead of the long constructor. */
  public static final class Builder {
    private final PackageType type;
    private final String name;
    private final String version;
    private Purl purl;
    private String sourceName;
    private String sourceVersion;
    private String arch;
    private final List<String> licenses = new ArrayList<>();
    private final List<String> locations = new ArrayList<>();
    private String cataloger;
    private boolean mainModule;
    private String groupId;
    private String artifactId;
    private final TreeMap<String, String> properties = new TreeMap<>();

    private Builder(PackageType type, String name, String version) {
      this.type = type;
      this.name = name;
      this.version = version;
    }

    /** Sets the purl. */
    public Builder purl(Purl p) {
      this.purl = p;
      return this;
    }

    /** Sets the source package (OS packages). */
    public Builder source(String sourceName, String sourceVersion) {
      this.sourceName = sourceName;
      this.sourceVersion = sourceVersion;
      return this;
    }

    /** Sets the architecture. */
    public Builder arch(String a) {
      this.arch = a;
      return this;
    }

    /** Adds a license string. */
    public Builder license(String l) {
      if (l != null && !l.isBlank()) licenses.add(l.strip());
      return this;
    }

    /** Adds evidence locations in order. */
    public Builder locations(List<String> paths) {
      locations.addAll(paths);
      return this;
    }

    /** Adds one evidence location. */
    public Builder location(String path) {
      locations.add(path);
      return this;
    }

    /** Sets the cataloger id. */
    public Builder cataloger(String id) {
      this.cataloger = id;
      return this;
    }

    /** Marks a Go main module. */
    public Builder mainModule(boolean main) {
      this.mainModule = main;
      return this;
    }

    /** Sets Maven coordinates (groupId may be null when unknown). */
    public Builder maven(String g, String a) {
      this.groupId = g;
      this.artifactId = a;
      return this;
    }

    /** Adds a property (ignored when the value is null). */
    public Builder property(String key, String value) {
      if (value != null) properties.put(key, value);
      return this;
    }

    /** Adds properties. */
    public Builder properties(Map<String, String> props) {
      props.forEach(this::property);
      return this;
    }

    /** Builds the package. */
    public Package build() {
      return new Package(
          name,
          version,
          type,
          purl,
          sourceName,
          sourceVersion,
          arch,
          licenses,
          locations,
          cataloger,
          mainModule,
          groupId,
          artifactId,
          properties);
    }
  }
}
