package dev.caulk.tar;

import dev.caulk.image.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Extracts layer tars into a directory without ever writing outside it: for runc bundles and for
 * anything else that needs a real filesystem.
 *
 * <p>The rules, each a reason a hostile layer gets an {@link InvalidLayerException} and nothing
 * else: names with {@code ..} are rejected; every parent of every entry must be a real directory
 * inside the root, checked without following links, so a symlink written by an earlier entry or
 * layer is never followed (an entry below a symlink is an error, not a write through it); files are
 * created with {@code O_EXCL}, so no existing link is followed either; symlinks are created with
 * their targets as written and never resolved (an absolute target means something only inside the
 * container); hard links may only point to regular files this extraction wrote; the uncompressed
 * bytes and the number of entries are bounded. Whiteouts and opaque directories are applied to what
 * earlier layers wrote (layer.md), never to entries of the same layer.
 *
 * <p>Devices and FIFOs are skipped (counted in {@link Result#skipped()}): creating them needs
 * privileges and a container runtime provides {@code /dev} itself. Directory modes are applied at
 * the end, deepest first, so a read-only directory does not block its own children.
 */
public final class SafeExtractor {
  private SafeExtractor() {}

  /**
   * Limits and what to apply.
   *
   * @param maxBytes uncompressed tar bytes read over all layers before failing (decompression
   *     bombs)
   * @param maxEntries entries over all layers before failing
   * @param applyOwnership set uid/gid from the tar (needs root; off by default)
   * @param applyModes set permission bits, setuid, setgid and sticky from the tar
   */
  public record Options(
      long maxBytes, long maxEntries, boolean applyOwnership, boolean applyModes) {
    public Options {
      if (maxBytes <= 0 || maxEntries <= 0)
        throw new IllegalArgumentException("limits must be positive");
    }

    /** 16 GiB, one million entries, modes applied, ownership not. */
    public static Options defaults() {
      return new Options(16L << 30, 1_000_000, false, true);
    }

    /** A copy with another bound on uncompressed bytes. */
    public Options withMaxBytes(long max) {
      return new Options(max, maxEntries, applyOwnership, applyModes);
    }

    /** A copy with another bound on entries. */
    public Options withMaxEntries(long max) {
      return new Options(maxBytes, max, applyOwnership, applyModes);
    }

    /** A copy that does (or does not) apply uid/gid. */
    public Options withOwnership(boolean apply) {
      return new Options(maxBytes, maxEntries, apply, applyModes);
    }
  }

  /**
   * What an extraction did.
   *
   * @param entries tar entries processed (whiteouts included)
   * @param bytesRead uncompressed tar bytes read
   * @param files regular files written
   * @param fileBytes content bytes written
   * @param skipped devices and FIFOs not created
   */
  public record Result(long entries, long bytesRead, long files, long fileBytes, long skipped) {}

  /**
   * Extracts one uncompressed tar into {@code root} (an existing directory), applying its whiteouts
   * to what is already there.
   *
   * @param what names the tar in error messages
   */
  public static Result extract(InputStream tar, Path root, String what, Options options)
      throws IOException {
    Extraction x = new Extraction(root, options);
    x.layer(tar, what);
    return x.finish();
  }

  /**
   * Extracts layers in order into {@code root}, as a runtime stacks them, each verified as it
   * streams.
   */
  public static Result extractLayers(List<Layer> layers, Path root, Options options)
      throws IOException {
    Extraction x = new Extraction(root, options);
    for (Layer l : layers) {
      try (InputStream in = l.uncompressed()) {
        x.layer(in, "layer " + l.digest().shortString());
      }
    }
    return x.finish();
  }
}
