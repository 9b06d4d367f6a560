package dev.caulk.scan.vuln;

import dev.caulk.fs.ContentVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.scan.catalog.Catalog;
import dev.caulk.scan.catalog.CatalogLimits;
import dev.caulk.scan.catalog.Cataloger;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.ecosystem.EcosystemSpec;
import dev.caulk.scan.ecosystem.Ecosystems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the {@link Catalog} contract ("final files only, each once, with final content") from the
 * single streaming pass of {@link FileTree#build}, which offers every file of every layer
 * <em>before</em> anyone knows whether a later layer deletes or replaces it.
 *
 * <p>Every cataloguer of the ecosystem registry ({@link Ecosystems#ALL}) runs; its registration's
 * {@link EcosystemSpec.Feed} says which of two strategies feeds it, both bounded:
 *
 * <ul>
 *   <li><b>Database files</b> (os-release, and for {@code DATABASE} cataloguers such as dpkg's
 *       {@code status}, {@code status.d/*}, {@code info/*.list} or apk's {@code installed}): they
 *       relate to each other, so their bytes are kept, the latest version of each path replacing
 *       earlier ones, within {@link #MAX_CAPTURED_BYTES} in all. After the pass the final tree is
 *       walked and a fresh {@link Catalog} is fed exactly the files that survived.
 *   <li><b>Standalone files</b> ({@code STANDALONE} cataloguers: Java archives, executables for Go
 *       build info): each is self-contained, so it is parsed while it streams by a fresh cataloger
 *       of its own, and only the parse result is kept. After the pass a result counts only if the
 *       tree's node at its path is still the one that layer wrote.
 * </ul>
 *
 * A hard link takes the state its target had when the link was made, as the tree itself does.
 */
final class ImagePass implements ContentVisitor {
  /** Bytes of database files kept during the pass; a real Debian image needs a few MiB. */
  static final long MAX_CAPTURED_BYTES = 128L << 20;

  private final CatalogLimits limits;
  private final List<EcosystemSpec> registry;
  private final Catalog routing;

  /** One cataloguer per STANDALONE registration, asked only whether it wants a file. */
  private final List<Probe> probes = new ArrayList<>();

  private final long captureBudget;
  private final Map<String, Captured> captured = new HashMap<>();
  private final Map<String, Parsed> parsed = new HashMap<>();
  private long capturedBytes;

  /** One version of a database file: its layer, and its bytes (null when over budget). */
  private record Captured(int layer, byte[] bytes, String problem) {}

  /**
   * One standalone file's parse result: its layer, the cataloger that read it, and the path it was
   * read under.
   */
  private record Parsed(int layer, Cataloger cataloger, String readAs) {}

  /**
   * A STANDALONE registration and an instance of its cataloguer that only answers {@code wants}.
   */
  private record Probe(EcosystemSpec spec, Cataloger wants) {}

  ImagePass(CatalogLimits limits) {
    this(limits, MAX_CAPTURED_BYTES);
  }

  ImagePass(CatalogLimits limits, long captureBudget) {
    this(limits, captureBudget, Ecosystems.all());
  }

  /** A pass running the cataloguers of these registrations (the registry, or a test's). */
  ImagePass(CatalogLimits limits, long captureBudget, List<EcosystemSpec> registry) {
    this.limits = limits;
    this.captureBudget = captureBudget;
    this.registry = List.copyOf(registry);
    this.routing = databases();
    for (EcosystemSpec e : this.registry) {
      if (e.feed() == EcosystemSpec.Feed.STANDALONE)
        probes.add(new Probe(e, e.cataloger().apply(limits)));
    }
  }

  private Catalog databases() {
    return Catalog.of(Ecosystems.catalogers(registry, EcosystemSpec.Feed.DATABASE, limits));
  }

  /** The first STANDALONE registration whose cataloguer wants the file, or null. */
  private EcosystemSpec standalone(String path, long size, boolean exec) {
    for (Probe p : probes) {
      if (p.wants().wants(path, size, exec)) return p.spec();
    }
    return null;
  }

  private static boolean executable(Node n) {
    return (n.mode() & 0111) != 0;
  }

  @Override
  public boolean wants(Node file) {
    long size = file.size();
    boolean exec = executable(file);
    return routing.wants(file.path(), size, exec) || standalone(file.path(), size, exec) != null;
  }

  @Override
  public void accept(Node file, InputStream content) throws IOException {
    String path = file.path();
    long size = file.size();
    boolean exec = executable(file);
    if (routing.wants(path, size, exec)) {
      Captured old = captured.remove(path);
      if (old != null && old.bytes() != null) capturedBytes -= old.bytes().length;
      if (size > limits.maxDatabaseBytes()) {
        // The cataloger reports the file as over its bound from the size alone.
        captured.put(path, new Captured(file.layerIndex(), new byte[0], null));
      } else if (capturedBytes + size > captureBudget) {
        captured.put(
            path,
            new Captured(
                file.layerIndex(),
                null,
                "not read: database files of this image exceed " + (captureBudget >> 20) + " MiB"));
      } else {
        byte[] b = content.readNBytes((int) size);
        capturedBytes += b.length;
        captured.put(
            path,
            new Captured(file.layerIndex(), b, b.length < size ? "truncated in the layer" : null));
      }
      return;
    }
    EcosystemSpec spec = standalone(path, size, exec);
    if (spec == null) return;
    Cataloger c = spec.cataloger().apply(limits);
    if (!c.wants(path, size, exec)) return;
    c.accept(path, content, size);
    if (c.packages(OsRelease.UNKNOWN).isEmpty() && c.problems().isEmpty()) {
      // Most executables are not Go binaries: keep nothing for them (an older version at this path
      // is no longer final either).
      parsed.remove(path);
    } else {
      parsed.put(path, new Parsed(file.layerIndex(), c, path));
    }
  }

  @Override
  public void linked(Node link) {
    String target = link.linkTarget();
    Captured c = captured.get(target);
    if (c != null) {
      Captured old =
          captured.put(link.path(), new Captured(link.layerIndex(), c.bytes(), c.problem()));
      if (old != null && old.bytes() != null) capturedBytes -= old.bytes().length;
      if (c.bytes() != null) capturedBytes += c.bytes().length;
      return;
    }
    captured.remove(link.path());
    Parsed p = parsed.get(target);
    if (p != null)
      parsed.put(link.path(), new Parsed(link.layerIndex(), p.cataloger(), p.readAs()));
    else parsed.remove(link.path());
  }

  /** After the build: the inventory of the final tree. */
  Inventory finish(FileTree tree) throws IOException {
    Catalog catalog = databases();
    List<Problem> problems = new ArrayList<>();
    List<Map.Entry<String, Parsed>> survivors = new ArrayList<>();
    for (Node n : tree.walk()) {
      if (!n.isRegular()) continue;
      String path = n.path();
      if (catalog.wants(path, n.size(), executable(n))) {
        // Removed as it is fed, so the bytes can be collected while the catalogers build their
        // results.
        Captured c = captured.remove(path);
        if (c == null || c.layer() != n.layerIndex()) {
          problems.add(
              new Problem(path, "image-pass", "content was not seen during the layer pass"));
          catalog.accept(path, InputStream.nullInputStream(), 0);
        } else if (c.bytes() == null) {
          problems.add(new Problem(path, "image-pass", c.problem()));
          catalog.accept(path, InputStream.nullInputStream(), 0);
        } else {
          if (c.problem() != null) problems.add(new Problem(path, "image-pass", c.problem()));
          catalog.accept(
              path, new ByteArrayInputStream(c.bytes()), Math.max(n.size(), c.bytes().length));
        }
        continue;
      }
      Parsed p = parsed.get(path);
      if (p != null && p.layer() == n.layerIndex()) survivors.add(Map.entry(path, p));
    }
    Inventory base = catalog.finish();
    List<Package> packages = new ArrayList<>(base.packages());
    problems.addAll(base.problems());
    for (Map.Entry<String, Parsed> e : survivors) {
      Parsed p = e.getValue();
      for (Package pkg : p.cataloger().packages(base.os()))
        packages.add(relocate(pkg, p.readAs(), e.getKey()));
      for (Problem pr : p.cataloger().problems())
        problems.add(relocate(pr, p.readAs(), e.getKey()));
    }
    return new Inventory(base.os(), packages, problems);
  }

  /** A hard link's packages are found at the link's path, not its target's. */
  private static Package relocate(Package p, String from, String to) {
    if (from.equals(to)) return p;
    List<String> locs = new ArrayList<>();
    for (String l : p.locations())
      locs.add(l.equals(from) || l.startsWith(from + ":") ? to + l.substring(from.length()) : l);
    return new Package(
        p.name(),
        p.version(),
        p.type(),
        p.purl(),
        p.sourceName(),
        p.sourceVersion(),
        p.arch(),
        p.licenses(),
        locs,
        p.cataloger(),
        p.mainModule(),
        p.groupId(),
        p.artifactId(),
        p.properties());
  }

  private static Problem relocate(Problem p, String from, String to) {
    String path = p.path();
    if (from.equals(to) || !(path.equals(from) || path.startsWith(from + ":"))) return p;
    return new Problem(to + path.substring(from.length()), p.cataloger(), p.reason());
  }
}
