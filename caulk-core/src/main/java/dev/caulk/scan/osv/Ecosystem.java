package dev.caulk.scan.osv;

import dev.caulk.scan.ecosystem.Ecosystems;
import java.util.Objects;

/**
 * An OSV ecosystem string split at its first colon into a base name and an optional release: {@code
 * "Debian:12"} is ({@code Debian}, {@code 12}), {@code "Ubuntu:Pro:18.04:LTS"} is ({@code Ubuntu},
 * {@code Pro:18.04:LTS}), {@code "Go"} has no release (osv-schema "affected[].package field",
 * ecosystems.json).
 *
 * <p>Why a type: the bulk export ships one {@code all.zip} per base name while records scope each
 * package to a release, so the store files records under {@link #name()} and the matcher compares
 * releases with {@link #matches}.
 */
public record Ecosystem(String name, String release) {
  /** Checks both parts; the release is empty when there is none. */
  public Ecosystem {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(release, "release");
  }

  /** Splits an ecosystem string at its first colon; surrounding blanks are ignored. */
  public static Ecosystem parse(String ecosystem) {
    String s = Objects.requireNonNull(ecosystem, "ecosystem").strip();
    int colon = s.indexOf(':');
    return colon < 0
        ? new Ecosystem(s, "")
        : new Ecosystem(s.substring(0, colon), s.substring(colon + 1));
  }

  /** True when a release is given. */
  public boolean hasRelease() {
    return !release.isEmpty();
  }

  /**
   * True when the two name the same ecosystem and compatible releases. Base names compare
   * case-insensitively. A side without a release matches every release of the other: a record with
   * plain {@code "Debian"} applies to all releases, and a query with plain {@code "Debian"}
   * (release unknown) accepts every release's advice, so callers that know the release should pass
   * it. Releases are compared after {@link #normalizedRelease()}.
   */
  public boolean matches(Ecosystem other) {
    if (!name.equalsIgnoreCase(other.name)) {
      return false;
    }
    if (!hasRelease() || !other.hasRelease()) {
      return true;
    }
    return normalizedRelease().equals(other.normalizedRelease());
  }

  /**
   * The release in a comparable form, as the ecosystem's registration says ({@link Ecosystems}):
   * lower case; Alpine without the {@code v} and cut to major.minor ({@code v3.20}, {@code 3.20.3}
   * → {@code 3.20}); Debian cut to the major number ({@code 12.5} → {@code 12}); Ubuntu without the
   * {@code :LTS} mark ({@code 22.04:LTS} → {@code 22.04}, {@code Pro:18.04:LTS} → {@code
   * pro:18.04}).
   */
  public String normalizedRelease() {
    return Ecosystems.normalizeRelease(name, release);
  }

  /** The OSV spelling, {@code name[:release]}. */
  @Override
  public String toString() {
    return hasRelease() ? name + ":" + release : name;
  }
}
