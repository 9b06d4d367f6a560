package dev.caulk.scan.db;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The store's directory layout and its atomic switch.
 *
 * <pre>
 * DIR/current              the live generation's name, e.g. "gen-00000007"
 * DIR/gen-00000007/        manifest.json, &lt;stem&gt;.dat, &lt;stem&gt;.idx per ecosystem
 * DIR/import-*&#47;           an import in progress (or the debris of a crashed one)
 * DIR/lock                 held by the one running import
 * </pre>
 *
 * <p>An import builds everything in an {@code import-*} directory, renames it to the next {@code
 * gen-*} name, then replaces {@code current} by renaming a freshly written temporary file over it:
 * that last rename is the commit point. Unchanged ecosystems are hard-linked (or copied) from the
 * previous generation. Older generations and import debris are deleted afterwards, best effort.
 */
final class Generations {
  static final String CURRENT = "current";
  private static final Pattern GENERATION = Pattern.compile("gen-\\d{8}");

  /**
   * The generation a reader uses; {@code generation} is empty for a store that was never imported
   * into.
   */
  record Snapshot(String generation, Path directory, Manifest manifest) {}

  /** A complete, not yet published generation. */
  record Built(Path directory, Manifest manifest, ImportResult result) {}

  /** The import lock; closing releases it. */
  static final class WriteLock implements Closeable {
    private final FileChannel channel;
    private final FileLock lock;

    private WriteLock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    /** Confirms the lock is still held (it is for as long as this object is open). */
    void check() throws VulnDbException {
      if (!lock.isValid()) {
        throw new VulnDbException("vulnerability database: import lock lost");
      }
    }

    @Override
    public void close() throws IOException {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  private Generations() {}

  static Snapshot load(Path dir) throws IOException {
    Path current = dir.resolve(CURRENT);
    for (int attempt = 0; attempt < 3; attempt++) {
      String name;
      try (InputStream in = Files.newInputStream(current)) {
        name = new String(in.readNBytes(64), UTF_8).strip();
      } catch (NoSuchFileException e) {
        return new Snapshot("", dir, Manifest.empty());
      }
      if (!GENERATION.matcher(name).matches()) {
        throw EcosystemIndex.corrupt(CURRENT, "bad generation name");
      }
      Path gen = dir.resolve(name);
      try {
        return new Snapshot(name, gen, Manifest.read(gen.resolve(Manifest.FILE)));
      } catch (NoSuchFileException e) {
        // An import in another process switched generations and removed this one; read "current"
        // again.
      }
    }
    throw EcosystemIndex.corrupt(CURRENT, "names a missing generation");
  }

  static WriteLock lockForWrite(Path dir) throws IOException {
    FileChannel ch =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.tryLock();
      if (lock != null) {
        return new WriteLock(ch, lock);
      }
    } catch (OverlappingFileLockException e) {
      // Held by another thread of this JVM.
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    ch.close();
    throw new VulnDbException(
        "vulnerability database " + dir.getFileName() + ": another import is running");
  }

  /**
   * Imports {@code source} into a new directory, carrying over the ecosystems the input does not
   * contain.
   */
  static Built build(Path dir, Snapshot base, Path source, Instant now) throws IOException {
    removeStale(dir, base.generation());
    Path tmp = Files.createTempDirectory(dir, "import-");
    try {
      Map.Entry<Map<String, Manifest.Eco>, ImportResult> imported = Importer.run(source, tmp, now);
      Map<String, Manifest.Eco> ecos = new TreeMap<>(imported.getKey());
      for (Manifest.Eco old : base.manifest().ecosystems().values()) {
        if (!ecos.containsKey(old.name())) {
          carryOver(base.directory(), tmp, old.stem() + ".dat");
          carryOver(base.directory(), tmp, old.stem() + ".idx");
          ecos.put(old.name(), old);
        }
      }
      Manifest manifest = new Manifest(ecos);
      manifest.write(tmp.resolve(Manifest.FILE));
      return new Built(tmp, manifest, imported.getValue());
    } catch (IOException | RuntimeException | Error e) {
      deleteTree(tmp);
      throw e;
    }
  }

  /**
   * Makes a built generation live: rename it into place, then atomically replace {@code current}.
   */
  static Snapshot publish(Path dir, Built built) throws IOException {
    String name = nextName(dir);
    Path target = dir.resolve(name);
    try {
      Files.move(built.directory(), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteTree(built.directory());
      throw e;
    }
    Path tmpCurrent = dir.resolve(CURRENT + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmpCurrent,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap((name + "\n").getBytes(UTF_8)));
        ch.force(true);
      }
      Files.move(
          tmpCurrent,
          dir.resolve(CURRENT),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmpCurrent);
      deleteTree(target);
      throw e;
    }
    return new Snapshot(name, target, built.manifest());
  }

  /**
   * Deletes generations other than {@code keep} and leftover import directories; errors are
   * ignored.
   */
  static void removeStale(Path dir, String keep) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String n = p.getFileName().toString();
        boolean oldGeneration = GENERATION.matcher(n).matches() && !n.equals(keep);
        if ((oldGeneration || n.startsWith("import-")) && Files.isDirectory(p)) {
          try {
            deleteTree(p);
          } catch (IOException e) {
            // Best effort: a reader on another platform may still hold files open.
          }
        }
      }
    } catch (IOException e) {
      // Best effort.
    }
  }

  private static String nextName(Path dir) throws IOException {
    long max = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "gen-*")) {
      for (Path p : entries) {
        String n = p.getFileName().toString();
        if (GENERATION.matcher(n).matches()) {
          max = Math.max(max, Long.parseLong(n.substring(4)));
        }
      }
    }
    return String.format("gen-%08d", max + 1);
  }

  private static void carryOver(Path from, Path to, String file) throws IOException {
    try {
      Files.createLink(to.resolve(file), from.resolve(file));
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a directory tree without following symbolic links. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
