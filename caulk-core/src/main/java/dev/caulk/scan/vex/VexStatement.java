package dev.caulk.scan.vex;

import java.util.List;
import java.util.Objects;

/**
 * One VEX statement: what a producer says about one vulnerability in some products.
 *
 * @param vulnerability the vulnerability id (CVE, GHSA, OSV id)
 * @param aliases other ids of the same vulnerability
 * @param products package URLs, image digests ({@code sha256:…}) or references ({@code
 *     repo@sha256:…}) the statement is about
 * @param subcomponents package URLs inside the products the statement is limited to; empty means
 *     the whole product
 * @param status the stated status
 * @param justification why (OpenVEX justification, CycloneDX analysis justification); may be empty
 */
public record VexStatement(
    String vulnerability,
    List<String> aliases,
    List<String> products,
    List<String> subcomponents,
    Status status,
    String justification) {

  /** The VEX statuses (OpenVEX names; CycloneDX analysis states map onto them). */
  public enum Status {
    NOT_AFFECTED("not_affected"),
    AFFECTED("affected"),
    FIXED("fixed"),
    UNDER_INVESTIGATION("under_investigation");

    private final String word;

    Status(String word) {
      this.word = word;
    }

    /** The OpenVEX word. */
    public String word() {
      return word;
    }
  }

  /** Copies the lists. */
  public VexStatement {
    Objects.requireNonNull(vulnerability, "vulnerability");
    aliases = List.copyOf(aliases);
    products = List.copyOf(products);
    subcomponents = List.copyOf(subcomponents);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(justification, "justification");
  }
}
