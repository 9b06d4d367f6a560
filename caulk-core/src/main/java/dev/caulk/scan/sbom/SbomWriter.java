package dev.caulk.scan.sbom;

import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.vuln.Vulnerability;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Writes an image's {@link Inventory} as an SBOM. Output is deterministic: packages come sorted,
 * ids are derived from the image digest (CycloneDX {@code serialNumber} and the SPDX {@code
 * documentNamespace} are name-based UUIDs), and the only time in the document comes from the
 * injected clock. The same image, tool version and clock give byte-identical documents.
 */
public final class SbomWriter {
  private final String toolVersion;
  private final Clock clock;

  private SbomWriter(String toolVersion, Clock clock) {
    this.toolVersion = toolVersion;
    this.clock = clock;
  }

  /**
   * A writer.
   *
   * @param toolVersion caulk's version, written as the creating tool
   * @param clock source of the creation time (a fixed clock in tests and reproducible builds)
   */
  public static SbomWriter create(String toolVersion, Clock clock) {
    Objects.requireNonNull(toolVersion, "toolVersion");
    Objects.requireNonNull(clock, "clock");
    if (toolVersion.isBlank()) throw new IllegalArgumentException("tool version is empty");
    return new SbomWriter(toolVersion.strip(), clock);
  }

  /** The document as UTF-8 JSON, ending with a newline. */
  public byte[] write(SbomFormat format, SbomSubject subject, Inventory inventory)
      throws IOException {
    return write(format, subject, inventory, List.of());
  }

  /**
   * The document with known vulnerabilities, as UTF-8 JSON ending with a newline. CycloneDX carries
   * them in its {@code vulnerabilities} section (CycloneDX 1.6 "Vulnerabilities", usable as VEX);
   * SPDX 2.3 has no place for them, so only an empty list is accepted there.
   *
   * @throws IllegalArgumentException for vulnerabilities with SPDX
   */
  public byte[] write(
      SbomFormat format,
      SbomSubject subject,
      Inventory inventory,
      List<Vulnerability> vulnerabilities)
      throws IOException {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(inventory, "inventory");
    Objects.requireNonNull(vulnerabilities, "vulnerabilities");
    String json =
        switch (format) {
          case CYCLONEDX ->
              CycloneDxDocument.write(
                  subject, inventory, vulnerabilities, toolVersion, clock.instant());
          case SPDX -> {
            if (!vulnerabilities.isEmpty())
              throw new IllegalArgumentException(
                  "SPDX 2.3 cannot carry vulnerabilities; use CycloneDX");
            yield SpdxDocument.write(subject, inventory, toolVersion, clock.instant());
          }
        };
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the document to a stream (not closed). */
  public void write(SbomFormat format, SbomSubject subject, Inventory inventory, OutputStream out)
      throws IOException {
    out.write(write(format, subject, inventory));
  }
}
