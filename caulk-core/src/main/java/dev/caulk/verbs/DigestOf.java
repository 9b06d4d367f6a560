package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.Platform;
import java.io.IOException;

/**
 * The digest of what a location holds, for pinning: the manifest's, or the index's for a
 * multi-platform image unless a platform is asked for. ({@code caulk digest}; the class is not
 * called {@code Digest} so that it can name {@link Digest}.)
 */
public final class DigestOf {
  private DigestOf() {}

  /**
   * What to resolve.
   *
   * @param location where the image is
   * @param platform the image of an index to resolve, or null for the index itself
   */
  public record Options(ImageLocation location, Platform platform) {}

  /**
   * The digest found.
   *
   * @param location the location resolved
   * @param digest its manifest's (or index's) digest
   */
  public record Result(ImageLocation location, Digest digest) {
    /** {@code LOCATION@DIGEST}. */
    public String pinned() {
      return location.displayName() + "@" + digest;
    }
  }

  public static Builder options() {
    return new Builder();
  }

  public static Result run(Options o, Session session) throws IOException {
    Artifact a = o.location().open(session.source(o.location()));
    Digest d = o.platform() != null && a.isIndex() ? a.image(o.platform()).digest() : a.digest();
    return new Result(o.location(), d);
  }

  /** Builds {@link Options}; the location is required. */
  public static final class Builder {
    private ImageLocation location;
    private Platform platform;

    private Builder() {}

    public Builder location(ImageLocation l) {
      this.location = l;
      return this;
    }

    /** The image of an index to resolve (null: the index). */
    public Builder platform(Platform p) {
      this.platform = p;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("digest: a location is required");
      }
      return new Options(location, platform);
    }
  }
}
