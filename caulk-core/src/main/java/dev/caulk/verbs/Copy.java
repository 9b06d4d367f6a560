package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.Platform;
import java.io.IOException;

/**
 * Copies an image (or, with {@code all}, a whole index) from one location to another. Manifests and
 * blobs are copied byte for byte and verified as they stream; a Docker-format image written to an
 * OCI layout is converted to OCI media types (a new digest), unless {@code preserveDigests}, which
 * makes that an error.
 */
public final class Copy {
  private Copy() {}

  /**
   * What to copy.
   *
   * @param source where the image is
   * @param destination where to write it
   * @param all copy a whole index rather than the image of {@code platform}
   * @param platform the image to pick from an index (default linux/amd64)
   * @param preserveDigests fail instead of converting when the digest would change
   */
  public record Options(ImageLocation source, ImageLocation destination, boolean all, Platform platform,
      boolean preserveDigests) {}

  /**
   * What was written.
   *
   * @param destination where
   * @param digest the digest of the manifest (or index) written
   */
  public record Result(ImageLocation destination, Digest digest) {
    /** {@code DESTINATION@DIGEST}, as the CLI prints it. */
    public String pinned() {
      return destination.displayName() + "@" + digest;
    }
  }

  public static Builder options() {
    return new Builder();
  }

  /** Opens the source, picks the image (unless {@code all}) and writes it to the destination. */
  public static Result run(Options o, Session session) throws IOException {
    Artifact src = o.source().open(session.source(o.source()));
    Artifact toWrite = src.isIndex() && !o.all() ? Artifact.of(src.image(o.platform())) : src;
    Digest d = o.destination().write(toWrite, session.destination(o.destination()), o.preserveDigests());
    return new Result(o.destination(), d);
  }

  /** Builds {@link Options}; source and destination are required. */
  public static final class Builder {
    private ImageLocation source;
    private ImageLocation destination;
    private boolean all;
    private Platform platform = Platform.LINUX_AMD64;
    private boolean preserveDigests;

    private Builder() {}

    public Builder source(ImageLocation l) {
      this.source = l;
      return this;
    }

    public Builder destination(ImageLocation l) {
      this.destination = l;
      return this;
    }

    public Builder all(boolean v) {
      this.all = v;
      return this;
    }

    public Builder platform(Platform p) {
      this.platform = p;
      return this;
    }

    public Builder preserveDigests(boolean v) {
      this.preserveDigests = v;
      return this;
    }

    public Options build() {
      if (source == null) {
        throw new InvalidOptionsException("copy: a source location is required");
      }
      if (destination == null) {
        throw new InvalidOptionsException("copy: a destination location is required");
      }
      if (platform == null) {
        throw new InvalidOptionsException("--platform: a platform is required (default linux/amd64)");
      }
      return new Options(source, destination, all, platform, preserveDigests);
    }
  }
}
