package dev.caulk.verbs;

import dev.caulk.location.ImageLocation;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.sbom.SbomFormat;
import dev.caulk.scan.sbom.SbomSubject;
import dev.caulk.scan.sbom.SbomWriter;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * {@code sbom}: an image's packages, from one pass over its layers, as CycloneDX 1.6 or SPDX 2.3
 * JSON.
 */
public final class Sbom {
  private Sbom() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * What to list and how.
   *
   * @param location the image
   * @param platform the image to pick from an index
   * @param format CycloneDX or SPDX
   * @param output where the SBOM is written atomically, or null (the caller prints the document)
   * @param toolVersion the version the document names as its creator
   * @param clock the creation time's clock
   */
  public record Options(
      ImageLocation location,
      Platform platform,
      SbomFormat format,
      Path output,
      String toolVersion,
      Clock clock) {}

  /**
   * The SBOM.
   *
   * @param subject what the SBOM describes
   * @param inventory the packages listed, and the files that could not be fully read
   * @param document the SBOM's bytes
   * @param output the file it was written to, or null
   */
  public record Result(SbomSubject subject, Inventory inventory, byte[] document, Path output) {}

  /** Catalogs the image, renders the SBOM and writes it to the output file if any. */
  public static Result run(Options options, Session session) throws IOException {
    CatalogTarget t = CatalogTarget.open(options.location(), options.platform(), session);
    byte[] doc =
        SbomWriter.create(options.toolVersion(), options.clock())
            .write(options.format(), t.subject(), t.inventory());
    ReportOutput.write(options.output(), doc);
    return new Result(t.subject(), t.inventory(), doc, options.output());
  }

  /** Builds {@link Options}; {@link #build()} validates. */
  public static final class Builder {
    private ImageLocation location;
    private Platform platform = Platform.LINUX_AMD64;
    private SbomFormat format = SbomFormat.CYCLONEDX;
    private Path output;
    private String toolVersion = "dev";
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder location(ImageLocation v) {
      this.location = v;
      return this;
    }

    public Builder platform(Platform v) {
      this.platform = v;
      return this;
    }

    public Builder format(SbomFormat v) {
      this.format = v;
      return this;
    }

    /** {@code cyclonedx} or {@code spdx} (and their {@code -json} spellings). */
    public Builder format(String v) {
      try {
        this.format = SbomFormat.parse(v);
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionsException(e.getMessage());
      }
      return this;
    }

    public Builder output(Path v) {
      this.output = v;
      return this;
    }

    public Builder toolVersion(String v) {
      this.toolVersion = v;
      return this;
    }

    public Builder clock(Clock v) {
      this.clock = v;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("an image location is required");
      }
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(clock, "clock");
      return new Options(location, platform, format, output, toolVersion, clock);
    }
  }
}
