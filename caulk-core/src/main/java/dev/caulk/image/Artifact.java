package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a location holds: one image, or an index of images. Exactly one of the two is non-null. */
public record Artifact(@Nullable Image image, @Nullable ImageIndex index) {
  public Artifact {
    if ((image == null) == (index == null))
      throw new IllegalArgumentException("exactly one of image and index");
  }

  public static Artifact of(Image image) {
    return new Artifact(image, null);
  }

  public static Artifact of(ImageIndex index) {
    return new Artifact(null, index);
  }

  public boolean isIndex() {
    return index != null;
  }

  /** The image itself, or the index's image for the platform. */
  public Image image(Platform platform) throws IOException {
    return image != null ? image : indexPresent().image(platform);
  }

  public byte[] rawManifest() throws IOException {
    return image != null ? image.rawManifest() : indexPresent().rawManifest();
  }

  public Digest digest() throws IOException {
    return image != null ? image.digest() : indexPresent().digest();
  }

  public @Nullable String mediaType() throws IOException {
    return image != null ? image.mediaType() : indexPresent().mediaType();
  }

  /** The index, when there is no image: the constructor makes sure that one of the two is there. */
  private ImageIndex indexPresent() {
    return Objects.requireNonNull(index, "an artifact holds an image or an index");
  }
}
