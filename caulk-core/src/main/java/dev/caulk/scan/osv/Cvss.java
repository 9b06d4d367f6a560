package dev.caulk.scan.osv;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CVSS base scores from vector strings, because OSV's {@code severity[].score} is a vector, not a
 * number.
 *
 * <ul>
 *   <li><b>v3.0 / v3.1</b>: the base equations of the CVSS v3.1 specification §7.1 with the §7.4
 *       weights, and the floating-point-safe Roundup of Appendix A for both minor versions (the
 *       base equations did not change between them).
 *   <li><b>v2</b>: the CVSS v2 guide §3.2.1 base equation, rounded to one decimal.
 *   <li><b>v4.0</b>: the real v4 score needs the specification's table of 270 macro-vector scores,
 *       which caulk does not carry. {@link #score} returns an <em>approximation</em> instead,
 *       flagged {@link CvssScore#approximate()}: the v4 base metrics are mapped onto v3.1 ones (AV
 *       and PR as is; AC:H or AT:P → AC:H; UI:P/A → UI:R; any subsequent-system impact → scope
 *       changed, with C/I/A the higher of the vulnerable- and subsequent-system values) and scored
 *       with the v3.1 equations. It lands in the same severity band for typical vectors (the
 *       all-high network vector is 9.3 in v4, 9.8 here); prefer a database's own rating when there
 *       is one ({@link Severities} does).
 * </ul>
 */
public final class Cvss {
  /** The CVSS specification versions caulk reads. */
  public enum Version {
    /** CVSS v2 (vector without prefix). */
    V2,
    /** CVSS v3.0 ({@code CVSS:3.0/}). */
    V3_0,
    /** CVSS v3.1 ({@code CVSS:3.1/}). */
    V3_1,
    /** CVSS v4.0 ({@code CVSS:4.0/}); scores are approximations. */
    V4_0
  }

  private static final Set<String> V3_OTHER =
      Set.of("E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA");
  private static final Set<String> V2_OTHER =
      Set.of("E", "RL", "RC", "CDP", "TD", "CR", "IR", "AR");
  private static final Set<String> V4_OTHER =
      Set.of(
          "E", "CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC",
          "MSI", "MSA", "S", "AU", "R", "V", "RE", "U");

  private Cvss() {}

  /**
   * Scores a vector: {@code CVSS:3.0/…}, {@code CVSS:3.1/…}, {@code CVSS:4.0/…}, or a v2 vector
   * without prefix ({@code AV:N/AC:L/Au:N/C:P/I:P/A:P}, optionally in parentheses).
   *
   * @return empty when the vector is malformed: unknown prefix, a base metric missing or with an
   *     unknown value, an unknown or repeated metric
   */
  public static Optional<CvssScore> score(String vector) {
    if (vector == null || vector.length() > 512) {
      return Optional.empty();
    }
    String v = vector.strip();
    if (v.startsWith("CVSS:3.0/") || v.startsWith("CVSS:3.1/")) {
      Version ver = v.charAt(7) == '0' ? Version.V3_0 : Version.V3_1;
      return metrics(v.substring(9), V3_OTHER)
          .flatMap(Cvss::v3)
          .map(s -> new CvssScore(ver, s, false, vector));
    }
    if (v.startsWith("CVSS:4.0/")) {
      return metrics(v.substring(9), V4_OTHER)
          .flatMap(Cvss::v4AsV3)
          .map(s -> new CvssScore(Version.V4_0, s, true, vector));
    }
    if (v.startsWith("(") && v.endsWith(")")) {
      v = v.substring(1, v.length() - 1);
    }
    return metrics(v, V2_OTHER)
        .flatMap(Cvss::v2)
        .map(s -> new CvssScore(Version.V2, s, false, vector));
  }

  /**
   * Splits {@code K:V/K:V}; empty on a repeated key, a bad pair, or a key that is neither base nor
   * known.
   */
  private static Optional<Map<String, String>> metrics(String body, Set<String> otherKeys) {
    Map<String, String> m = new HashMap<>();
    for (String pair : body.split("/", -1)) {
      int colon = pair.indexOf(':');
      if (colon <= 0
          || colon == pair.length() - 1
          || m.put(pair.substring(0, colon), pair.substring(colon + 1)) != null) {
        return Optional.empty();
      }
    }
    m.keySet().removeAll(otherKeys);
    return Optional.of(m);
  }

  private static Optional<Double> v3(Map<String, String> m) {
    if (m.size() != 8) {
      return Optional.empty();
    }
    String scope = m.get("S");
    if (!"U".equals(scope) && !"C".equals(scope)) {
      return Optional.empty();
    }
    boolean changed = scope.equals("C");
    double av = weight(m.get("AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
    double ac = weight(m.get("AC"), "L", 0.77, "H", 0.44);
    double pr =
        weight(m.get("PR"), "N", 0.85, "L", changed ? 0.68 : 0.62, "H", changed ? 0.5 : 0.27);
    double ui = weight(m.get("UI"), "N", 0.85, "R", 0.62);
    double c = weight(m.get("C"), "H", 0.56, "L", 0.22, "N", 0.0);
    double i = weight(m.get("I"), "H", 0.56, "L", 0.22, "N", 0.0);
    double a = weight(m.get("A"), "H", 0.56, "L", 0.22, "N", 0.0);
    if (Double.isNaN(av + ac + pr + ui + c + i + a)) {
      return Optional.empty();
    }
    return Optional.of(v3Base(changed, av, ac, pr, ui, c, i, a));
  }

  private static double v3Base(
      boolean changed, double av, double ac, double pr, double ui, double c, double i, double a) {
    double iss = 1 - (1 - c) * (1 - i) * (1 - a);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * av * ac * pr * ui;
    if (impact <= 0) {
      return 0.0;
    }
    return changed
        ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
        : roundUp(Math.min(impact + exploitability, 10));
  }

  /**
   * CVSS v3.1 Appendix A: the smallest one-decimal number not below the input, immune to float
   * noise.
   */
  static double roundUp(double x) {
    long scaled = Math.round(x * 100000);
    if (scaled % 10000 == 0) {
      return scaled / 100000.0;
    }
    return (Math.floorDiv(scaled, 10000) + 1) / 10.0;
  }

  private static Optional<Double> v2(Map<String, String> m) {
    if (m.size() != 6) {
      return Optional.empty();
    }
    double av = weight(m.get("AV"), "L", 0.395, "A", 0.646, "N", 1.0);
    double ac = weight(m.get("AC"), "H", 0.35, "M", 0.61, "L", 0.71);
    double au = weight(m.get("Au"), "M", 0.45, "S", 0.56, "N", 0.704);
    double c = weight(m.get("C"), "N", 0.0, "P", 0.275, "C", 0.660);
    double i = weight(m.get("I"), "N", 0.0, "P", 0.275, "C", 0.660);
    double a = weight(m.get("A"), "N", 0.0, "P", 0.275, "C", 0.660);
    if (Double.isNaN(av + ac + au + c + i + a)) {
      return Optional.empty();
    }
    double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
    double exploitability = 20 * av * ac * au;
    double f = impact == 0 ? 0 : 1.176;
    double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
    return Optional.of(Math.max(0.0, Math.round(base * 10 + 1e-9) / 10.0));
  }

  private static Optional<Double> v4AsV3(Map<String, String> m) {
    if (m.size() != 11) {
      return Optional.empty();
    }
    double av = weight(m.get("AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
    double ac = weight(m.get("AC"), "L", 0.77, "H", 0.44);
    double at = weight(m.get("AT"), "N", 1.0, "P", 1.0);
    double ui = weight(m.get("UI"), "N", 0.85, "P", 0.62, "A", 0.62);
    double[] impacts = new double[6];
    String[] keys = {"VC", "VI", "VA", "SC", "SI", "SA"};
    for (int k = 0; k < keys.length; k++) {
      impacts[k] = weight(m.get(keys[k]), "H", 0.56, "L", 0.22, "N", 0.0);
    }
    boolean changed = impacts[3] + impacts[4] + impacts[5] > 0;
    double pr =
        weight(m.get("PR"), "N", 0.85, "L", changed ? 0.68 : 0.62, "H", changed ? 0.5 : 0.27);
    double sum = av + ac + at + ui + pr;
    for (double d : impacts) {
      sum += d;
    }
    if (Double.isNaN(sum)) {
      return Optional.empty();
    }
    if ("P".equals(m.get("AT"))) {
      ac = 0.44;
    }
    return Optional.of(
        v3Base(
            changed,
            av,
            ac,
            pr,
            ui,
            Math.max(impacts[0], impacts[3]),
            Math.max(impacts[1], impacts[4]),
            Math.max(impacts[2], impacts[5])));
  }

  /**
   * The weight for a metric value from {@code value, weight} pairs; NaN when missing or unknown.
   */
  private static double weight(String value, Object... pairs) {
    for (int k = 0; k < pairs.length; k += 2) {
      if (pairs[k].equals(value)) {
        return (Double) pairs[k + 1];
      }
    }
    return Double.NaN;
  }
}
