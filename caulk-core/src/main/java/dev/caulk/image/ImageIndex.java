package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** An immutable image index (or Docker manifest list) whose children load lazily. */
public interface ImageIndex {
  /** The index's bytes as stored. */
  byte[] rawManifest() throws IOException;

  /** The parsed index. */
  Index index() throws IOException;

  /** The image a child descriptor names. */
  Image image(Descriptor child) throws IOException;

  /** The nested index a child descriptor names. */
  ImageIndex childIndex(Descriptor child) throws IOException;

  default Digest digest() throws IOException {
    return Digest.sha256(rawManifest());
  }

  default @Nullable String mediaType() throws IOException {
    String mt = index().mediaType();
    return mt == null ? MediaType.OCI_INDEX : mt;
  }

  /**
   * The first image for the platform, searching nested indexes depth first, as image-index.md asks
   * ("the first matching entry SHOULD be used").
   *
   * @throws IOException naming the platforms on offer when none matches
   */
  default Image image(Platform wanted) throws IOException {
    Image found = Images.findPlatform(this, wanted, 0);
    if (found == null) {
      throw new InvalidSpecException(
          "no image for platform "
              + wanted
              + " in index "
              + digest().shortString()
              + "; it holds "
              + Images.childrenOf(this)
              + ". Pick one with --platform or by digest (oci:DIR@sha256:…, docker://REPO@sha256:…),"
              + " or copy them all with --all");
    }
    return found;
  }
}
