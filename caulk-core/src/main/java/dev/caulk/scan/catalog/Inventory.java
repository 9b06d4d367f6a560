package dev.caulk.scan.catalog;

import java.util.List;
import java.util.Objects;

/**
 * What cataloging an image found: its operating system, its packages in {@link Package#ORDER}, and
 * the files that could not be read ({@link Problem}s). The input of SBOM writers and of
 * vulnerability matching.
 *
 * @param os the operating system, or {@link OsRelease#UNKNOWN}
 * @param packages every package, sorted
 * @param problems unreadable files, sorted
 */
public record Inventory(OsRelease os, List<Package> packages, List<Problem> problems) {
  public Inventory {
    Objects.requireNonNull(os, "os");
    packages = packages.stream().sorted(Package.ORDER).toList();
    problems = problems.stream().sorted(Problem.ORDER).toList();
  }
}
