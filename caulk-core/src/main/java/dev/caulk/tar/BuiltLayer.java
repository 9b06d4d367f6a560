package dev.caulk.tar;

import dev.caulk.digest.Digest;
import dev.caulk.image.Layer;
import java.nio.file.Path;

/**
 * A layer written by {@link ReproducibleLayerBuilder}: the blob on disk and its digests.
 *
 * @param layer the layer, backed by {@code file} (verified when read, like every caulk layer)
 * @param file where the blob is; the caller owns it (move it, cache it, or delete it when done)
 * @param digest sha256 of the stored bytes (the manifest's layer digest)
 * @param diffId sha256 of the uncompressed tar (the config's diffID)
 * @param size stored bytes
 * @param uncompressedSize tar bytes
 * @param mediaType the OCI layer media type
 * @param entries tar entries written, PAX headers not counted
 */
public record BuiltLayer(
    Layer layer,
    Path file,
    Digest digest,
    Digest diffId,
    long size,
    long uncompressedSize,
    String mediaType,
    long entries) {}
