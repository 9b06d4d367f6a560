package dev.caulk.scan.osv;

import dev.caulk.scan.ecosystem.Ecosystems;
import dev.caulk.scan.version.VersionScheme;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether one package version is affected by an OSV record, following the osv-schema
 * "Evaluation" pseudocode exactly:
 *
 * <ul>
 *   <li>only {@code affected[]} elements whose package name equals the given name (exactly, no
 *       normalisation: mapping binary to source packages is the caller's business) and whose
 *       ecosystem {@linkplain Ecosystem#matches matches} the given one (base name and release) are
 *       considered;
 *   <li>the version is affected when it is in {@code versions[]}, or when some {@code
 *       SEMVER}/{@code ECOSYSTEM} range holds it: the range is before its limits (no {@code limit}
 *       event, or the version below one of them; a limit containing {@code *} is infinity), and
 *       replaying the events in version order ({@code introduced: "0"} first) — introduced at or
 *       below the version switches "vulnerable" on, fixed at or below it switches it off,
 *       last_affected strictly below it switches it off — ends with "vulnerable" on. Ranges are
 *       OR'ed.
 * </ul>
 *
 * <p>The replay is done without sorting: the event that sorts last among those that apply decides,
 * with ties going to the later event as a stable sort would. That is the same answer in linear
 * time, and it never throws on an ordering that is not transitive (Maven's is not, everywhere).
 *
 * <p>{@code GIT} ranges need the commit graph; as the schema recommends, the {@code versions} list
 * stands in for them. Withdrawn records never match.
 */
public final class OsvMatcher {
  private OsvMatcher() {}

  /**
   * Evaluates one record for one package version.
   *
   * @param ecosystem the OSV ecosystem of the installed package, ideally with its release ({@code
   *     "Debian:12"}, {@code "Alpine:v3.20"}); see {@link Ecosystem#matches} for a missing release
   * @param packageName the name the ecosystem's advisories use (Debian/Ubuntu/Alpine: the source
   *     package)
   * @param version the installed version, in the ecosystem's syntax ({@code v1.2.3} or {@code
   *     1.2.3} for Go)
   */
  public static MatchResult affects(
      OsvEntry entry, String ecosystem, String packageName, String version) {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(version, "version");
    if (entry.isWithdrawn()) {
      return new MatchResult.NotAffected(entry, "withdrawn");
    }
    Ecosystem query = Ecosystem.parse(ecosystem);
    Optional<VersionScheme> scheme = Ecosystems.scheme(query.name());
    boolean listed = false;
    String undetermined = null;
    for (OsvAffected a : entry.affected()) {
      if (a.pkg().isEmpty()
          || !a.pkg().get().name().equals(packageName)
          || !a.pkg().get().parsedEcosystem().matches(query)) {
        continue;
      }
      listed = true;
      boolean inList = inVersions(a.versions(), version, scheme);
      boolean inRange = false;
      for (OsvRange r : a.ranges()) {
        if (r.type() == OsvRange.Type.GIT) {
          continue;
        }
        Optional<VersionScheme> s = schemeFor(r, scheme);
        if (s.isEmpty()) {
          undetermined =
              "no version ordering for ecosystem '" + OsvReader.shown(query.name()) + "'";
        } else if (!s.get().isValid(version)) {
          undetermined =
              "version '"
                  + OsvReader.shown(version)
                  + "' is not a valid "
                  + s.get().name()
                  + " version";
        } else if (includedInRange(r, version, s.get())) {
          inRange = true;
        }
      }
      if (inRange || inList) {
        return new MatchResult.Affected(
            entry,
            a,
            lowestFixedAbove(a, version, scheme),
            inRange ? MatchResult.Basis.RANGE : MatchResult.Basis.VERSIONS_LIST);
      }
    }
    if (!listed) {
      return new MatchResult.NotAffected(entry, "package not listed");
    }
    return undetermined != null
        ? new MatchResult.Undetermined(entry, undetermined)
        : new MatchResult.NotAffected(entry, "outside every range");
  }

  /** {@link #affects} for each record, in the given order. */
  public static List<MatchResult> evaluate(
      Collection<OsvEntry> entries, String ecosystem, String packageName, String version) {
    List<MatchResult> out = new ArrayList<>(entries.size());
    for (OsvEntry e : entries) {
      out.add(affects(e, ecosystem, packageName, version));
    }
    return out;
  }

  /**
   * True when one range holds the version: before its limits, and the replayed events end
   * "vulnerable". The scheme must be the one for the range's type.
   */
  static boolean includedInRange(OsvRange range, String version, VersionScheme s) {
    boolean hasLimit = false;
    boolean beforeSomeLimit = false;
    for (OsvEvent e : range.events()) {
      if (e.kind() == OsvEvent.Kind.LIMIT) {
        hasLimit = true;
        beforeSomeLimit |= e.isUnboundedLimit() || s.compare(version, e.version()) < 0;
      }
    }
    if (hasLimit && !beforeSomeLimit) {
      return false;
    }
    OsvEvent decisive = null;
    for (OsvEvent e : range.events()) {
      if (applies(e, version, s) && (decisive == null || eventOrder(decisive, e, s) <= 0)) {
        decisive = e;
      }
    }
    return decisive != null && decisive.kind() == OsvEvent.Kind.INTRODUCED;
  }

  /** Whether an event changes the state when the replay reaches it, for this version. */
  private static boolean applies(OsvEvent e, String version, VersionScheme s) {
    switch (e.kind()) {
      case INTRODUCED:
        return e.isIntroducedZero() || s.compare(version, e.version()) >= 0;
      case FIXED:
        return s.compare(version, e.version()) >= 0;
      case LAST_AFFECTED:
        return s.compare(version, e.version()) > 0;
      default:
        return false;
    }
  }

  /** Sort order of events: introduced "0" first, unbounded limits last, otherwise by version. */
  private static int eventOrder(OsvEvent a, OsvEvent b, VersionScheme s) {
    int ra = a.isIntroducedZero() ? -1 : a.isUnboundedLimit() ? 1 : 0;
    int rb = b.isIntroducedZero() ? -1 : b.isUnboundedLimit() ? 1 : 0;
    if (ra != rb || ra != 0) {
      return Integer.compare(ra, rb);
    }
    return s.compare(a.version(), b.version());
  }

  private static boolean inVersions(
      List<String> versions, String version, Optional<VersionScheme> scheme) {
    boolean comparable = scheme.isPresent() && scheme.get().isValid(version);
    for (String v : versions) {
      if (v.equals(version)
          || (comparable && scheme.get().isValid(v) && scheme.get().compare(v, version) == 0)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<VersionScheme> schemeFor(
      OsvRange r, Optional<VersionScheme> ecosystemScheme) {
    return r.type() == OsvRange.Type.SEMVER ? Optional.of(VersionScheme.semver()) : ecosystemScheme;
  }

  /**
   * The smallest {@code fixed} event above the version in the element's evaluable ranges, as
   * written.
   */
  private static Optional<String> lowestFixedAbove(
      OsvAffected a, String version, Optional<VersionScheme> scheme) {
    String best = null;
    VersionScheme bestScheme = null;
    for (OsvRange r : a.ranges()) {
      Optional<VersionScheme> s =
          r.type() == OsvRange.Type.GIT ? Optional.empty() : schemeFor(r, scheme);
      if (s.isEmpty() || !s.get().isValid(version)) {
        continue;
      }
      for (OsvEvent e : r.events()) {
        if (e.kind() == OsvEvent.Kind.FIXED
            && s.get().compare(e.version(), version) > 0
            && (best == null || s.get().compare(e.version(), best) < 0)) {
          best = e.version();
          bestScheme = s.get();
        }
      }
    }
    return Optional.ofNullable(bestScheme == null ? null : best);
  }
}
