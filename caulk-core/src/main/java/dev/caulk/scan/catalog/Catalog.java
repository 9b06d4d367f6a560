package dev.caulk.scan.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cataloging pass over an image: the single object the file-tree pass talks to. It detects the
 * operating system, routes each wanted file to exactly one {@link Cataloger} (the first in order
 * that wants it, so every stream is read once), and assembles an {@link Inventory}.
 *
 * <p>Usage, with the same per-file contract as {@link Cataloger}:
 *
 * <pre>{@code
 * Catalog catalog = Ecosystems.catalog(); // scan.ecosystem: every registered cataloguer
 * for (each final regular file f of the merged tree) {
 *   if (catalog.wants(f.path(), f.size(), f.executable())) catalog.accept(f.path(), f.content(), f.size());
 * }
 * Inventory inventory = catalog.finish();
 * }</pre>
 *
 * {@link #wants} must be called for <em>every</em> final regular file, wanted or not: the
 * distroless marker ({@code status.d/} entries and no {@code status}) is read from paths alone. Not
 * thread-safe; one instance per pass.
 */
public final class Catalog {
  static final String ETC_OS_RELEASE = "/etc/os-release";
  static final String USR_OS_RELEASE = "/usr/lib/os-release";
  static final String ALPINE_RELEASE = "/etc/alpine-release";
  static final String DEBIAN_VERSION = "/etc/debian_version";
  private static final List<String> OS_FILES =
      List.of(ETC_OS_RELEASE, USR_OS_RELEASE, ALPINE_RELEASE, DEBIAN_VERSION);
  private static final int MAX_OS_FILE = 64 * 1024;

  private final List<Cataloger> catalogers;
  private final Map<String, Cataloger> routes = new HashMap<>();
  private final Map<String, byte[]> osFiles = new HashMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private boolean sawStatus;
  private boolean sawStatusD;
  private boolean finished;

  private Catalog(List<Cataloger> catalogers) {
    this.catalogers = List.copyOf(catalogers);
  }

  /**
   * A pass with the given catalogers, offered files in list order ({@code
   * scan.ecosystem.Ecosystems.catalog()} gives one with every registered cataloguer).
   */
  public static Catalog of(List<Cataloger> catalogers) {
    return new Catalog(catalogers);
  }

  /** Whether any part of the pass wants this file; call it for every final regular file. */
  public boolean wants(String absolutePath, long size, boolean executable) {
    checkOpen();
    if (absolutePath.equals(DpkgCataloger.STATUS)) sawStatus = true;
    if (absolutePath.startsWith(DpkgCataloger.STATUS_D)) sawStatusD = true;
    if (OS_FILES.contains(absolutePath)) return true;
    for (Cataloger c : catalogers) {
      if (c.wants(absolutePath, size, executable)) {
        routes.put(absolutePath, c);
        return true;
      }
    }
    return false;
  }

  /**
   * Reads a file this pass wanted.
   *
   * @throws IOException only when reading {@code content} fails
   * @throws IllegalStateException when {@link #wants} did not accept the path first
   */
  public void accept(String absolutePath, InputStream content, long size) throws IOException {
    checkOpen();
    if (OS_FILES.contains(absolutePath)) {
      if (size > MAX_OS_FILE) {
        problems.add(
            new Problem(
                absolutePath, "os-release", "skipped: larger than " + MAX_OS_FILE + " bytes"));
        return;
      }
      osFiles.put(absolutePath, content.readNBytes(MAX_OS_FILE));
      return;
    }
    Cataloger c = routes.remove(absolutePath);
    if (c == null) throw new IllegalStateException("accept without wants: " + absolutePath);
    c.accept(absolutePath, content, size);
  }

  /** Ends the pass: detects the OS and collects every cataloger's packages and problems. */
  public Inventory finish() {
    checkOpen();
    finished = true;
    OsRelease os = detectOs();
    List<Package> packages = new ArrayList<>();
    List<Problem> all = new ArrayList<>(problems);
    for (Cataloger c : catalogers) {
      packages.addAll(c.packages(os));
      all.addAll(c.problems());
    }
    return new Inventory(os, packages, all);
  }

  private OsRelease detectOs() {
    OsRelease os = OsRelease.UNKNOWN;
    for (String p : List.of(ETC_OS_RELEASE, USR_OS_RELEASE)) {
      byte[] b = osFiles.get(p);
      if (b != null) {
        OsRelease r = OsRelease.parseOsRelease(b, p);
        if (r.isKnown()) {
          os = r;
          break;
        }
      }
    }
    if (!os.isKnown() && osFiles.containsKey(ALPINE_RELEASE))
      os = OsRelease.fromAlpineRelease(osFiles.get(ALPINE_RELEASE), ALPINE_RELEASE);
    if (!os.isKnown() && osFiles.containsKey(DEBIAN_VERSION))
      os = OsRelease.fromDebianVersion(osFiles.get(DEBIAN_VERSION), DEBIAN_VERSION);
    return os.withDistroless(sawStatusD && !sawStatus);
  }

  private void checkOpen() {
    if (finished) throw new IllegalStateException("catalog pass already finished");
  }
}
