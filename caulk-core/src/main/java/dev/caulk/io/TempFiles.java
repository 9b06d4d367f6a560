package dev.caulk.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary files caulk writes next to its outputs ({@code .caulk-*.tmp} in a layout, beside an
 * archive), and how none of them outlives caulk:
 *
 * <ul>
 *   <li>every live temp file is registered, and a JVM shutdown hook deletes those still there when
 *       the JVM exits by any path, including SIGINT and SIGTERM (a {@code kill -9} or a power cut
 *       cannot run it; the next point covers those);
 *   <li>the first time caulk writes into a directory, {@code .caulk-*.tmp} regular files there that
 *       are older than {@link #STALE} (a day: no copy runs that long) are deleted, so what an
 *       earlier, killed run left behind is cleaned by the next one.
 * </ul>
 */
public final class TempFiles {
  /** The prefix of every temp file caulk leaves beside an output. */
  public static final String PREFIX = ".caulk-";

  /** The suffix of those temp files. */
  public static final String SUFFIX = ".tmp";

  /** How old a temp file must be to count as left behind by a dead run. */
  public static final Duration STALE = Duration.ofDays(1);

  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

  static {
    Thread hook = new Thread(TempFiles::deleteLive, "caulk-temp-cleanup");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting: nothing can be registered any more
    }
  }

  private TempFiles() {}

  /**
   * Creates a new, empty temp file {@code .caulk-<hint>…tmp} in {@code dir}, registered for
   * deletion at exit; sweeps stale ones from {@code dir} first (once per directory per run).
   */
  public static Path create(Path dir, String hint) throws IOException {
    sweepOnce(dir);
    Path p = Files.createTempFile(dir, PREFIX + hint, SUFFIX);
    LIVE.add(p.toAbsolutePath());
    return p;
  }

  /**
   * Registers a temp file made elsewhere (a spool) for deletion at exit; {@link #discard} it when
   * done.
   */
  public static Path register(Path p) {
    LIVE.add(p.toAbsolutePath());
    return p;
  }

  /**
   * Deletes a temp file if it is still there (after a failure; harmless after a rename) and forgets
   * it.
   */
  public static void discard(Path p) throws IOException {
    try {
      Files.deleteIfExists(p);
    } finally {
      LIVE.remove(p.toAbsolutePath());
    }
  }

  /** The live temp files (for tests). */
  static Set<Path> live() {
    return Set.copyOf(LIVE);
  }

  private static void deleteLive() {
    for (Path p : LIVE) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException | RuntimeException ignored) {
        // best effort while the JVM exits
      }
    }
  }

  private static void sweepOnce(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    if (!SWEPT.add(key)) return;
    sweep(dir, Instant.now().minus(STALE));
  }

  /**
   * Deletes the {@code .caulk-*.tmp} regular files (never symlinks, never directories, never
   * anything below {@code dir}) of {@code dir} last modified before {@code cutoff}; returns how
   * many. Failures are ignored: a sweep never stops a write.
   */
  public static int sweep(Path dir, Instant cutoff) {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path p : ds) {
        try {
          BasicFileAttributes a =
              Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (!a.isRegularFile() || LIVE.contains(p.toAbsolutePath())) continue;
          if (a.lastModifiedTime().compareTo(FileTime.from(cutoff)) < 0 && Files.deleteIfExists(p))
            n++;
        } catch (IOException | RuntimeException ignored) {
          // another run may be removing it
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // unreadable directory: the write itself will report it
    }
    return n;
  }
}
