package dev.caulk.scan.ecosystem;

import dev.caulk.scan.catalog.Catalogers;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.version.VersionScheme;

/**
 * Go modules and {@code stdlib} from binaries' build info: advisories under {@code Go} by module
 * path and version.
 */
final class GoEcosystem {
  static final EcosystemSpec SPEC =
      EcosystemSpec.of(
          "golang",
          PackageType.GOLANG,
          Catalogers::goBinaries,
          EcosystemSpec.Feed.STANDALONE,
          GoEcosystem::target,
          OsvEcosystem.of("Go", VersionScheme.go(), true));

  private GoEcosystem() {}

  private static OsvTarget target(Package p, OsRelease os) {
    String v = p.version();
    if (v.equals("(devel)")) {
      return OsvTarget.skip("Go main module built without a version (devel)");
    }
    if (p.name().equals("command-line-arguments")) {
      return OsvTarget.skip("Go binary built from files, not a module");
    }
    return OsvTarget.of("Go", p.name(), v);
  }
}
