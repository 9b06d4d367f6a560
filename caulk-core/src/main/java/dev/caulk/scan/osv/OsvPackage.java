package dev.caulk.scan.osv;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code affected[].package} object: an OSV ecosystem string (possibly with a release, such as
 * {@code "Debian:12"}), the package name as that ecosystem spells it, and an optional version-less
 * purl.
 */
public record OsvPackage(String ecosystem, String name, Optional<String> purl) {
  /** Checks that every part is present. */
  public OsvPackage {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(purl, "purl");
  }

  /** The ecosystem split into base name and release. */
  public Ecosystem parsedEcosystem() {
    return Ecosystem.parse(ecosystem);
  }
}
