package dev.caulk.scan.ecosystem;

import dev.caulk.scan.catalog.Catalogers;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.version.VersionScheme;

/**
 * Maven artifacts in Java archives: advisories under {@code Maven} by {@code groupId:artifactId}
 * and version.
 */
final class MavenEcosystem {
  static final EcosystemSpec SPEC =
      EcosystemSpec.of(
          "maven",
          PackageType.MAVEN,
          Catalogers::javaArchives,
          EcosystemSpec.Feed.STANDALONE,
          MavenEcosystem::target,
          OsvEcosystem.of("Maven", VersionScheme.maven(), true));

  private MavenEcosystem() {}

  private static OsvTarget target(Package p, OsRelease os) {
    if (p.groupId() == null || p.groupId().isBlank()) {
      return OsvTarget.skip("Maven artifact without a groupId (no pom.properties)");
    }
    return OsvTarget.of(
        "Maven",
        p.groupId() + ":" + (p.artifactId() != null ? p.artifactId() : p.name()),
        p.version());
  }
}
