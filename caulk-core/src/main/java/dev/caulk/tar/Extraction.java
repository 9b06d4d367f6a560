package dev.caulk.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The state of one {@link SafeExtractor} run over one or more layers. */
final class Extraction {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path root;
  private final SafeExtractor.Options options;
  private final Set<String> extracted = new HashSet<>();
  private final Map<String, Integer> dirModes = new HashMap<>();
  private Set<String> thisLayer = new HashSet<>();
  private String what = "";
  private long entries;
  private long bytesRead;
  private long files;
  private long fileBytes;
  private long skipped;

  Extraction(Path root, SafeExtractor.Options options) throws IOException {
    if (!Files.isDirectory(root, NOFOLLOW))
      throw new IOException("extraction root " + root + " is not a directory");
    this.root = root.toRealPath();
    this.options = options;
  }

  void layer(InputStream in, String what) throws IOException {
    this.what = what;
    this.thisLayer = new HashSet<>();
    try (TarReader r = TarEntries.reader(in, what, options.maxBytes() - bytesRead)) {
      for (TarEntry e; (e = r.next()) != null; ) {
        if (++entries > options.maxEntries()) {
          throw new InvalidLayerException(
              what + ": more than " + options.maxEntries() + " entries (limit reached)");
        }
        entry(e, r);
      }
      bytesRead += r.bytesRead();
    }
  }

  SafeExtractor.Result finish() throws IOException {
    if (options.applyModes()) {
      List<String> dirs = new ArrayList<>(dirModes.keySet());
      dirs.sort(
          Comparator.comparingInt((String s) -> s.split("/").length)
              .reversed()
              .thenComparing(Comparator.naturalOrder()));
      for (String d : dirs) {
        Path p = existingRealDir(d); // every component re-checked: never chmod through a link
        if (p != null) Files.setAttribute(p, "unix:mode", dirModes.get(d), NOFOLLOW);
      }
    }
    return new SafeExtractor.Result(entries, bytesRead, files, fileBytes, skipped);
  }

  private void entry(TarEntry e, TarReader r) throws IOException {
    String name = e.name();
    if (name.isEmpty()) return;
    switch (Whiteouts.kind(name)) {
      case META -> {
        return;
      }
      case INVALID ->
          throw new InvalidLayerException(what + ": invalid whiteout " + TarEntries.quote(name));
      case OPAQUE -> {
        String dir = Whiteouts.target(name);
        Path d = existingRealDir(dir);
        if (d != null) {
          for (Path child : list(d)) removeLower(join(dir, child.getFileName().toString()), child);
        }
        return;
      }
      case WHITEOUT -> {
        String t = Whiteouts.target(name);
        Path parent = existingRealDir(TarEntries.parent(t));
        if (parent != null) {
          Path p = parent.resolve(TarEntries.basename(t));
          if (lstat(p) != null) removeLower(t, p);
        }
        return;
      }
      case NONE -> {}
    }
    Path parent = ensureParents(name);
    Path target = parent.resolve(path(TarEntries.basename(name), name));
    BasicFileAttributes existing = lstat(target);
    boolean keepDir = existing != null && existing.isDirectory() && e.type() == EntryType.DIR;
    if (existing != null && !keepDir) delete(name, target);
    switch (e.type()) {
      case DIR -> {
        if (!keepDir) Files.createDirectory(target);
        dirModes.put(name, e.mode());
        extracted.remove(name);
      }
      case FILE -> {
        long n = 0;
        try (InputStream in = r.content();
            OutputStream out =
                Files.newOutputStream(
                    target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          n = in.transferTo(out);
        }
        // the tar's time, as runtimes keep it: the JVM's CDS archive checks a jar's mtime
        Files.setLastModifiedTime(target, FileTime.from(e.mtime()));
        files++;
        fileBytes += n;
        extracted.add(name);
      }
      case SYMLINK -> {
        Files.createSymbolicLink(
            target,
            path(
                Objects.requireNonNull(e.linkTarget(), "the tar reader gives a symlink a target"),
                name));
        extracted.remove(name);
      }
      case HARDLINK -> {
        String t =
            Objects.requireNonNull(e.linkTarget(), "the tar reader gives a hard link a target");
        Path tp = extracted.contains(t) ? existingRealDir(TarEntries.parent(t)) : null;
        BasicFileAttributes ta = tp == null ? null : lstat(tp = tp.resolve(TarEntries.basename(t)));
        if (ta == null || !ta.isRegularFile()) {
          throw new InvalidLayerException(
              what
                  + ": hard link "
                  + TarEntries.quote(name)
                  + " points to "
                  + TarEntries.quote(t)
                  + ", which is not a regular file extracted here");
        }
        Files.createLink(target, tp);
        extracted.add(name);
      }
      case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
        skipped++;
        extracted.remove(name);
        thisLayer.add(name);
        return;
      }
    }
    thisLayer.add(name);
    if (options.applyOwnership()) {
      Files.setAttribute(target, "unix:uid", (int) e.uid(), NOFOLLOW);
      Files.setAttribute(target, "unix:gid", (int) e.gid(), NOFOLLOW);
    }
    if (options.applyModes() && (e.type() == EntryType.FILE))
      Files.setAttribute(target, "unix:mode", e.mode(), NOFOLLOW);
  }

