package dev.caulk.slim;

import dev.caulk.event.EventListener;
import dev.caulk.fs.FileTree;
import dev.caulk.image.Image;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code caulk harden} and {@code caulk slim}: rewrite any image into a single, reproducible layer
 * that holds less. Both read the image once (its merged tree, so nothing a later layer hid stays),
 * find what the entrypoint needs (the program through {@code PATH}, its {@code #!} interpreter, its
 * ELF closure with the libraries glibc loads at run time) and keep the package metadata of exactly
 * the packages whose files remain, distroless style.
 *
 * <ul>
 *   <li>{@link #harden}: removes shells, everything in the PATH folders but what the entrypoint
 *       needs, package managers with their caches and data; clears setuid/setgid bits and file
 *       capabilities; runs as a non-root user ({@code --user} or a new {@code nonroot}
 *       65532:65532); takes write permission from that user outside its home and {@code /tmp}.
 *   <li>{@link #slim}: keeps only what the entrypoint needs, the essential {@code /etc} files, the
 *       workdir, the user's home and what the caller includes; clears setuid/setgid bits and file
 *       capabilities. The user is left as it is.
 * </ul>
 *
 * The run configuration (entrypoint, cmd, env, ports, labels, workdir) is kept; the old history
 * entries are marked empty and one entry says what was done. Same image and options in, same digest
 * out. Nothing is printed: progress goes to the listener.
 */
public final class Slimmer {
  private Slimmer() {}

  /**
   * How to rewrite.
   *
   * @param keep {@code harden --keep} / {@code slim --include}: absolute paths or globs (a
   *     directory is kept with everything below it)
   * @param includeExe program names (looked up in the image's PATH) or paths kept with their ELF
   *     closure
   * @param extraPaths exact paths to keep as well, e.g. every file a traced run opened; missing
   *     ones are ignored
   * @param user {@code harden}: the user to run as ({@code name}, {@code uid}, {@code uid:gid});
   *     null keeps a non-root user and replaces root with {@code nonroot}. Ignored by {@code slim}
   * @param tempDir where the spool of file contents (deleted) and the new layer (kept) go
   * @param format compression of the new layer
   * @param mtime the modification time of every entry
   * @param tree limits for reading untrusted layers
   * @param listener progress and warnings (missing libraries, includes that match nothing)
   * @param fixAccounts {@code harden}: remove a second uid-0 account instead of only reporting it
   * @param maxSpoolBytes the most the temporary spool of the image's files may take, 0 for the
   *     default ({@link #spoolLimit})
   */
  public record Options(
      List<String> keep,
      List<String> includeExe,
      List<String> extraPaths,
      String user,
      Path tempDir,
      LayerFormat format,
      Instant mtime,
      FileTree.Options tree,
      EventListener listener,
      boolean fixAccounts,
      long maxSpoolBytes) {
    /** The floor of the default spool limit: 2 GiB. */
    public static final long DEFAULT_MIN_SPOOL = 2L << 30;

    /** Checks and copies. */
    public Options {
      keep = List.copyOf(keep);
      includeExe = List.copyOf(includeExe);
      extraPaths = List.copyOf(extraPaths);
      Objects.requireNonNull(tempDir, "tempDir");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(mtime, "mtime");
      Objects.requireNonNull(tree, "tree");
      listener = listener == null ? EventListener.NONE : listener;
    }

    /**
     * Nothing extra kept, no user given, the JVM temp dir, gzip, {@link
     * ReproducibleLayerBuilder#DEFAULT_MTIME}.
     */
    public static Options defaults() {
      return new Options(
          List.of(),
          List.of(),
          List.of(),
          null,
          Path.of(System.getProperty("java.io.tmpdir")),
          LayerFormat.GZIP,
          ReproducibleLayerBuilder.DEFAULT_MTIME,
          FileTree.Options.defaults(),
          EventListener.NONE,
          false,
          0);
    }

    /** Copy with other paths or globs to keep. */
    public Options withKeep(List<String> v) {
      return new Options(
          v,
          includeExe,
          extraPaths,
          user,
          tempDir,
          format,
          mtime,
          tree,
          listener,
          fixAccounts,
          maxSpoolBytes);
    }

    /** Copy with other programs to keep with their closures. */
    public Options withIncludeExe(List<String> v) {
      return new Options(
          keep,
          v,
          extraPaths,
          user,
          tempDir,
          format,
          mtime,
          tree,
          listener,
          fixAccounts,
          maxSpoolBytes);
    }

    /** Copy with more exact paths to keep (appended). */
    public Options withExtraPaths(List<String> v) {
      List<String> all = new ArrayList<>(extraPaths);
      all.addAll(v);
      return new Options(
          keep,
          includeExe,
          all,
          user,
          tempDir,
          format,
          mtime,
          tree,
          listener,
          fixAccounts,
          maxSpoolBytes);
    }

    /** Copy with the user to run as ({@code harden}). */
    public Options withUser(String v) {
      return new Options(
          keep,
          includeExe,
          extraPaths,
          v,
          tempDir,
          format,
          mtime,
          tree,
          listener,
          fixAccounts,
          maxSpoolBytes);
    }

    /** Copy writing to another directory. */
    public Options withTempDir(Path v) {
      return new Options(
          keep,
          includeExe,
          extraPaths,
          user,
          v,
          format,
          mtime,
          tree,
          listener,
          fixAccounts,
          maxSpoolBytes);
    }

    /** Copy with another layer format. */
    public Options withFormat(LayerFormat v) {
      return new Options(
          keep,
          includeExe,
          extraPaths,
          user,
          tempDir,
          v,
          mtime,
          tree,
          listener,
          fixAccounts,
          maxSpoolBytes);
    }

    /** Copy with another modification time. */
    public Options withMtime(Instant v) {
      return new Options(
          keep,
          includeExe,
          extraPaths,
          user,
          tempDir,
          format,
          v,
          tree,
          listener,
          fixAccounts,
          maxSpoolBytes);
    }

    /**
     * Copy that removes ({@code true}) rather than only reports a second uid-0 account ({@code
     * harden --fix-accounts}).
     */
    public Options withFixAccounts(boolean v) {
      return new Options(
          keep,
          includeExe,
          extraPaths,
          user,
          tempDir,
          format,
          mtime,
          tree,
          listener,
          v,
          maxSpoolBytes);
    }

    /**
     * Copy with a limit on the temporary spool of the image's files, in bytes; 0 means the default
     * rule ({@link #spoolLimit}).
     */
    public Options withMaxSpoolBytes(long v) {
      if (v < 0) throw new IllegalArgumentException("maxSpoolBytes must be >= 0");
      return new Options(
          keep,
          includeExe,
          extraPaths,
          user,
          tempDir,
          format,
          mtime,
          tree,
          listener,
          fixAccounts,
          v);
    }

    /**
     * The most the spool of an image's files may take in {@link #tempDir}: {@code maxSpoolBytes},
     * or by default ten times the image's compressed layers and at least 2 GiB (real layers expand
     * 2 to 5 times; a bomb expands a thousand times).
     */
    public long spoolLimit(long compressedBytes) {
      if (maxSpoolBytes > 0) return maxSpoolBytes;
      long tenfold = compressedBytes > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : compressedBytes * 10;
      return Math.max(DEFAULT_MIN_SPOOL, tenfold);
    }

    /** Copy with a listener. */
    public Options withListener(EventListener v) {
      return new Options(
          keep,
          includeExe,
          extraPaths,
          user,
          tempDir,
          format,
          mtime,
          tree,
          v,
          fixAccounts,
          maxSpoolBytes);
    }
  }

  /**
   * The rewritten image and what was done.
   *
   * @param image one layer; its blob lies in {@link Options#tempDir()} until the caller writes it
   *     somewhere
   * @param summary what was kept, removed and changed
   */
  public record Result(Image image, Summary summary) {}

  /**
   * Hardens an image (see the class comment).
   *
   * @throws EntrypointException when the entrypoint or an {@code includeExe} program is not in the
   *     image
   * @throws SlimException for an unknown {@code user} or a malformed glob
   * @throws IOException when a layer cannot be read (corrupt, hostile, digest mismatch) or written
   */
  public static Result harden(Image image, Options options) throws IOException {
    return Planner.run(image, options, Summary.Verb.HARDEN);
  }

  /**
   * Slims an image (see the class comment).
   *
   * @throws EntrypointException when the entrypoint or an {@code includeExe} program is not in the
   *     image
   * @throws SlimException for a malformed glob
   * @throws IOException when a layer cannot be read (corrupt, hostile, digest mismatch) or written
   */
  public static Result slim(Image image, Options options) throws IOException {
    return Planner.run(image, options, Summary.Verb.SLIM);
  }
}
