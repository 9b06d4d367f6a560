package dev.caulk.image;

import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An OCI index assembled from images in memory (a multi-platform build). */
final class BuiltIndex implements ImageIndex {
  private final Map<dev.caulk.digest.Digest, Image> images = new LinkedHashMap<>();
  private final Index index;
  private final byte[] raw;

  BuiltIndex(List<Image> children, @Nullable Map<String, String> annotations) throws IOException {
    List<Descriptor> ds = new ArrayList<>();
    for (Image i : children) {
      Descriptor d = i.descriptor();
      images.put(d.digest(), i);
      ds.add(d);
    }
    this.index =
        new Index(
            2,
            MediaType.OCI_INDEX,
            null,
            ds,
            null,
            annotations == null || annotations.isEmpty() ? null : annotations);
    this.raw = SpecJson.write(index);
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
    Image i = images.get(child.digest());
    if (i == null) throw new IOException("index has no image " + child.digest());
    return i;
  }

  @Override
  public ImageIndex childIndex(Descriptor child) throws IOException {
    throw new IOException("index has no nested index " + child.digest());
  }
}
