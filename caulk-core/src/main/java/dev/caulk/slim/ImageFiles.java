package dev.caulk.slim;

import dev.caulk.elf.ElfFileSystem;
import dev.caulk.elf.ElfSource;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Spool;
import dev.caulk.fs.Node;
import dev.caulk.image.Image;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
  private final FileTree tree;
  private final Map<String, Spool.Ref> refs;
  private final Path spoolFile;
  private final FileChannel channel;

  private ImageFiles(FileTree tree, Map<String, Spool.Ref> refs, Path spoolFile, FileChannel channel) {
    this.tree = tree;
    this.refs = refs;
    this.spoolFile = spoolFile;
    this.channel = channel;
  }

  /** Reads the image once; the spool goes to {@code tempDir} (as large as the files the layers carry). */
  static ImageFiles load(Image image, FileTree.Options options, Path tempDir) throws IOException {
    return load(image, options, tempDir, Long.MAX_VALUE, null);
  }

  /**
   * Like {@link #load(Image, FileTree.Options, Path)}, refusing to spool more than {@code maxBytes}
   * (the error is {@code limitMessage}). The spool file is deleted at exit whatever happens
   * (SIGINT and SIGTERM included).
   */
  static ImageFiles load(Image image, FileTree.Options options, Path tempDir, long maxBytes, String limitMessage) throws IOException {
    Path file = Files.createTempFile(tempDir, "slim-", ".spool");
    dev.caulk.io.TempFiles.register(file);
    try {
      Spool spool = new Spool(file, maxBytes, limitMessage);
      FileTree tree;
      try (spool) {
        tree = FileTree.build(image, options.withMaxContentBytes(Long.MAX_VALUE), spool);
      }
      return new ImageFiles(tree, spool.refs(), file, FileChannel.open(file, StandardOpenOption.READ));
    } catch (IOException | RuntimeException e) {
      dev.caulk.io.TempFiles.discard(file);
      throw e;
    }
  }

  FileTree tree() {
    return tree;
  }

  /** The spooled bytes of a regular file or hard link at exactly this path (no symlink followed). */
  Optional<Spool.Ref> ref(String path) {
    Optional<Node> n = tree.node(path);
    if (n.isEmpty() || !n.get().isRegular()) return Optional.empty();
    return Optional.ofNullable(refs.get(n.get().path()));
  }

  /** Opens the bytes of a spooled version; many streams may be open at once. */
  InputStream open(Spool.Ref r) {
    return Spool.open(channel, r);
  }

  /**
   * The content of the file a path leads to (symlinks followed inside the image), at most {@code
   * max} bytes; empty when there is no such regular file or it is larger than {@code max}.
   */
  Optional<byte[]> read(String path, int max) throws IOException {
    Optional<Node> n = tree.resolve(path);
    if (n.isEmpty() || !n.get().isRegular()) return Optional.empty();
    Spool.Ref r = refs.get(n.get().path());
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
          Spool.Ref r = refs.get(x.path());
          yield r == null ? new Other() : new RegularFile(r.length(), () -> spoolSource().slice(r.offset(), r.length()));
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
      dev.caulk.io.TempFiles.discard(spoolFile);
    }
  }

  /**
   * The whole spool as an ELF source read positionally from the shared channel; closing it (and
   * so closing a slice of it) leaves the channel open for the next file.
   */
  private ElfSource spoolSource() {
    return new ElfSource() {
      @Override
      public long size() throws IOException {
        return channel.size();
      }

      @Override
      public int read(long position, ByteBuffer dst) throws IOException {
        return channel.read(dst, position);
      }

      @Override
      public void close() {
        // the channel belongs to ImageFiles and closes with it
      }
    };
  }

}
