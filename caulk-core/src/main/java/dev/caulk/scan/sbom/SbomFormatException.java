package dev.caulk.scan.sbom;

import java.io.IOException;

/**
 * A document that is not a readable CycloneDX or SPDX JSON SBOM; the message is one line naming the
 * file.
 */
public final class SbomFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With a one-line message. */
  public SbomFormatException(String message) {
    super(message);
  }
}
