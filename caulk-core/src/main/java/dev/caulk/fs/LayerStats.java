package dev.caulk.fs;

import dev.caulk.digest.Digest;

/**
 * What one layer contributed to a {@link FileTree}.
 *
 * @param index position in the image, base layer 0
 * @param digest the layer's (compressed) digest
 * @param entries tar entries, whiteouts included
 * @param files regular-file entries
 * @param fileBytes content bytes of those files
 * @param tarBytes uncompressed tar bytes
 * @param hiddenFiles entries of this layer no container sees (see {@link HiddenFile})
 * @param hiddenBytes their content bytes: what the layer ships in vain
 */
public record LayerStats(
    int index,
    Digest digest,
    long entries,
    long files,
    long fileBytes,
    long tarBytes,
    long hiddenFiles,
    long hiddenBytes) {}