  /** Makes every parent of {@code name} a real directory inside the root; never follows a link. */
  private Path ensureParents(String name) throws IOException {
    Path cur = root;
    String parent = TarEntries.parent(name);
    if (parent.isEmpty()) return cur;
    String sofar = "";
    for (String c : parent.split("/")) {
      sofar = join(sofar, c);
      Path next = cur.resolve(path(c, name));
      BasicFileAttributes a = lstat(next);
      if (a == null) {
        Files.createDirectory(next);
        thisLayer.add(sofar);
      } else if (a.isSymbolicLink()) {
        throw new InvalidLayerException(
            what
                + ": entry "
                + TarEntries.quote(name)
                + " would be written through symlink "
                + TarEntries.quote(sofar));
      } else if (!a.isDirectory()) {
        delete(sofar, next);
        Files.createDirectory(next);
        thisLayer.add(sofar);
      }
      cur = next;
    }
    return cur;
  }

  /**
   * The directory for {@code dir} if every component is a real directory, else null (nothing to
   * delete there).
   */
  private @Nullable Path existingRealDir(String dir) throws IOException {
    Path cur = root;
    if (dir.isEmpty()) return cur;
    for (String c : dir.split("/")) {
      cur = cur.resolve(path(c, dir));
      BasicFileAttributes a = lstat(cur);
      if (a == null || !a.isDirectory()) return null;
    }
    return cur;
  }

  /**
   * Deletes what lower layers left at {@code rel}, keeping what this layer wrote; true if all went.
   */
  private boolean removeLower(String rel, Path p) throws IOException {
    BasicFileAttributes a = lstat(p);
    if (a == null) return true;
    if (!a.isDirectory()) {
      if (thisLayer.contains(rel)) return false;
      Files.delete(p);
      extracted.remove(rel);
      return true;
    }
    boolean kept = thisLayer.contains(rel);
    for (Path child : list(p)) {
      if (!removeLower(join(rel, child.getFileName().toString()), child)) kept = true;
    }
    if (kept) return false;
    Files.delete(p);
    dirModes.remove(rel);
    return true;
  }

  /** Deletes whatever is at {@code p}, recursively, without following links. */
  private void delete(String rel, Path p) throws IOException {
    BasicFileAttributes a = lstat(p);
    if (a == null) return;
    if (a.isDirectory()) {
      for (Path child : list(p)) delete(join(rel, child.getFileName().toString()), child);
      dirModes.remove(rel);
    }
    extracted.remove(rel);
    Files.delete(p);
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) out.add(p);
    }
    return out;
  }

  private static @Nullable BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private Path path(String s, String entry) throws InvalidLayerException {
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw new InvalidLayerException(
          what
              + ": entry "
              + TarEntries.quote(entry)
              + " cannot be represented on this host (file name encoding)");
    }
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : a + "/" + b;
  }
}
