package dev.caulk.mutate;

import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pure edits of images: each returns a new {@link Image} and leaves its argument alone (the idea of
 * go-containerregistry's {@code mutate}). Layers are shared, not copied; manifest and config are
 * recomputed, so the result is always consistent: rootfs diffIDs match the layers and the history
 * has exactly one non-empty entry per layer (config.md: tools pair them by position).
 *
 * <p>The result keeps the base's media-type family (OCI or Docker) and manifest annotations.
 */
public final class Mutate {
  private Mutate() {}

  /**
   * Options for {@link #squash(Image, SquashOptions)}.
   *
   * @param tempDir where the new layer's blob (kept: the image reads it) and a temporary spool of
   *     file contents (deleted) are written
   * @param format compression of the new layer
   * @param mtime the one modification time of every entry
   * @param createdBy the {@code created_by} of the new history entry
   */
  public record SquashOptions(Path tempDir, LayerFormat format, Instant mtime, String createdBy) {
    public SquashOptions {
      Objects.requireNonNull(tempDir, "tempDir");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(mtime, "mtime");
    }

    /** The JVM temp dir, gzip level 6, {@link ReproducibleLayerBuilder#DEFAULT_MTIME}. */
    public static SquashOptions defaults() {
      return new SquashOptions(
          Path.of(System.getProperty("java.io.tmpdir")),
          LayerFormat.GZIP,
          ReproducibleLayerBuilder.DEFAULT_MTIME,
          "caulk squash");
    }

    /** A copy writing to another directory. */
    public SquashOptions withTempDir(Path dir) {
      return new SquashOptions(dir, format, mtime, createdBy);
    }

    /** A copy with another layer format. */
    public SquashOptions withFormat(LayerFormat f) {
      return new SquashOptions(tempDir, f, mtime, createdBy);
    }
  }

  /**
   * Appends layers on top of an image.
   *
   * @param history one non-empty entry per layer, plus any empty-layer entries in between; null or
   *     empty to have caulk write one plain entry per layer
   * @throws IllegalArgumentException when the history does not pair with the layers, or a zstd
   *     layer goes onto an image of the Docker family (which has no zstd media type)
   */
  public static Image appendLayers(Image base, List<Layer> layers, List<History> history)
      throws IOException {
    checkCompression(base, layers);
    List<History> added = new ArrayList<>();
    if (history == null || history.isEmpty()) {
      for (int i = 0; i < layers.size(); i++)
        added.add(new History(null, null, "caulk", null, false));
    } else {
      long nonEmpty = history.stream().filter(h -> !h.emptyLayer()).count();
      if (nonEmpty != layers.size()) {
        throw new IllegalArgumentException(
            "history has " + nonEmpty + " non-empty entries for " + layers.size() + " layers");
      }
      added.addAll(history);
    }
    List<Layer> baseLayers = base.layers();
    ConfigFile c = base.config();
    List<History> h = consistent(c.history(), baseLayers.size());
    h.addAll(added);
    List<Layer> all = new ArrayList<>(baseLayers);
    all.addAll(layers);
    return rebuild(base, c.withRootFs(c.rootfs(), h), all);
  }

  /** Replaces the run configuration (user, env, entrypoint, cmd, ports, labels...). */
  public static Image withConfig(Image image, ContainerConfig config) throws IOException {
    return rebuild(image, image.config().withConfig(config), image.layers());
  }

  /**
   * Sets the config's {@code created} time (RFC 3339, UTC); reproducible builds use a fixed one.
   */
  public static Image withCreated(Image image, Instant created) throws IOException {
    return rebuild(
        image,
        image.config().withCreated(DateTimeFormatter.ISO_INSTANT.format(created)),
        image.layers());
  }

  /** Sets the config's platform (architecture, OS, variant, OS version and features). */
  public static Image withPlatform(Image image, Platform platform) throws IOException {
    return rebuild(image, image.config().withPlatform(platform), image.layers());
  }

  /** {@link #squash(Image, SquashOptions)} with {@link SquashOptions#defaults()}. */
  public static Image squash(Image image) throws IOException {
    return squash(image, SquashOptions.defaults());
  }

  /**
   * Flattens an image into one layer: the merged filesystem (whiteouts applied, nothing hidden
   * left) written by {@link ReproducibleLayerBuilder}, so the same image always squashes to the
   * same bytes. Modes, owners, xattrs, symlinks, hard links and devices are kept; modification
   * times become {@code options.mtime()}. The old history entries stay, marked empty, followed by
   * one entry for the new layer. Layers are read once; file contents pass through a temporary spool
   * in {@code options.tempDir()} (as large as the files the layers carry).
   */
  public static Image squash(Image image, SquashOptions options) throws IOException {
    if (isDocker(image) && options.format().compression() == MediaType.Compression.ZSTD) {
      throw new IllegalArgumentException(
          "cannot squash into a zstd layer: the image uses Docker media types");
    }
    Layer layer = Squasher.squashLayer(image, options);
    return flatten(
        image,
        layer,
        new History(
            null,
            null,
            options.createdBy(),
            "squashed " + image.layers().size() + " layers",
            false));
  }

  /**
   * Replaces every layer of an image with one layer that holds its whole filesystem (written by the
   * caller: a squash, or a rewrite such as harden and slim that keeps part of it). The old history
   * entries stay, marked empty, followed by {@code entry} for the new layer; config, media-type
   * family and annotations are kept.
   *
   * @param entry the history entry of the new layer, not an empty-layer one
   * @throws IllegalArgumentException when {@code entry} is marked empty, or a zstd layer would go
   *     into an image of the Docker family
   */
  public static Image flatten(Image image, Layer layer, History entry) throws IOException {
    if (entry.emptyLayer()) {
      throw new IllegalArgumentException("the history entry of the one layer is marked empty");
    }
    checkCompression(image, List.of(layer));
    ConfigFile c = image.config();
    List<History> h = new ArrayList<>();
    for (History old : c.history()) {
      h.add(new History(old.created(), old.author(), old.createdBy(), old.comment(), true));
    }
    h.add(entry);
    return rebuild(image, c.withRootFs(c.rootfs(), h), List.of(layer));
  }

  /**
   * A new image on a base, the start of a build: the base's layers and history and nothing else of
   * it. Its config has the base's platform but no creation time, author, run configuration or
   * fields caulk does not model; it has OCI media types (a Docker-format base's layers are retyped,
   * their bytes kept) and no manifest annotations, so what is built has one digest wherever it is
   * written. Set the rest with {@link #withPlatform}, {@link #withCreated}, {@link #withConfig} and
   * {@link #appendLayers}.
   */
  public static Image onTopOf(Image base) throws IOException {
    ConfigFile c = base.config();
    ConfigFile fresh =
        new ConfigFile(
            null,
            null,
            c.architecture(),
            c.os(),
            c.osVersion(),
            c.osFeatures(),
            c.variant(),
            null,
            c.rootfs(),
            c.history());
    return Images.of(fresh, base.layers(), false, null);
  }

  /**
   * History with exactly {@code layers} non-empty entries: missing ones are added as placeholders
   * at the end, surplus ones (a broken base) are marked empty from the end.
   */
  static List<History> consistent(List<History> history, int layers) {
    List<History> h = new ArrayList<>(history);
    long nonEmpty = h.stream().filter(x -> !x.emptyLayer()).count();
    for (int i = h.size() - 1; i >= 0 && nonEmpty > layers; i--) {
      History x = h.get(i);
      if (!x.emptyLayer()) {
        h.set(i, new History(x.created(), x.author(), x.createdBy(), x.comment(), true));
        nonEmpty--;
      }
    }
    for (long i = nonEmpty; i < layers; i++) {
      h.add(
          new History(
              null, null, null, "history missing in the base image (entry added by caulk)", false));
    }
    return h;
  }

  /** Refuses zstd layers on an image of the Docker family, which has no zstd media type. */
  private static void checkCompression(Image base, List<Layer> layers) throws IOException {
    if (!isDocker(base)) {
      return;
    }
    for (Layer l : layers) {
      if (MediaType.layerCompression(l.mediaType()) == MediaType.Compression.ZSTD) {
        throw new IllegalArgumentException(
            "layer "
                + l.digest().shortString()
                + " is zstd, which images with Docker media types cannot carry; use an OCI base");
      }
    }
  }

  private static Image rebuild(Image base, ConfigFile config, List<Layer> layers)
      throws IOException {
    return Images.of(config, layers, isDocker(base), base.manifest().annotations());
  }

  private static boolean isDocker(Image image) throws IOException {
    return image.manifest().isDocker();
  }
}
