package dev.caulk.slim;

import dev.caulk.elf.ElfFileSystem;
import dev.caulk.elf.ElfSource;
import dev.caulk.fs.ContentVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.fs.Spool;
import dev.caulk.image.Image;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's merged tree plus random access to the final bytes of every file, in two passes so that
 * the temporary folder holds little more than what the result keeps (docs/slim.md "Temporary
 * disk").
 *
 * <p>Pass one streams the layers once into {@link FileTree#build}; a visitor spools the bytes the
 * plan may read before it knows what it keeps: every ELF file and {@code #!} script (the library
 * resolver reads them, docs/elf.md), every file of at most {@link #SMALL_FILE} bytes, and every
 * file under {@code /etc}, the dpkg and apk databases ({@code nsswitch.conf}, {@code /etc/passwd},
 * package lists). Any other file gets a placeholder with its size and the layer that wrote it. Pass
 * two ({@link #fetch}), once the plan is made, reads the layers again and spools only the
 * placeholders of the files the result keeps; a plan that reads a placeholder before that gets it
 * fetched alone. Both passes share one disk budget.
 *
 * <p>Every version gets an id; a hard link takes its target's id when it is made, so paths that
 * share an id are one inode, as in {@code mutate}'s squash. Close to delete the spool files.
 */
final class ImageFiles implements AutoCloseable {
  /** Files up to this size are spooled in the first pass whatever they are. */
  static final long SMALL_FILE = 64 * 1024;

  /**
   * Folders whose files the plan reads (accounts, NSS, package databases), spooled in the first
   * pass.
   */
  private static final List<String> PLAN_READS =
      List.of("/etc/", "/var/lib/dpkg/", "/lib/apk/db/", "/usr/lib/os-release");

  /**
   * When set, the first pass spools every file as before the two passes: tests compare both
   * outputs, which must be byte-identical. Never set outside tests.
   */
  static volatile boolean firstPassSpoolsAll;

  /** A version of a path: the layer that wrote it. */
  private record Version(String path, int layerIndex) {}

  /** Bytes of a version spooled by a later pass: in which spool file, where. */
  private record Fetched(FileChannel channel, Spool.Ref ref) {}

  private final Image image;
  private final FileTree.Options options;
  private final Path tempDir;
  private final long maxBytes;
  private final String limitMessage;
  private final FileTree tree;
  private final Map<String, Spool.Ref> refs;
  private final Map<Long, Version> pending;
  private final Map<Long, Fetched> fetched = new HashMap<>();
  private final List<Path> spoolFiles = new ArrayList<>();
  private final List<FileChannel> channels = new ArrayList<>();
  private final FileChannel channel;
  private long spooled;

  private ImageFiles(
      Image image,
      FileTree.Options options,
      Path tempDir,
      long maxBytes,
      String limitMessage,
      FileTree tree,
      FirstPass first,
      Path spoolFile,
      FileChannel channel) {
    this.image = image;
    this.options = options;
    this.tempDir = tempDir;
    this.maxBytes = maxBytes;
    this.limitMessage = limitMessage;
    this.tree = tree;
    this.refs = first.refs;
    this.pending = first.pending;
    this.spooled = first.offset;
    this.channel = channel;
    spoolFiles.add(spoolFile);
    channels.add(channel);
  }

  /** Reads the image; the spool goes to {@code tempDir}. */
  static ImageFiles load(Image image, FileTree.Options options, Path tempDir) throws IOException {
    return load(image, options, tempDir, Long.MAX_VALUE, null);
  }

  /**
   * Like {@link #load(Image, FileTree.Options, Path)}, refusing to spool more than {@code maxBytes}
   * over both passes (the error is {@code limitMessage}). The spool files are deleted at exit
   * whatever happens (SIGINT and SIGTERM included).
   */
  static ImageFiles load(
      Image image, FileTree.Options options, Path tempDir, long maxBytes, String limitMessage)
      throws IOException {
    FileTree.Options all = options.withMaxContentBytes(Long.MAX_VALUE);
    Path file = Files.createTempFile(tempDir, "slim-", ".spool");
    dev.caulk.io.TempFiles.register(file);
    try {
      FirstPass first = new FirstPass(file, maxBytes, limitMessage);
      FileTree tree;
      try (first) {
        tree = FileTree.build(image, all, first);
      }
      return new ImageFiles(
          image,
          all,
          tempDir,
          maxBytes,
          limitMessage,
          tree,
          first,
          file,
          FileChannel.open(file, StandardOpenOption.READ));
    } catch (IOException | RuntimeException e) {
      dev.caulk.io.TempFiles.discard(file);
      throw e;
    }
  }

  /** Bytes in the spool files so far, over both passes. */
  long spooledBytes() {
    return spooled;
  }

  /**
   * The second pass: spools the content of every file among {@code paths} that the first pass left
   * as a placeholder, reading the layers once more; nothing when there is none.
   */
  void fetch(Collection<String> paths) throws IOException {
    Map<Version, Long> want = new HashMap<>();
    for (String p : paths) {
      Spool.Ref r = refs.get(p);
      if (r != null && r.offset() < 0 && !fetched.containsKey(r.id()))
        want.put(pending.get(r.id()), r.id());
    }
    if (want.isEmpty()) return;
    Path file = Files.createTempFile(tempDir, "slim-", ".spool");
    dev.caulk.io.TempFiles.register(file);
    spoolFiles.add(file);
    Map<Long, Spool.Ref> got = new HashMap<>();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024)) {
      FileTree.build(
          image,
          options,
          new ContentVisitor() {
            private long offset;

            @Override
            public boolean wants(Node file) {
              return want.containsKey(new Version(file.path(), file.layerIndex()));
            }

            @Override
            public void accept(Node file, InputStream content) throws IOException {
              long id = want.get(new Version(file.path(), file.layerIndex()));
              long n = copy(content, out, spooled + offset);
              got.put(id, new Spool.Ref(id, offset, n));
              offset += n;
            }
          });
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    channels.add(ch);
    for (Map.Entry<Long, Spool.Ref> e : got.entrySet()) {
      fetched.put(e.getKey(), new Fetched(ch, e.getValue()));
      spooled += e.getValue().length();
    }
  }

  /**
   * Copies a file's bytes to a spool, failing once the spools would pass the budget; returns the
   * count.
   */
  private long copy(InputStream content, OutputStream out, long before) throws IOException {
    return copyBounded(content, out, before, maxBytes, limitMessage);
  }

  private static long copyBounded(
      InputStream content, OutputStream out, long before, long max, String message)
      throws IOException {
    long n = 0;
    byte[] buf = new byte[64 * 1024];
    for (int r; (r = content.read(buf)) >= 0; ) {
      if (r == 0) continue;
      if (before + n + r > max)
        throw new IOException(message == null ? "spool larger than " + max + " bytes" : message);
      out.write(buf, 0, r);
      n += r;
    }
    return n;
  }

  /**
   * Where a version's bytes are: the first spool, or the one a later pass wrote (fetched now if
   * need be).
   */
  private Fetched locate(Spool.Ref r) throws IOException {
    if (r.offset() >= 0) return new Fetched(channel, r);
    Fetched f = fetched.get(r.id());
    if (f == null) {
      Version v = pending.get(r.id());
      fetch(List.of(v.path()));
      f = fetched.get(r.id());
      if (f == null)
        throw new IOException(
            "the content of " + v.path() + " was not found when its layer was read again");
    }
    return f;
  }

  /**
   * Pass one's visitor: spools what the plan may read (see the class comment), leaves a placeholder
   * (offset -1, the entry's size) for the rest.
   */
  private static final class FirstPass implements ContentVisitor, Closeable {
    private final OutputStream out;
    private final long maxBytes;
    private final String limitMessage;
    private final Map<String, Spool.Ref> refs = new HashMap<>();
    private final Map<Long, Version> pending = new HashMap<>();
    private long offset;
    private long nextId;

    FirstPass(Path file, long maxBytes, String limitMessage) throws IOException {
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
      this.maxBytes = maxBytes;
      this.limitMessage = limitMessage;
    }

    @Override
    public boolean wants(Node file) {
      return true;
    }

    @Override
    public void accept(Node file, InputStream content) throws IOException {
      long id = nextId++;
      byte[] head = content.readNBytes(4);
      boolean spool =
          firstPassSpoolsAll
              || file.size() <= SMALL_FILE
              || planReads(file.path())
              || isElf(head)
              || isScript(head);
      if (!spool) {
        refs.put(file.path(), new Spool.Ref(id, -1, file.size()));
        pending.put(id, new Version(file.path(), file.layerIndex()));
        return;
      }
      if (offset + head.length > maxBytes)
        throw new IOException(
            limitMessage == null ? "spool larger than " + maxBytes : limitMessage);
      out.write(head);
      long n =
          head.length + copyBounded(content, out, offset + head.length, maxBytes, limitMessage);
      refs.put(file.path(), new Spool.Ref(id, offset, n));
      offset += n;
    }

    @Override
    public void linked(Node link) {
      Spool.Ref r = refs.get(link.linkTarget());
      if (r != null) refs.put(link.path(), r);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }

    private static boolean planReads(String path) {
      for (String p : PLAN_READS) {
        if (path.startsWith(p)) return true;
      }
      return false;
    }

    private static boolean isElf(byte[] h) {
      return h.length == 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
    }

    private static boolean isScript(byte[] h) {
      return h.length >= 2 && h[0] == '#' && h[1] == '!';
    }
  }

  FileTree tree() {
    return tree;
  }

  /**
   * The spooled bytes of a regular file or hard link at exactly this path (no symlink followed).
   */
  Optional<Spool.Ref> ref(String path) {
    Optional<Node> n = tree.node(path);
    if (n.isEmpty() || !n.get().isRegular()) return Optional.empty();
    return Optional.ofNullable(refs.get(n.get().path()));
  }

  /**
   * Opens the bytes of a version (fetching a placeholder's first); many streams may be open at
   * once.
   */
  InputStream open(Spool.Ref r) throws IOException {
    Fetched f = locate(r);
    return Spool.open(f.channel(), f.ref());
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
      return Optional.of(
          switch (x.type()) {
            case DIR -> new Directory();
            case SYMLINK -> new Symlink(x.linkTarget());
            case FILE, HARDLINK -> {
              Spool.Ref r = refs.get(x.path());
              yield r == null
                  ? new Other()
                  : new RegularFile(
                      r.length(),
                      () -> {
                        Fetched f = locate(r);
                        return spoolSource(f.channel()).slice(f.ref().offset(), f.ref().length());
                      });
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
      for (FileChannel ch : channels) ch.close();
    } finally {
      for (Path f : spoolFiles) dev.caulk.io.TempFiles.discard(f);
    }
  }

  /**
   * The whole spool as an ELF source read positionally from the shared channel; closing it (and so
   * closing a slice of it) leaves the channel open for the next file.
   */
  private static ElfSource spoolSource(FileChannel ch) {
    return new ElfSource() {
      @Override
      public long size() throws IOException {
        return ch.size();
      }

      @Override
      public int read(long position, ByteBuffer dst) throws IOException {
        return ch.read(dst, position);
      }

      @Override
      public void close() {
        // the channel belongs to ImageFiles and closes with it
      }
    };
  }
}
