package dev.caulk.scan.ecosystem;

import dev.caulk.scan.version.VersionScheme;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One OSV ecosystem base name (osv-schema {@code ecosystems.json}) as caulk reads it.
 *
 * @param name the base name as OSV spells it ({@code Debian}, {@code Alpine}, {@code Go})
 * @param scheme the version ordering its ranges are evaluated with
 * @param release makes a release comparable; it is given the release stripped and in lower case
 * @param download whether {@code caulk db update} fetches its export when no ecosystem is named
 */
public record OsvEcosystem(
    String name, VersionScheme scheme, UnaryOperator<String> release, boolean download) {
  /** Checks the parts. */
  public OsvEcosystem {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(release, "release");
  }

  /** An ecosystem whose releases compare as written (in lower case). */
  public static OsvEcosystem of(String name, VersionScheme scheme, boolean download) {
    return new OsvEcosystem(name, scheme, UnaryOperator.identity(), download);
  }
}
