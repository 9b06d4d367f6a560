package dev.caulk.scan.db;

import dev.caulk.event.EventListener;
import dev.caulk.scan.ecosystem.Ecosystems;
import dev.caulk.scan.osv.Ecosystem;
import dev.caulk.scan.osv.OsvEntry;
import dev.caulk.scan.osv.OsvFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The local, file-based OSV store: embedded, no server, no network. Open it, {@link #lookup} the
 * advisories of a package, and refresh it with {@link #importFrom} from an OSV bulk export.
 *
 * <p>On disk ({@link Generations}): {@code current} names the live generation directory, which
 * holds {@code manifest.json} and one {@code .dat}/{@code .idx} pair per ecosystem ({@link
 * EcosystemIndex}). Opening reads {@code current} and the manifest only; an ecosystem's index is
 * memory-mapped on its first lookup.
 *
 * <p>Imports write a complete new generation next to the live one and then replace {@code current}
 * with an atomic rename, so readers see either the old or the new store, never a mix, and a failed
 * import leaves the old store as it was. Ecosystems present in the input replace their previous
 * contents; other ecosystems carry over. Only one import runs at a time per directory (a file
 * lock); other processes that have the store open keep their generation until they open it again.
 *
 * <p>Thread-safe. Closing releases open files; a closed store must not be used again.
 */
public final class VulnDb implements Closeable {
  private final Path dir;
  private final Clock clock;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private Generations.Snapshot snapshot;
  private final Map<String, EcosystemIndex> open = new ConcurrentHashMap<>();

  private VulnDb(Path dir, Clock clock, Generations.Snapshot snapshot) {
    this.dir = dir;
    this.clock = clock;
    this.snapshot = snapshot;
  }

  /**
   * Opens the store in {@code directory}. A directory that does not exist yet is an empty store;
   * nothing is created until the first import.
   *
   * @throws VulnDbException if the directory holds a damaged store
   */
  public static VulnDb open(Path directory) throws IOException {
    return open(directory, Clock.systemUTC());
  }

  /** As {@link #open(Path)}, with the clock used to stamp imports (for tests). */
  static VulnDb open(Path directory, Clock clock) throws IOException {
    Path dir = directory.toAbsolutePath().normalize();
    return new VulnDb(dir, clock, Generations.load(dir));
  }

  /**
   * The default store location: {@code $XDG_CACHE_HOME/caulk/db} when that variable holds an
   * absolute path, otherwise {@code ~/.cache/caulk/db}.
   */
  public static Path defaultDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "caulk", "db");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "caulk", "db");
  }

  /** The public OSV bucket over HTTPS: {@code BASE/<Ecosystem>/all.zip} (osv.dev "Data dumps"). */
  public static final URI OSV_EXPORTS =
      URI.create("https://osv-vulnerabilities.storage.googleapis.com");

  /** What {@link #update} fetches into an empty store: the ecosystems caulk catalogs. */
  public static final List<String> DEFAULT_ECOSYSTEMS = Ecosystems.defaultDownloads();

  /** The store directory. */
  public Path directory() {
    return dir;
  }

  /**
   * The OSV records filed under exactly this package name in this ecosystem. The ecosystem may
   * carry a release ({@code "Debian:12"}); records are filed by base name and returned for every
   * release — they keep their own {@code affected[].package.ecosystem}, which {@code OsvMatcher}
   * compares. No name normalisation happens: Debian, Ubuntu and Alpine advisories use source
   * package names, and mapping binary packages to them is the caller's job.
   *
   * @return the records, ordered by id; empty when the ecosystem or package is unknown
   * @throws VulnDbException if the store files are damaged
   */
  public List<OsvEntry> lookup(String ecosystem, String packageName) throws IOException {
    Objects.requireNonNull(packageName, "packageName");
    String base = Ecosystem.parse(ecosystem).name().toLowerCase(Locale.ROOT);
    try {
      return lookupOnce(base, packageName);
    } catch (NoSuchFileException e) {
      // Another process imported and removed the generation this instance was reading: follow it
      // once.
      refresh();
      try {
        return lookupOnce(base, packageName);
      } catch (NoSuchFileException again) {
        throw EcosystemIndex.corrupt(
            Sources.label(Path.of(String.valueOf(again.getFile()))), "missing");
      }
    }
  }

  private List<OsvEntry> lookupOnce(String base, String packageName) throws IOException {
    lock.readLock().lock();
    try {
      Optional<Manifest.Eco> eco =
          snapshot.manifest().ecosystems().values().stream()
              .filter(e -> e.name().toLowerCase(Locale.ROOT).equals(base))
              .findFirst();
      if (eco.isEmpty()) {
        return List.of();
      }
      List<OsvEntry> out = new ArrayList<>();
      for (byte[] json : index(eco.get()).records(packageName)) {
        try {
          out.add(OsvEntry.parse(json));
        } catch (OsvFormatException e) {
          throw EcosystemIndex.corrupt(eco.get().stem() + ".dat", "bad record");
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private EcosystemIndex index(Manifest.Eco eco) throws IOException {
    String key = snapshot.generation() + "/" + eco.stem();
    EcosystemIndex idx = open.get(key);
    if (idx == null) {
      synchronized (open) {
        idx = open.get(key);
        if (idx == null) {
          Path gen = snapshot.directory();
          idx =
              EcosystemIndex.open(
                  gen.resolve(eco.stem() + ".idx"), gen.resolve(eco.stem() + ".dat"));
          open.put(key, idx);
        }
      }
    }
    return idx;
  }

  /**
   * Re-reads which generation is live, to see imports made through another {@code VulnDb} instance
   * or process. Lookups do this by themselves when the generation they were reading has been
   * removed.
   */
  public void refresh() throws IOException {
    Generations.Snapshot next = Generations.load(dir);
    lock.writeLock().lock();
    try {
      if (!next.generation().equals(snapshot.generation())) {
        closeIndexes();
        snapshot = next;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Per-ecosystem record counts and import times of the live generation. */
  public DbStatus status() {
    lock.readLock().lock();
    try {
      return new DbStatus(dir, snapshot.manifest().statuses());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Imports OSV records from an {@code all.zip} (or any zip of OSV JSON files), a directory tree of
   * {@code .json} files, or a single {@code .json} file, and switches this store to the result.
   *
   * <p>Streaming and bounded: one JSON document (at most 16 MiB; larger ones fail the import) is in
   * memory at a time. Zip entries with unsafe names ({@code ..}, absolute) fail the import; records
   * that are not valid OSV are skipped and counted; withdrawn records are skipped.
   *
   * @throws VulnDbException for unsafe or oversized input, an unreadable zip, or a concurrent
   *     import; the store is unchanged then
   */
  public ImportResult importFrom(Path source) throws IOException {
    Objects.requireNonNull(source, "source");
    Files.createDirectories(dir);
    try (Generations.WriteLock held = Generations.lockForWrite(dir)) {
      held.check();
      Generations.Snapshot base = Generations.load(dir);
      Generations.Built built = Generations.build(dir, base, source, clock.instant());
      lock.writeLock().lock();
      try {
        Generations.Snapshot next = Generations.publish(dir, built);
        closeIndexes();
        snapshot = next;
      } finally {
        lock.writeLock().unlock();
      }
      Generations.removeStale(dir, snapshot.generation());
      return built.result();
    }
  }

  /**
   * Downloads each ecosystem's bulk export ({@code BASE/<Ecosystem>/all.zip}) and imports it, one
   * ecosystem at a time: each import is atomic, so a failure part way leaves the ecosystems already
   * done updated and the rest as they were. This is the only method of caulk's scanner that uses
   * the network; scanning never does.
   *
   * @param base the export root ({@link #OSV_EXPORTS}, a mirror, or a {@code file:} folder laid out
   *     the same way)
   * @param ecosystems OSV ecosystem base names; empty means those already in the store, or {@link
   *     Ecosystems#defaultDownloads} (registered ecosystems included) when it is empty
   * @param listener receives download progress
   * @throws VulnDbException for an unreachable host (offline), an HTTP error, or a bad export
   */
  public List<EcosystemUpdate> update(
      URI base, Collection<String> ecosystems, EventListener listener) throws IOException {
    Objects.requireNonNull(base, "base");
    List<String> wanted = new ArrayList<>(new java.util.LinkedHashSet<>(ecosystems));
    if (wanted.isEmpty()) {
      for (EcosystemStatus e : status().ecosystems()) wanted.add(e.ecosystem());
      if (wanted.isEmpty()) wanted.addAll(Ecosystems.defaultDownloads());
    }
    Files.createDirectories(dir);
    OsvDownloader downloader = new OsvDownloader(listener == null ? EventListener.NONE : listener);
    List<EcosystemUpdate> out = new ArrayList<>();
    for (String eco : wanted) {
      if (eco.isBlank() || eco.contains("/") || eco.contains("\\") || eco.contains("..")) {
        throw new VulnDbException("bad ecosystem name '" + eco.replaceAll("\\p{Cntrl}", "?") + "'");
      }
      URI uri = OsvDownloader.exportUri(base, eco);
      Path tmp = Files.createTempDirectory(dir, "download-");
      try {
        Path zip = tmp.resolve(Manifest.stem(eco) + "-all.zip");
        long bytes = downloader.fetch(uri, zip);
        out.add(new EcosystemUpdate(eco, OsvDownloader.shown(uri), bytes, importFrom(zip)));
      } finally {
        try (var files = Files.list(tmp)) {
          for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(tmp);
      }
    }
    return out;
  }

  private void closeIndexes() throws IOException {
    synchronized (open) {
      for (EcosystemIndex idx : open.values()) {
        idx.close();
      }
      open.clear();
    }
  }

  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      closeIndexes();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
