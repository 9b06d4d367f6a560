package dev.caulk.scan.osv;

import java.util.Objects;

/**
 * One {@code severity[]} element: a scoring system ({@code CVSS_V2}, {@code CVSS_V3}, {@code
 * CVSS_V4}, {@code Ubuntu}, …) and its score, which for CVSS is a vector string, not a number
 * (osv-schema "severity field").
 */
public record OsvSeverity(String type, String score) {
  /** Checks that both parts are present. */
  public OsvSeverity {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(score, "score");
  }
}
