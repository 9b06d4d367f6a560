package dev.caulk.scan.sbom;

import dev.caulk.scan.catalog.Inventory;
import java.util.Objects;

/**
 * An SBOM read back by {@link SbomReader}: what it describes and the packages it lists, ready to be
 * re-scanned against today's advisories without the image.
 *
 * @param format the document's format
 * @param subject the image it describes (its digest is the document's own SHA-256 when the SBOM
 *     names none)
 * @param inventory the operating system and packages it lists; problems name components that were
 *     skipped
 */
public record Sbom(SbomFormat format, SbomSubject subject, Inventory inventory) {
  /** Checks every component. */
  public Sbom {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(inventory, "inventory");
  }
}
