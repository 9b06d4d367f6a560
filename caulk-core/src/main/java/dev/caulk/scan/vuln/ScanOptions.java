package dev.caulk.scan.vuln;

import dev.caulk.report.Severity;
import java.util.EnumSet;
import java.util.Set;

/**
 * What {@link Scanner#scan} keeps.
 *
 * @param ignoreUnfixed drop vulnerabilities with no fixed version yet (Trivy's {@code
 *     --ignore-unfixed})
 * @param severities the severities to report; empty means all (Trivy's {@code --severity} list)
 * @param includeKernel match packages built from the Linux kernel source ({@code linux-libc-dev},
 *     {@code linux-headers-*}); off by default, because kernel advisories concern the host's
 *     running kernel, not the headers a container ships
 */
public record ScanOptions(boolean ignoreUnfixed, Set<Severity> severities, boolean includeKernel) {
  /** Copies the set. */
  public ScanOptions {
    severities =
        severities == null || severities.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(severities));
  }

  /** Everything, kernel packages excepted. */
  public static ScanOptions defaults() {
    return new ScanOptions(false, Set.of(), false);
  }

  /** Copy with {@link #ignoreUnfixed} set. */
  public ScanOptions withIgnoreUnfixed(boolean v) {
    return new ScanOptions(v, severities, includeKernel);
  }

  /** Copy reporting only these severities (empty: all). */
  public ScanOptions withSeverities(Set<Severity> s) {
    return new ScanOptions(ignoreUnfixed, s, includeKernel);
  }

  /** Copy with {@link #includeKernel} set. */
  public ScanOptions withIncludeKernel(boolean v) {
    return new ScanOptions(ignoreUnfixed, severities, v);
  }

  /** Whether a vulnerability passes these filters. */
  boolean keeps(Vulnerability v) {
    if (ignoreUnfixed && !v.isFixed()) return false;
    return severities.isEmpty() || severities.contains(v.severity());
  }
}
