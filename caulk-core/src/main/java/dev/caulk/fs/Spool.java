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

/**
 * A {@link ContentVisitor} that appends every file's bytes to one spool file during the
 * {@link FileTree} pass and remembers where each path's bytes are, so that a consumer that needs
 * the final files' contents after the pass (squash, slim) reads them back with positional reads.
 * Hard links share their target's entry (same id: one inode). Later versions of a path replace
 * earlier ones; the spool keeps every version's bytes, so it can be larger than the final tree.
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
  private long offset;
  private long nextId;

  /** A spool writing to {@code file} (the caller deletes it). */
  public Spool(Path file) throws IOException {
    out = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
  }

  @Override
  public boolean wants(Node file) {
    return true;
  }

  @Override
  public void accept(Node file, InputStream content) throws IOException {
    long n = content.transferTo(out);
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
