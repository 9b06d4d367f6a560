package dev.caulk.image;

import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.SpecJson;
import java.io.IOException;

/** An index read from its bytes; children are fetched from the same blob source, verified. */
final class ManifestIndex implements ImageIndex {
  private final byte[] raw;
  private final Index index;
  private final BlobSource blobs;
  private final String what;

  ManifestIndex(byte[] raw, Index index, BlobSource blobs, String what) {
    this.raw = raw.clone();
    this.index = index;
    this.blobs = blobs;
    this.what = what;
  }

  @Override
  public byte[] rawManifest() {
    return raw.clone();
  }

  @Override
  public Index index() {
    return index;
  }

  @Override
  public Image image(Descriptor child) throws IOException {
    byte[] b = Images.readBlob(blobs, child, SpecJson.MAX_MANIFEST_BYTES, what + ": manifest");
    return Images.fromManifest(b, blobs, what + "@" + child.digest().shortString());
  }

  @Override
  public ImageIndex childIndex(Descriptor child) throws IOException {
    byte[] b = Images.readBlob(blobs, child, SpecJson.MAX_MANIFEST_BYTES, what + ": index");
    return Images.indexFromManifest(b, blobs, what + "@" + child.digest().shortString());
  }
}
