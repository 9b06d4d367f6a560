package dev.caulk.build;

import dev.caulk.digest.Digest;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.SpecJson;
import dev.caulk.tar.BuiltLayer;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.TarEntry;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A content-addressed store of built layers ({@code ~/.cache/caulk/layers} unless told otherwise):
 * the key is a recipe's {@link LayerRecipe#cacheKey}, the value the layer blob and its digests.
 * Entries are written under a temporary name and renamed, so a crash never leaves a half entry; an
 * entry whose blob no longer matches its digest fails verification when read, like any layer.
 */
final class LayerCache {
  /** What the cache remembers about a layer besides its bytes. */
  record Meta(Digest digest, Digest diffId, long size, long uncompressedSize, String mediaType) {}

  /** What this build knows of a layer it served: its entries and where its files come from. */
  record Known(List<TarEntry> entries, LayerRecipe recipe) {}

  private final Path dir;
  private final Map<Digest, Known> known = new ConcurrentHashMap<>();

  LayerCache(Path dir) {
    this.dir = dir;
  }

  /**
   * The layers this cache served in this build (built or found), by layer digest: their trees come
   * from the recipes, so a verification never reads them back.
   */
  Map<Digest, Known> known() {
    return Collections.unmodifiableMap(known);
  }

  /**
   * The default location: {@code $CAULK_CACHE}, else {@code $XDG_CACHE_HOME/caulk}, else {@code
   * ~/.cache/caulk}.
   */
  static Path defaultDir(java.util.Map<String, String> env) {
    if (env.get("CAULK_CACHE") != null && !env.get("CAULK_CACHE").isBlank())
      return Path.of(env.get("CAULK_CACHE"));
    if (env.get("XDG_CACHE_HOME") != null && !env.get("XDG_CACHE_HOME").isBlank())
      return Path.of(env.get("XDG_CACHE_HOME"), "caulk");
    return Path.of(System.getProperty("user.home"), ".cache", "caulk");
  }

  /** The layer for a recipe: from the cache, or built and stored. */
  Layer layer(LayerRecipe recipe, Instant mtime, LayerFormat format) throws IOException {
    Layer l = fetchOrBuild(recipe, mtime, format);
    known.putIfAbsent(l.digest(), new Known(recipe.toBuilder(mtime).entries(), recipe));
    return l;
  }

  private Layer fetchOrBuild(LayerRecipe recipe, Instant mtime, LayerFormat format)
      throws IOException {
    Digest key = recipe.cacheKey(mtime, format);
    Optional<Layer> hit = get(key);
    if (hit.isPresent()) return hit.get();
    Path layers = dir.resolve("layers");
    Files.createDirectories(layers);
    Path tmp = Files.createTempDirectory(layers, ".build-");
    try {
      BuiltLayer built = recipe.toBuilder(mtime).build(tmp, format);
      Meta meta =
          new Meta(
              built.digest(),
              built.diffId(),
              built.size(),
              built.uncompressedSize(),
              built.mediaType());
      Path entry = layers.resolve(key.hex());
      Files.createDirectories(entry);
      Path blob = entry.resolve("blob");
      move(built.file(), blob);
      Path metaTmp = Files.createTempFile(entry, ".meta-", ".json");
      Files.write(metaTmp, SpecJson.write(meta));
      move(metaTmp, entry.resolve("meta.json"));
      return fromMeta(blob, meta);
    } finally {
      deleteTree(tmp);
    }
  }

  private Optional<Layer> get(Digest key) throws IOException {
    Path entry = dir.resolve("layers").resolve(key.hex());
    Path meta = entry.resolve("meta.json");
    Path blob = entry.resolve("blob");
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(blob)) return Optional.empty();
    Meta m;
    try {
      m = SpecJson.read(Files.readAllBytes(meta), Meta.class, "layer cache " + meta);
    } catch (IOException e) {
      return Optional.empty(); // a damaged entry is rebuilt
    }
    if (Files.size(blob) != m.size()) return Optional.empty();
    return Optional.of(fromMeta(blob, m));
  }

  private static Layer fromMeta(Path blob, Meta m) {
    return Layers.fromFile(blob, Descriptor.of(m.mediaType(), m.digest(), m.size()), m.diffId());
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
