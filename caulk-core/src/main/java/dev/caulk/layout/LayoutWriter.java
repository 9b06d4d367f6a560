package dev.caulk.layout;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.digest.VerifyingInputStream;
import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Copies the blobs of an image or index into a layout, children before parents, so that whatever a
 * written manifest names is already there when the manifest lands. Existing blobs of the right size
 * are skipped; every new blob is verified against its digest and size before it is renamed into
 * {@code blobs/}.
 */
final class LayoutWriter {
  private static final int MAX_DEPTH = 8;
  private static final long PROGRESS_STEP = 4L * 1024 * 1024;
  private final LayoutFiles files;
  private final EventListener listener;
  private final String what;

  LayoutWriter(LayoutFiles files, @Nullable EventListener listener, String what) {
    this.files = files;
    this.listener = listener == null ? EventListener.NONE : listener;
    this.what = what;
  }

  /** How many layers are written at once. */
  static final int PARALLEL_LAYERS = 4;

  /** Opens a stream anew (a layer's compressed bytes). */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  /** Writes an image's layers, config and manifest; returns the manifest's descriptor. */
  Descriptor writeImage(Image image, @Nullable Digest expected) throws IOException {
    Images.checkWritable(image, what);
    Manifest m = image.manifest();
    List<Layer> layers = image.layers();
    if (layers.size() != m.layers().size()) {
      throw new InvalidSpecException(
          what
              + ": image has "
              + layers.size()
              + " layers but its manifest lists "
              + m.layers().size());
    }
    java.util.Map<Digest, Descriptor> distinct = new java.util.LinkedHashMap<>();
    java.util.Map<Digest, Layer> byDigest = new java.util.HashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      Descriptor d = m.layers().get(i);
      Layer layer = layers.get(i);
      if (!layer.digest().equals(d.digest())) {
        throw new InvalidSpecException(
            what
                + ": layer "
                + i
                + " is "
                + layer.digest().shortString()
                + " but the manifest says "
                + d.digest().shortString());
      }
      distinct.putIfAbsent(d.digest(), d);
      byDigest.putIfAbsent(d.digest(), layer);
    }
    // Layers stream in parallel (a registry source is network-bound per blob, as skopeo's is);
    // each goes to its own temp file and is renamed into place when verified.
    ParallelWrites.run(
        distinct.values(),
        PARALLEL_LAYERS,
        d ->
            writeBlob(
                d,
                Objects.requireNonNull(byDigest.get(d.digest()), "every distinct layer is mapped")
                    ::compressed,
                "layer"));
    byte[] config = image.rawConfig();
    Images.verify(config, m.config().digest(), what + ": config");
    writeBytes(m.config().digest(), config, "config");
    byte[] raw = image.rawManifest();
    Digest digest = expected != null ? expected : Digest.sha256(raw);
    writeBytes(digest, raw, "manifest");
    Descriptor d = Descriptor.of(image.mediaType(), digest, raw.length);
    if (image.isContainerImage()) {
      var cfg = image.config();
      if (cfg.os() != null && cfg.architecture() != null) d = d.withPlatform(cfg.platform());
    } else if (image.manifest().artifactType() != null) {
      d =
          new Descriptor(
              d.mediaType(),
              digest,
              raw.length,
              null,
              null,
              null,
              null,
              image.manifest().artifactType());
    }
    return d;
  }

  /** Writes every child of an index (recursively), then the index itself. */
  Descriptor writeIndex(ImageIndex index, @Nullable Digest expected, int depth) throws IOException {
    if (depth > MAX_DEPTH)
      throw new InvalidSpecException(
          what + ": image index nested more than " + MAX_DEPTH + " levels deep");
    for (Descriptor child : index.index().manifests()) {
      if (MediaType.isIndex(child.mediaType())) {
        writeIndex(index.childIndex(child), child.digest(), depth + 1);
      } else if (MediaType.isImageManifest(child.mediaType())) {
        writeImage(index.image(child), child.digest());
      } else {
        throw new InvalidSpecException(
            what
                + ": index entry "
                + child.digest().shortString()
                + " has media type "
                + child.mediaType()
                + ", which caulk cannot copy");
      }
    }
    byte[] raw = index.rawManifest();
    Digest digest = expected != null ? expected : Digest.sha256(raw);
    writeBytes(digest, raw, "index");
    return Descriptor.of(index.mediaType(), digest, raw.length);
  }

  /** Writes a small blob (manifest, config) unless present. */
  void writeBytes(Digest digest, byte[] bytes, String kind) throws IOException {
    Images.verify(bytes, digest, what + ": " + kind);
    writeBlob(
        Descriptor.of(null, digest, bytes.length),
        () -> new java.io.ByteArrayInputStream(bytes),
        kind);
  }

  /**
   * Streams a blob into {@code blobs/<alg>/<hex>} via a temp file, verifying digest and size before
   * the rename; an existing blob of the right size is kept as it is.
   */
  void writeBlob(Descriptor d, Opener source, String kind) throws IOException {
    Digest digest = d.digest();
    Path target = files.blobPath(digest);
    String label = kind + " " + digest.shortString();
    Path existing = files.existing(target, "blob " + digest.shortString());
    if (existing != null && Files.size(existing) == d.size()) {
      listener.debug(what + ": " + label + " already present");
      return;
    }
    files.blobDir(digest.algorithm());
    Path temp = files.tempFile();
    try {
      MessageDigest md = digest.newMessageDigest();
      long count = 0;
      boolean selfVerifying;
      listener.onEvent(new Event.Progress(digest.toString(), "write " + label, 0, d.size(), false));
      try (InputStream in = source.open();
          OutputStream out = Files.newOutputStream(temp)) {
        // A stream that verifies this very digest and size as it reads (every caulk Layer's) is
        // not hashed a second time; anything else is.
        selfVerifying = in instanceof VerifyingInputStream v && v.verifies(digest, d.size());
        byte[] buf = new byte[128 * 1024];
        long nextReport = PROGRESS_STEP;
        for (int n; (n = in.read(buf)) > 0; ) {
          count += n;
          if (count > d.size()) {
            throw new DigestMismatchException(
                what
                    + ": "
                    + label
                    + ": size mismatch: more than the expected "
                    + d.size()
                    + " bytes");
          }
          if (!selfVerifying) md.update(buf, 0, n);
          out.write(buf, 0, n);
          if (count >= nextReport) {
            listener.onEvent(
                new Event.Progress(digest.toString(), "write " + label, count, d.size(), false));
            nextReport += PROGRESS_STEP;
          }
        }
      }
      if (count != d.size()) {
        throw new DigestMismatchException(
            what + ": " + label + ": size mismatch: expected " + d.size() + " bytes, got " + count);
      }
      String got = selfVerifying ? digest.hex() : HexFormat.of().formatHex(md.digest());
      if (!got.equals(digest.hex())) {
        throw new DigestMismatchException(
            what + ": " + label + ": digest mismatch: got " + digest.algorithm() + ":" + got);
      }
      files.commit(temp, target);
      listener.onEvent(
          new Event.Progress(digest.toString(), "write " + label, count, d.size(), true));
    } finally {
      files.discard(temp);
    }
  }
}
