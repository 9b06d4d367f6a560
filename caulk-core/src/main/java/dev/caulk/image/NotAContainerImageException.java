package dev.caulk.image;

import java.io.IOException;

/**
 * An OCI artifact (a Helm chart, a signature, an SBOM…) met where a container image is needed: it
 * can be copied and inspected, not unpacked, audited, scanned, slimmed or run.
 */
public final class NotAContainerImageException extends IOException {
  private static final long serialVersionUID = 1L;

  public NotAContainerImageException(String message) {
    super(message);
  }

  static NotAContainerImageException of(String what, Image artifact) throws IOException {
    String type = artifact.artifactType();
    String cfg = artifact.manifest().config().mediaType();
    String kind =
        type == null
            ? ""
            : " (artifactType "
                + type
                + (cfg != null && !cfg.equals(type) ? ", config " + cfg : "")
                + ")";
    return new NotAContainerImageException(
        what
            + " is not a container image but an OCI artifact"
            + kind
            + "; copy and inspect handle artifacts, other verbs need an image");
  }
}
