package dev.caulk.verbs;

import dev.caulk.location.ImageLocation;
import java.io.IOException;
import java.util.List;

/** The tags of a registry repository, of an OCI layout, or the references in a docker archive. */
public final class Tags {
  private Tags() {}

  /**
   * @param location the repository, layout or archive
   */
  public record Options(ImageLocation location) {}

  /**
   * @param tags in the order the location lists them
   */
  public record Result(List<String> tags) {
    public Result {
      tags = List.copyOf(tags);
    }
  }

  public static Builder options() {
    return new Builder();
  }

  public static Result run(Options o, Session session) throws IOException {
    return new Result(o.location().tags(session.source(o.location())));
  }

  /** Builds {@link Options}; the location is required. */
  public static final class Builder {
    private ImageLocation location;

    private Builder() {}

    public Builder location(ImageLocation l) {
      this.location = l;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("tags: a repository location is required");
      }
      return new Options(location);
    }
  }
}
