package dev.caulk.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pass/fail decision a CI pipeline acts on: a report fails when some finding that no ignore
 * covers has a severity at or above {@code threshold}, like {@code trivy --severity … --exit-code}
 * and {@code dockle --exit-level}.
 *
 * <p>Ignored findings are dropped from the report that the verdict carries (so writers never show
 * them) but are counted, and ignores that have expired or matched nothing are listed so the CLI can
 * warn about stale waivers.
 *
 * @param threshold lowest severity that fails the gate ({@link Severity#UNKNOWN} fails on any
 *     finding)
 * @param ignores suppressions from {@code --ignore} and {@value IgnoreFile#NAME}, in any order
 */
public record Gate(Severity threshold, List<Ignore> ignores) {

  /** Copies the ignore list. */
  public Gate {
    Objects.requireNonNull(threshold, "threshold");
    ignores = ignores == null ? List.of() : List.copyOf(ignores);
  }

  /** A gate with a threshold and no ignores. */
  public static Gate failingAt(Severity threshold) {
    return new Gate(threshold, List.of());
  }

  /** Copy with more ignores appended. */
  public Gate withIgnores(Collection<Ignore> more) {
    List<Ignore> all = new ArrayList<>(ignores);
    all.addAll(more);
    return new Gate(threshold, all);
  }

  /**
   * Applies the ignores and the threshold.
   *
   * @param today the date expiries are checked against (a parameter so tests and reproducible runs
   *     can fix it)
   */
  public Verdict evaluate(Report report, LocalDate today) {
    Objects.requireNonNull(today, "today");
    List<Glob> globs = new ArrayList<>(ignores.size());
    for (Ignore ignore : ignores) {
      globs.add(ignore.pathGlob() == null ? null : Glob.compile(ignore.pathGlob()));
    }
    Set<Ignore> used = new LinkedHashSet<>();
    List<Finding> kept = new ArrayList<>();
    List<Finding> suppressed = new ArrayList<>();
    List<Finding> failing = new ArrayList<>();
    for (Finding f : report.sortedFindings()) {
      Ignore hit = null;
      for (int i = 0; i < ignores.size() && hit == null; i++) {
        if (ignores.get(i).matches(f, today, globs.get(i))) {
          hit = ignores.get(i);
        }
      }
      if (hit != null) {
        used.add(hit);
        suppressed.add(f);
      } else {
        kept.add(f);
        if (f.severity().atLeast(threshold)) {
          failing.add(f);
        }
      }
    }
    List<Ignore> expired = new ArrayList<>();
    List<Ignore> unused = new ArrayList<>();
    for (Ignore ignore : ignores) {
      if (ignore.expired(today)) {
        expired.add(ignore);
      } else if (!used.contains(ignore)) {
        unused.add(ignore);
      }
    }
    return new Verdict(
        failing.isEmpty(),
        threshold,
        report.withFindings(kept),
        failing,
        suppressed,
        expired,
        unused);
  }

  /**
   * What {@link Gate#evaluate} decided.
   *
   * @param passed true when no kept finding reaches the threshold
   * @param threshold the gate's threshold
   * @param report the input report without the suppressed findings; render this one
   * @param failing kept findings at or above the threshold, in {@link Finding#ORDER}
   * @param suppressed findings removed by an ignore, in {@link Finding#ORDER}
   * @param expired ignores whose date has passed; they no longer suppress anything and should be
   *     renewed or removed
   * @param unused ignores still in force that matched no finding
   */
  public record Verdict(
      boolean passed,
      Severity threshold,
      Report report,
      List<Finding> failing,
      List<Finding> suppressed,
      List<Ignore> expired,
      List<Ignore> unused) {

    /** Copies the lists. */
    public Verdict {
      failing = List.copyOf(failing);
      suppressed = List.copyOf(suppressed);
      expired = List.copyOf(expired);
      unused = List.copyOf(unused);
    }
  }
}
