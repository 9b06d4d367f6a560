package dev.caulk.verbs;

import dev.caulk.build.BuildRecord;
import dev.caulk.digest.Digest;
import dev.caulk.location.ImageLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the last {@link Build} of a project recorded, for a front end that reads those images again
 * (the Maven plugin's {@code audit} and {@code sbom} goals): the OCI layout the images are in and,
 * per service, its image there and the digest built. {@link Push} reads the same record.
 */
public final class LastBuild {
  private LastBuild() {}

  /**
   * One recorded image.
   *
   * @param location the image in the build's OCI layout, tagged by its service
   * @param digest the manifest (or index) digest the build wrote
   */
  public record Image(String service, ImageLocation location, Digest digest) {}

  /**
   * The record.
   *
   * @param layout the OCI layout the build wrote (absolute)
   * @param prefix the image name prefix
   * @param tag the tag
   * @param images in the order recorded
   */
  public record Result(Path layout, String prefix, String tag, List<Image> images) {
    public Result {
      images = List.copyOf(images);
    }
  }

  /**
   * The record of the last build in {@code projectDir}; empty when nothing was built there.
   *
   * @throws IOException when the record cannot be read or is incomplete (one line: build again)
   */
  public static Optional<Result> read(Path projectDir) throws IOException {
    Path dir = projectDir.toAbsolutePath().normalize();
    if (!BuildRecord.exists(dir)) {
      return Optional.empty();
    }
    BuildRecord rec = BuildRecord.read(dir);
    Path layout = Path.of(rec.layout());
    List<Image> images = new ArrayList<>();
    for (Map.Entry<String, Digest> e : rec.services().entrySet()) {
      images.add(
          new Image(e.getKey(), new ImageLocation.OciLayout(layout, e.getKey()), e.getValue()));
    }
    return Optional.of(new Result(layout, rec.prefix(), rec.tag(), images));
  }
}
