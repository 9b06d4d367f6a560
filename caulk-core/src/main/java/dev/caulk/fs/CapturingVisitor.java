package dev.caulk.fs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link ContentVisitor} that keeps the bytes of chosen paths and, after the build, answers with
 * their <em>final</em> content: the version the tree ended with, not one a later layer replaced or
 * deleted.
 *
 * <p>Each capture remembers its layer; {@link #content} returns it only when the tree's node at
 * that path is a regular file (or hard link) written by that same layer. A hard link to a captured
 * file captures the same bytes under the link's path if the link's path is wanted too. Memory: the
 * captured paths' bytes, each at most {@code maxBytes} (and at most the tree's {@link
 * FileTree.Options#maxContentBytes()}).
 */
public final class CapturingVisitor implements ContentVisitor {
  private record Captured(int layer, byte[] bytes, boolean truncated) {}

  private final Predicate<String> wanted;
  private final long maxBytes;
  private final Map<String, Captured> captured = new HashMap<>();

  /**
   * Captures the given absolute paths (e.g. {@code /etc/passwd}, {@code /var/lib/dpkg/status}).
   *
   * @param maxBytes bytes kept per file; longer files are captured truncated
   */
  public CapturingVisitor(Collection<String> paths, long maxBytes) {
    this(Set.copyOf(paths)::contains, maxBytes);
  }

  /** Captures every path the predicate accepts (it sees absolute paths). */
  public CapturingVisitor(Predicate<String> wanted, long maxBytes) {
    if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8)
      throw new IllegalArgumentException("maxBytes out of range");
    this.wanted = wanted;
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean wants(Node file) {
    return wanted.test(file.path());
  }

  @Override
  public void accept(Node file, InputStream content) throws IOException {
    byte[] b = content.readNBytes((int) maxBytes);
    captured.put(file.path(), new Captured(file.layerIndex(), b, file.size() > b.length));
  }

  @Override
  public void linked(Node link) {
    if (!wanted.test(link.path())) return;
    Captured c = captured.get(link.linkTarget());
    if (c == null) captured.remove(link.path());
    else captured.put(link.path(), new Captured(link.layerIndex(), c.bytes, c.truncated));
  }

  /**
   * The final content of a path in {@code tree} (the tree this visitor was built with), or empty if
   * the path was not captured or its captured version is not the one the tree ended with.
   */
  public Optional<byte[]> content(FileTree tree, String path) {
    Captured c = captured.get(absolute(path));
    Optional<Node> n = tree.node(path);
    if (c == null || n.isEmpty() || !n.get().isRegular() || n.get().layerIndex() != c.layer)
      return Optional.empty();
    return Optional.of(c.bytes.clone());
  }

  /** Whether the captured content of a path was cut at {@code maxBytes}. */
  public boolean truncated(String path) {
    Captured c = captured.get(absolute(path));
    return c != null && c.truncated;
  }

  private static String absolute(String p) {
    return p.startsWith("/") ? p : "/" + p;
  }
}
