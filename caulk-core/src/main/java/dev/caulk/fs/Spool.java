package dev.caulk.fs;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ContentVisitor} that appends every file's bytes to one spool file during the {@link
 * FileTree} pass and remembers where each path's bytes are, so that a consumer that needs the final
 * files' contents after the pass (squash, slim) reads them back with positional reads. Hard links
 * share their target's entry (same id: one inode). Later versions of a path replace earlier ones;
 * the spool keeps every version's bytes, so it can be larger than the final tree.
 */
public final class Spool implements ContentVisitor, Closeable {
  /**
   * Where a file's bytes are in the spool.
   *
   * @param id the same for paths that are one inode (hard links)
   */
  public record Ref(long id, long offset, long length) {}

  private final OutputStream out;
  private final Map<String, Ref> refs = new HashMap<>();
  private final long maxBytes;
  private final @Nullable String limitMessage;
  private long offset;
  private long nextId;

  /** A spool writing to {@code file} (the caller deletes it), without a size limit. */
  public Spool(Path file) throws IOException {
    this(file, Long.MAX_VALUE, null);
  }

  /**
   * A spool that refuses to grow past {@code maxBytes}: the file that would pass it fails the
   * tree's build with an {@link IOException} whose message is {@code limitMessage}, so a small
   * layer that expands to gigabytes of files (a bomb) cannot fill the temporary folder.
   */
  public Spool(Path file, long maxBytes, @Nullable String limitMessage) throws IOException {
    if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0");
    this.maxBytes = maxBytes;
    this.limitMessage = limitMessage;
    out = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
  }

  /** Bytes spooled so far. */
  public long size() {
    return offset;
  }

  @Override
  public boolean wants(Node file) {
    return true;
  }

  @Override
  public void accept(Node file, InputStream content) throws IOException {
    long n = 0;
    byte[] buf = new byte[64 * 1024];
    for (int r; (r = content.read(buf)) >= 0; ) {
      if (r == 0) continue;
      if (offset + n + r > maxBytes)
        throw new IOException(
            limitMessage == null ? "spool larger than " + maxBytes + " bytes" : limitMessage);
      out.write(buf, 0, r);
      n += r;
    }
    refs.put(file.path(), new Ref(nextId++, offset, n));
    offset += n;
  }

  @Override
  public void linked(Node link) {
    Ref r = refs.get(link.linkTarget());
    if (r != null) refs.put(link.path(), r);
  }

  /** Where the last version of a path's bytes is. */
  public Optional<Ref> ref(String path) {
    return Optional.ofNullable(refs.get(path));
  }

  /** Every path and its bytes (read-only view). */
  public Map<String, Ref> refs() {
    return java.util.Collections.unmodifiableMap(refs);
  }

  /** Flushes and closes the spool file for writing; call before reading it back. */
  @Override
  public void close() throws IOException {
    out.close();
  }

  /** A stream over one file's bytes in the spool; closing it leaves the shared channel open. */
  public static InputStream open(FileChannel ch, Ref ref) {
    return new Window(ch, ref.offset(), ref.length());
  }

  private static final class Window extends InputStream {
    private final FileChannel ch;
    private long pos;
    private final long end;

    Window(FileChannel ch, long offset, long length) {
      this.ch = ch;
      this.pos = offset;
      this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= end) return -1;
      int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
      if (n > 0) pos += n;
      return n;
    }
  }
}
