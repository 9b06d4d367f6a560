package dev.caulk.slim;

import dev.caulk.elf.ElfFileSystem;
import dev.caulk.elf.ElfSource;
import dev.caulk.fs.ContentVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.image.Image;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's merged tree plus random access to the final bytes of every file: the layers stream
 * once into {@link FileTree#build} while a visitor spools each file's content to one temporary
 * file (docs/elf.md: an adapter over a tree must give random access, and a slim plan reads ELF
 * headers, {@code nsswitch.conf}, dpkg lists… before it knows what it keeps).
 *
 * <p>Every spooled version gets an id; a hard link takes its target's id when it is made, so paths
 * that share an id are one inode, as in {@code image.mutate}'s squash. Close to delete the spool.
 */
final class ImageFiles implements AutoCloseable {
  /** Where one version of a file's bytes lies in the spool; {@code id} identifies the inode. */
  record Ref(long id, long offset, long length) {}

  private final FileTree tree;
  private final Map<String, Ref> refs;
  private final Path spoolFile;
  private final FileChannel channel;

  private ImageFiles(FileTree tree, Map<String, Ref> refs, Path spoolFile, FileChannel channel) {
    this.tree = tree;
    this.refs = refs;
    this.spoolFile = spoolFile;
    this.channel = channel;
  }

  /** Reads the image once; the spool goes to {@code tempDir} (as large as the files the layers carry). */
  static ImageFiles load(Image image, FileTree.Options options, Path tempDir) throws IOException {
    Path file = Files.createTempFile(tempDir, "slim-", ".spool");
    try {
      Spool spool = new Spool(file);
      FileTree tree;
      try (spool.out) {
        tree = FileTree.build(image, options.withMaxContentBytes(Long.MAX_VALUE), spool);
      }
      return new ImageFiles(tree, spool.refs, file, FileChannel.open(file, StandardOpenOption.READ));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  FileTree tree() {
    return tree;
  }

  /** The spooled bytes of a regular file or hard link at exactly this path (no symlink followed). */
  Optional<Ref> ref(String path) {
    Optional<Node> n = tree.node(path);
    if (n.isEmpty() || !n.get().isRegular()) return Optional.empty();
    return Optional.ofNullable(refs.get(n.get().path()));
  }

  /** Opens the bytes of a spooled version; many streams may be open at once. */
  InputStream open(Ref r) {
    return new Window(channel, r.offset(), r.length());
  }

  /**
   * The content of the file a path leads to (symlinks followed inside the image), at most {@code
   * max} bytes; empty when there is no such regular file or it is larger than {@code max}.
   */
  Optional<byte[]> read(String path, int max) throws IOException {
    Optional<Node> n = tree.resolve(path);
    if (n.isEmpty() || !n.get().isRegular()) return Optional.empty();
    Ref r = refs.get(n.get().path());
    if (r == null || r.length() > max) return Optional.empty();
    try (InputStream in = open(r)) {
      return Optional.of(in.readNBytes((int) r.length()));
    }
  }

  /** The tree as the ELF resolver sees it: literal lookups, bytes from the spool. */
  ElfFileSystem elfFileSystem() {
    return new ElfView();
  }

  private final class ElfView implements ElfFileSystem {
    @Override
    public Optional<ElfFileSystem.Node> lookup(String p) {
      Optional<dev.caulk.fs.Node> n = tree.node(p);
      if (n.isEmpty() || !n.get().path().equals(p)) return Optional.empty();
      dev.caulk.fs.Node x = n.get();
      return Optional.of(switch (x.type()) {
        case DIR -> new Directory();
        case SYMLINK -> new Symlink(x.linkTarget());
        case FILE, HARDLINK -> {
          Ref r = refs.get(x.path());
          yield r == null ? new Other() : new RegularFile(r.length(), () -> new Source(channel, r.offset(), r.length()));
        }
        default -> new Other();
      });
    }

    @Override
    public List<String> list(String dir) {
      List<String> out = new ArrayList<>();
      Optional<dev.caulk.fs.Node> n = tree.node(dir);
      if (n.isEmpty() || !n.get().isDirectory()) return out;
      for (dev.caulk.fs.Node c : tree.children(dir)) out.add(c.name());
      return out;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(spoolFile);
    }
  }

  private static final class Spool implements ContentVisitor {
    final OutputStream out;
    final Map<String, Ref> refs = new HashMap<>();
    private long offset;
    private long nextId;

    Spool(Path file) throws IOException {
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
  }

  /** A window of the spool read with positional reads; closing it leaves the shared channel open. */
  private static final class Source implements ElfSource {
    private final FileChannel ch;
    private final long offset;
    private final long length;

    Source(FileChannel ch, long offset, long length) {
      this.ch = ch;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public long size() {
      return length;
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
      if (position >= length) return -1;
      long left = length - position;
      if (dst.remaining() > left) {
        ByteBuffer part = dst.slice();
        part.limit((int) left);
        int n = ch.read(part, offset + position);
        if (n > 0) dst.position(dst.position() + n);
        return n;
      }
      return ch.read(dst, offset + position);
    }
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
      if (len == 0) return 0;
      int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
      if (n > 0) pos += n;
      return n;
    }
  }
}
