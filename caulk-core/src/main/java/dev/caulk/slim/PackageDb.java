package dev.caulk.slim;

import dev.caulk.pkgdb.ApkDatabase;
import dev.caulk.pkgdb.ApkRecord;
import dev.caulk.pkgdb.DpkgDatabase;
import dev.caulk.pkgdb.DpkgRecord;
import dev.caulk.pkgdb.LineReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The packages an image's package database declares, with the files each one owns, so that a
 * rewritten image declares exactly the packages whose files it still holds (scanners read these
 * databases, not the files, to know what is installed).
 *
 * <p>Sources: dpkg's {@code /var/lib/dpkg/status} with {@code info/<pkg>[:arch].list} and {@code
 * .md5sums}; distroless's {@code /var/lib/dpkg/status.d/<pkg>} with its {@code .md5sums} (build.md
 * §4.1); apk's {@code installed} database in {@code /lib/apk/db} or {@code /usr/lib/apk/db}
 * (build.md §3). RPM databases are binary and left untouched. The databases are parsed by {@code
 * pkgdb} (the reader {@code scan} uses too); this class decides what remains and writes the reduced
 * databases.
 */
final class PackageDb {
  static final String DPKG = DpkgDatabase.DIR;
  static final String STATUS_D = DpkgDatabase.STATUS_D;
  private static final int MAX_DB = 64 << 20;
  private static final int MAX_LIST = 16 << 20;

  /**
   * Files that do not make a package "still there" on their own: documentation and translations.
   */
  private static final List<String> NOT_PAYLOAD =
      List.of(
          "/usr/share/doc/",
          "/usr/share/man/",
          "/usr/share/info/",
          "/usr/share/lintian/",
          "/usr/share/locale/",
          "/usr/share/bug/",
          "/usr/share/doc-base/",
          "/usr/share/menu/",
          "/usr/share/bash-completion/",
          "/usr/share/zsh/");

  /**
   * One installed package.
   *
   * @param kind {@code dpkg} or {@code apk}
   * @param name package name
   * @param arch architecture, may be empty
   * @param stanza its database entry as stored (dpkg: the status paragraph; apk: the whole block)
   * @param files absolute paths it owns, as the database writes them (directories included)
   * @param md5sums dpkg's md5sums lines by absolute path; empty for apk
   */
  record Pkg(
      String kind,
      String name,
      String arch,
      String stanza,
      List<String> files,
      Map<String, String> md5sums) {
    /** Owned paths that count as the package's payload (see {@link #NOT_PAYLOAD}). */
    boolean isPayload(String path) {
      for (String p : NOT_PAYLOAD) {
        if (path.startsWith(p)) return false;
      }
      return true;
    }
  }

  /** Reads the bytes of an image file (symlinks followed), bounded. */
  interface Reader {
    Optional<byte[]> read(String path, int max) throws IOException;

    List<String> list(String dir);
  }

  private final List<Pkg> packages;
  private final String apkDb;

  private PackageDb(List<Pkg> packages, String apkDb) {
    this.packages = List.copyOf(packages);
    this.apkDb = apkDb;
  }

  List<Pkg> packages() {
    return packages;
  }

  /** The apk database path the image uses, or null. */
  String apkDb() {
    return apkDb;
  }

  static PackageDb read(Reader r) throws IOException {
    List<Pkg> out = new ArrayList<>();
    Optional<byte[]> status = r.read(DpkgDatabase.STATUS, MAX_DB);
    if (status.isPresent()) {
      for (DpkgRecord d : DpkgDatabase.status(status.get(), true)) {
        if (d.name() == null || !d.installed(false)) continue;
        Optional<byte[]> list = info(r, d, ".list");
        Map<String, String> sums = md5sums(info(r, d, ".md5sums").orElse(null));
        List<String> files = new ArrayList<>();
        if (list.isPresent()) DpkgDatabase.list(LineReader.of(list.get()), files::add);
        else files.addAll(sums.keySet());
        out.add(pkg(d, DpkgDatabase.leaves(files), sums));
      }
    }
    for (String n : r.list(STATUS_D)) {
      if (n.endsWith(".md5sums") || n.startsWith(".")) continue;
      Optional<byte[]> b = r.read(STATUS_D + "/" + n, MAX_LIST);
      if (b.isEmpty()) continue;
      Map<String, String> sums =
          md5sums(r.read(STATUS_D + "/" + n + ".md5sums", MAX_LIST).orElse(null));
      for (DpkgRecord d : DpkgDatabase.status(b.get(), true)) {
        if (d.name() != null && d.installed(true))
          out.add(pkg(d, new ArrayList<>(sums.keySet()), sums));
      }
    }
    String apk = null;
    for (String db : ApkDatabase.PATHS) {
      Optional<byte[]> b = r.read(db, MAX_DB);
      if (b.isEmpty()) continue;
      apk = db;
      for (ApkRecord a : ApkDatabase.read(b.get(), true)) {
        List<String> files = new ArrayList<>(a.directories());
        files.addAll(a.files());
        String arch = a.architecture() == null ? "" : a.architecture();
        out.add(new Pkg("apk", a.name(), arch, a.text(), DpkgDatabase.leaves(files), Map.of()));
      }
      break;
    }
    return new PackageDb(out, apk);
  }

