package dev.caulk.scan.osv;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link OsvMatcher#affects}: the package version is affected, is not, or cannot be
 * decided.
 *
 * <p>Why three answers and not a boolean: a version the ecosystem's grammar rejects, or an
 * ecosystem caulk has no ordering for, must not silently turn into "not affected" (a false
 * negative) nor into "affected" (noise); the caller decides how to report it.
 */
public sealed interface MatchResult
    permits MatchResult.Affected, MatchResult.NotAffected, MatchResult.Undetermined {

  /** The record that was evaluated. */
  OsvEntry entry();

  /** True only for {@link Affected}. */
  default boolean isAffected() {
    return this instanceof Affected;
  }

  /** How an affected version was recognised. */
  enum Basis {
    /** An {@code ECOSYSTEM} or {@code SEMVER} range holds the version. */
    RANGE,
    /** The version is listed in {@code affected[].versions}. */
    VERSIONS_LIST
  }

  /**
   * The version is affected.
   *
   * @param affected the {@code affected[]} element that matched (its ecosystem carries the release)
   * @param fixedVersion the lowest {@code fixed} version above the installed one in that element's
   *     evaluable ranges; empty when no fix is known (unfixed, or only {@code last_affected}/{@code
   *     limit} bounds)
   * @param basis whether a range or the explicit versions list matched
   */
  record Affected(OsvEntry entry, OsvAffected affected, Optional<String> fixedVersion, Basis basis)
      implements MatchResult {
    /** Checks every component. */
    public Affected {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(affected, "affected");
      Objects.requireNonNull(fixedVersion, "fixedVersion");
      Objects.requireNonNull(basis, "basis");
    }
  }

  /**
   * The version is not affected.
   *
   * @param reason why, in a few words ("withdrawn", "package not listed", "outside every range")
   */
  record NotAffected(OsvEntry entry, String reason) implements MatchResult {
    /** Checks every component. */
    public NotAffected {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Whether the version is affected cannot be decided, for example because the installed version is
   * not valid in the ecosystem's grammar or caulk has no ordering for the ecosystem.
   *
   * @param reason a one-line explanation for logs and reports
   */
  record Undetermined(OsvEntry entry, String reason) implements MatchResult {
    /** Checks every component. */
    public Undetermined {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
