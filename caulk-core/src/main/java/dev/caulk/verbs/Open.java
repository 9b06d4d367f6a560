package dev.caulk.verbs;

import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.Platform;
import java.io.IOException;

/**
 * The first step of every verb that reads one image (inspect, audit, sbom, scan, harden, slim):
 * open the location with the session's source options and pick the image of a platform from an
 * index.
 */
public final class Open {
  private Open() {}

  /**
   * An opened image.
   *
   * @param location where it was opened
   * @param artifact what the location holds (the index, when the image was picked from one)
   * @param image the image of the platform asked for (the artifact's own image when it is not an
   *     index)
   */
  public record Target(ImageLocation location, Artifact artifact, Image image) {
    /** The image's platform, as its config says. */
    public Platform platform() throws IOException {
      return image.config().platform();
    }
  }

  /** What {@code location} holds. */
  public static Artifact artifact(ImageLocation location, Session session) throws IOException {
    if (location == null) {
      throw new InvalidOptionsException("an image location is required");
    }
    return location.open(session.source(location));
  }

  /**
   * Opens {@code location} and picks the image of {@code platform} (ignored for a single image).
   */
  public static Target image(ImageLocation location, Platform platform, Session session)
      throws IOException {
    if (platform == null) {
      throw new InvalidOptionsException("--platform: a platform is required (default linux/amd64)");
    }
    Artifact a = artifact(location, session);
    return new Target(location, a, a.image(platform));
  }
}
