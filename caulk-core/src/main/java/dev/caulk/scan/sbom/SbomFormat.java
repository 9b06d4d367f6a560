package dev.caulk.scan.sbom;

import java.util.Locale;

/** The SBOM formats caulk writes, both as JSON. */
public enum SbomFormat {
  /** CycloneDX 1.6 JSON (ECMA-424), built with cyclonedx-core-java. */
  CYCLONEDX("cyclonedx", "application/vnd.cyclonedx+json"),
  /** SPDX 2.3 JSON (ISO/IEC 5962 successor line), written with Jackson. */
  SPDX("spdx", "application/spdx+json");

  private final String id;
  private final String mediaType;

  SbomFormat(String id, String mediaType) {
    this.id = id;
    this.mediaType = mediaType;
  }

  /** The name used on the command line, {@code cyclonedx} or {@code spdx}. */
  public String id() {
    return id;
  }

  /** The IANA media type of the document. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * Parses a command-line name ({@code cyclonedx}, {@code cyclonedx-json}, {@code cdx}, {@code
   * spdx}, {@code spdx-json}), case-insensitively.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static SbomFormat parse(String s) {
    String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "cyclonedx", "cyclonedx-json", "cdx" -> CYCLONEDX;
      case "spdx", "spdx-json" -> SPDX;
      default ->
          throw new IllegalArgumentException(
              "unknown SBOM format '" + s + "': expected cyclonedx or spdx");
    };
  }
}
