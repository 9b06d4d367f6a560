package dev.caulk.image;

import dev.caulk.compress.Compressions;
import dev.caulk.digest.Digest;
import dev.caulk.digest.VerifyingInputStream;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType.Compression;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/** A layer whose blob lives in a {@link BlobSource}. */
final class BlobLayer implements Layer {
  private final Descriptor descriptor;
  private final @Nullable Digest diffId;
  private final BlobSource blobs;
  private final String what;

  BlobLayer(Descriptor descriptor, @Nullable Digest diffId, BlobSource blobs, String what) {
    this.descriptor = descriptor;
    this.diffId = diffId;
    this.blobs = blobs;
    this.what = what;
  }

  @Override
  public Digest digest() {
    return descriptor.digest();
  }

  @Override
  public @Nullable Digest diffId() {
    return diffId;
  }

  @Override
  public long size() {
    return descriptor.size();
  }

  @Override
  public @Nullable String mediaType() {
    return descriptor.mediaType();
  }

  @Override
  public Descriptor descriptor() {
    return descriptor;
  }

  /**
   * The blob, verified against its digest and size and, for a tar layer stored compressed, against
   * its diff-id too, in the same pass (see {@link DiffIdCheck}): whoever copies the layer (to an
   * archive, a layout or a registry) copies only a layer that decompresses to what the config says.
   */
  @Override
  public InputStream compressed() throws IOException {
    String label = what + ": layer " + descriptor.digest().shortString();
    DiffIdCheck check =
        diffId != null && !diffId.equals(descriptor.digest())
            ? new DiffIdCheck(diffId, label)
            : null;
    InputStream raw = blobs.open(descriptor);
    return new VerifyingInputStream(raw, descriptor.digest(), descriptor.size(), label, check);
  }

  /**
   * The blob, verified against its digest and size only (the reader decompresses and checks the
   * diff-id itself).
   */
  private VerifyingInputStream verifiedBlob() throws IOException {
    return new VerifyingInputStream(
        blobs.open(descriptor),
        descriptor.digest(),
        descriptor.size(),
        what + ": layer " + descriptor.digest().shortString());
  }

  @Override
  public InputStream uncompressed() throws IOException {
    String label = what + ": layer " + descriptor.digest().shortString();
    if (diffId == null) {
      throw new NotAContainerImageException(
          label + " is a blob of type " + descriptor.mediaType() + ", not a tar layer");
    }
    if (diffId.equals(descriptor.digest())) {
      // A stored-uncompressed layer (docker save): its digest is its diffID, so the verified blob
      // is the verified
      // tar and hashing it a second time would only double the cost of reading it.
      InputStream in = new BufferedInputStream(verifiedBlob(), 64 * 1024);
      if (Compressions.sniff(in) == Compression.NONE) return in;
      return Layers.uncompressedVerified(
          in, diffId, label); // compressed after all: the diffID check will fail
    }
    return Layers.uncompressedVerified(verifiedBlob(), diffId, label);
  }

  /**
   * Decompresses and verifies the diffID; at the end, drains the compressed stream so its digest is
   * checked too.
   */
  static final class DrainingStream extends FilterInputStream {
    private final VerifyingInputStream compressed;
    private boolean drained;

    DrainingStream(InputStream decompressedVerified, VerifyingInputStream compressed) {
      super(decompressedVerified);
      this.compressed = compressed;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) drain();
      return n;
    }

    @Override
    public int read() throws IOException {
      int n = super.read();
      if (n < 0) drain();
      return n;
    }

    /** Drains once: reading again after the end must not touch the closed compressed stream. */
    private void drain() throws IOException {
      if (drained) return;
      drained = true;
      compressed.drainAndClose();
    }
  }

  static InputStream wrap(InputStream compressedVerified, Digest diffId, String what)
      throws IOException {
    InputStream decompressed = Compressions.decompress(compressedVerified);
    InputStream verified =
        new VerifyingInputStream(decompressed, diffId, -1, what + " (uncompressed)");
    if (compressedVerified instanceof VerifyingInputStream v)
      return new DrainingStream(verified, v);
    return verified;
  }
}
