package dev.caulk.build;

import dev.caulk.digest.Digest;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one layer holds, described before it is written, so that a cache key can be computed without
 * reading file contents: a host file is fingerprinted by its {@link FileStamp} (path, size, mtime,
 * inode, change time, as make and ninja do), bytes by their digest. A cold build therefore reads
 * each input byte once, while writing the layer, and a rebuild with nothing changed reads none.
 */
final class LayerRecipe {
  private sealed interface Item permits HostFile, Bytes, Dir, Link {}

  private record HostFile(Path source, int mode, int uid, int gid) implements Item {}

  private record Bytes(byte[] content, int mode, int uid, int gid) implements Item {}

  private record Dir(int mode, int uid, int gid) implements Item {}

  private record Link(String target) implements Item {}

  private final String description;
  private final TreeMap<String, Item> items = new TreeMap<>();

  /**
   * @param description the history line of the layer, e.g. "caulk: system files"
   */
  LayerRecipe(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  LayerRecipe file(String path, Path source, int mode, int uid, int gid) {
    items.put(path, new HostFile(source, mode, uid, gid));
    return this;
  }

  LayerRecipe bytes(String path, byte[] content, int mode, int uid, int gid) {
    items.put(path, new Bytes(content.clone(), mode, uid, gid));
    return this;
  }

  LayerRecipe bytes(String path, String content, int mode) {
    return bytes(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
  }

  LayerRecipe dir(String path, int mode, int uid, int gid) {
    items.put(path, new Dir(mode, uid, gid));
    return this;
  }

  LayerRecipe symlink(String path, String target) {
    items.put(path, new Link(target));
    return this;
  }

  /** The paths this layer writes, sorted. */
  List<String> paths() {
    return new ArrayList<>(items.keySet());
  }

  /** A digest of everything that determines the layer's bytes. */
  Digest cacheKey(Instant mtime, LayerFormat format) throws IOException {
    StringBuilder b =
        new StringBuilder("caulk-layer-v2\n")
            .append(mtime.getEpochSecond())
            .append('\n')
            .append(format.compression())
            .append(' ')
            .append(format.level())
            .append('\n');
    for (var e : items.entrySet()) {
      b.append(e.getKey()).append('\t');
      Item it = e.getValue();
      if (it instanceof HostFile f) {
        b.append("file ")
            .append(FileStamp.of(f.source()))
            .append(' ')
            .append(Integer.toOctalString(f.mode()))
            .append(' ')
            .append(f.uid())
            .append(':')
            .append(f.gid());
      } else if (it instanceof Bytes y) {
        b.append("bytes ")
            .append(Digest.sha256(y.content()))
            .append(' ')
            .append(Integer.toOctalString(y.mode()))
            .append(' ')
            .append(y.uid())
            .append(':')
            .append(y.gid());
      } else if (it instanceof Dir d) {
        b.append("dir ")
            .append(Integer.toOctalString(d.mode()))
            .append(' ')
            .append(d.uid())
            .append(':')
            .append(d.gid());
      } else if (it instanceof Link l) {
        b.append("link ").append(l.target());
      }
      b.append('\n');
    }
    return Digest.sha256(b.toString());
  }

  /**
   * The first {@code max} bytes of a regular file of this recipe, from where the recipe takes them
   * (its own bytes, or the host file), or null when the recipe has no file at that path.
   */
  byte @Nullable [] content(String path, int max) throws IOException {
    Item it = items.get(path);
    if (it instanceof Bytes y) {
      return y.content().length <= max ? y.content().clone() : Arrays.copyOf(y.content(), max);
    }
    if (it instanceof HostFile f) {
      try (InputStream in = Files.newInputStream(f.source())) {
        return in.readNBytes(max);
      }
    }
    return null;
  }

  /** Feeds the recipe to a layer builder. */
  ReproducibleLayerBuilder toBuilder(Instant mtime) throws IOException {
    ReproducibleLayerBuilder rb = new ReproducibleLayerBuilder(mtime);
    for (var e : items.entrySet()) {
      Item it = e.getValue();
      if (it instanceof HostFile f) rb.file(e.getKey(), f.source(), f.mode(), f.uid(), f.gid());
      else if (it instanceof Bytes y) rb.file(e.getKey(), y.content(), y.mode(), y.uid(), y.gid());
      else if (it instanceof Dir d) rb.directory(e.getKey(), d.mode(), d.uid(), d.gid());
      else if (it instanceof Link l) rb.symlink(e.getKey(), l.target(), 0, 0);
    }
    return rb;
  }
}