  private static Pkg pkg(DpkgRecord d, List<String> files, Map<String, String> sums) {
    String arch = d.architecture() == null ? "" : d.architecture();
    return new Pkg("dpkg", d.name(), arch, d.text(), files, sums);
  }

  /** A package's {@code info/} file with this suffix, under its most specific key. */
  private static Optional<byte[]> info(Reader r, DpkgRecord d, String suffix) throws IOException {
    for (String key : DpkgDatabase.infoKeys(d.name(), d.architecture())) {
      Optional<byte[]> b = r.read(DpkgDatabase.INFO + "/" + key + suffix, MAX_LIST);
      if (b.isPresent()) return b;
    }
    return Optional.empty();
  }

  /** md5sums lines by the absolute path they name, in file order. */
  private static Map<String, String> md5sums(byte[] b) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (b != null) DpkgDatabase.md5sums(LineReader.of(b), s -> m.put(s.path(), s.line()));
    return m;
  }

  /**
   * The packages for which {@code remains} holds for a payload file (or any file, when it has no
   * payload).
   */
  List<Pkg> remaining(Predicate<String> remains) {
    List<Pkg> out = new ArrayList<>();
    for (Pkg p : packages) {
      boolean any = false;
      boolean payload = false;
      boolean hasPayload = false;
      for (String f : p.files()) {
        boolean pl = p.isPayload(f);
        hasPayload |= pl;
        if (remains.test(f)) {
          any = true;
          payload |= pl;
        }
      }
      if (hasPayload ? payload : any) out.add(p);
    }
    return out;
  }

  /**
   * The {@code status.d} files for the kept dpkg packages, distroless style: {@code <name>} holds
   * the status paragraph, {@code <name>.md5sums} the sums of the files that remain. A name used by
   * two architectures gets {@code <name>:<arch>} for the second.
   */
  static Map<String, byte[]> statusD(List<Pkg> kept, Predicate<String> remains) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Pkg p : kept) {
      if (!p.kind().equals("dpkg")) continue;
      String file = STATUS_D + "/" + p.name();
      if (out.containsKey(file)) file = file + ":" + p.arch();
      out.put(file, p.stanza().getBytes(StandardCharsets.UTF_8));
      StringBuilder sums = new StringBuilder();
      p.md5sums()
          .forEach(
              (path, line) -> {
                if (remains.test(path)) sums.append(line).append('\n');
              });
      if (sums.length() > 0)
        out.put(file + ".md5sums", sums.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * The apk {@code installed} database with only the kept packages, and in each only the files
   * ({@code R:} with their {@code a:}/{@code Z:} lines) and folders ({@code F:} with {@code M:})
   * that remain.
   */
  static byte[] apkInstalled(
      List<Pkg> kept, Predicate<String> remains, Predicate<String> dirRemains) {
    StringBuilder b = new StringBuilder();
    for (Pkg p : kept) {
      if (!p.kind().equals("apk")) continue;
      String dir = null;
      boolean keepDir = false;
      boolean keepFile = false;
      for (String l : p.stanza().split("\n")) {
        if (l.startsWith("F:")) {
          dir = "/" + l.substring(2);
          keepDir = dirRemains.test(dir);
          keepFile = false;
          if (keepDir) b.append(l).append('\n');
        } else if (l.startsWith("M:")) {
          if (dir == null || keepDir) b.append(l).append('\n');
        } else if (l.startsWith("R:")) {
          keepFile = dir != null && remains.test(ImagePaths.join(dir, l.substring(2)));
          if (keepFile) b.append(l).append('\n');
        } else if (l.startsWith("a:") || l.startsWith("Z:")) {
          if (dir == null || keepFile) b.append(l).append('\n');
        } else {
          b.append(l).append('\n');
        }
      }
      b.append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
