package dev.caulk.slim;

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
 * <p>Sources: dpkg's {@code /var/lib/dpkg/status} with {@code info/<pkg>[:arch].list} and
 * {@code .md5sums}; distroless's {@code /var/lib/dpkg/status.d/<pkg>} with its {@code .md5sums}
 * (build.md §4.1); apk's {@code installed} database in {@code /lib/apk/db} or {@code
 * /usr/lib/apk/db} (build.md §3). RPM databases are binary and left untouched.
 */
final class PackageDb {
  static final String DPKG = "/var/lib/dpkg";
  static final String STATUS_D = "/var/lib/dpkg/status.d";
  static final List<String> APK_DBS = List.of("/lib/apk/db/installed", "/usr/lib/apk/db/installed");
  private static final int MAX_DB = 64 << 20;
  private static final int MAX_LIST = 16 << 20;
  /** Files that do not make a package "still there" on their own: documentation and translations. */
  private static final List<String> NOT_PAYLOAD = List.of("/usr/share/doc/", "/usr/share/man/", "/usr/share/info/",
      "/usr/share/lintian/", "/usr/share/locale/", "/usr/share/bug/", "/usr/share/doc-base/", "/usr/share/menu/",
      "/usr/share/bash-completion/", "/usr/share/zsh/");

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
  record Pkg(String kind, String name, String arch, String stanza, List<String> files, Map<String, String> md5sums) {
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
    Optional<byte[]> read(String path, int max) throws java.io.IOException;

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

  static PackageDb read(Reader r) throws java.io.IOException {
    List<Pkg> out = new ArrayList<>();
    Optional<byte[]> status = r.read(DPKG + "/status", MAX_DB);
    if (status.isPresent()) {
      for (String stanza : stanzas(text(status.get()))) {
        String name = field(stanza, "Package");
        String st = field(stanza, "Status");
        if (name == null || st == null || !st.endsWith(" installed")) continue;
        String arch = field(stanza, "Architecture");
        String base = DPKG + "/info/" + name;
        Optional<byte[]> list = r.read(base + ":" + arch + ".list", MAX_LIST);
        if (list.isEmpty()) list = r.read(base + ".list", MAX_LIST);
        Optional<byte[]> md5 = r.read(base + ":" + arch + ".md5sums", MAX_LIST);
        if (md5.isEmpty()) md5 = r.read(base + ".md5sums", MAX_LIST);
        Map<String, String> sums = md5sums(md5.orElse(null));
        List<String> files = new ArrayList<>();
        for (String l : text(list.orElse(new byte[0])).split("\n")) {
          if (l.startsWith("/") && !l.equals("/.")) files.add(l);
        }
        if (list.isEmpty()) files.addAll(sums.keySet());
        out.add(new Pkg("dpkg", name, arch == null ? "" : arch, stanza.strip() + "\n", leaves(files), sums));
      }
    }
    for (String n : r.list(STATUS_D)) {
      if (n.endsWith(".md5sums") || n.startsWith(".")) continue;
      Optional<byte[]> b = r.read(STATUS_D + "/" + n, MAX_LIST);
      if (b.isEmpty()) continue;
      String stanza = text(b.get());
      String name = field(stanza, "Package");
      if (name == null) continue;
      Map<String, String> sums = md5sums(r.read(STATUS_D + "/" + n + ".md5sums", MAX_LIST).orElse(null));
      String arch = field(stanza, "Architecture");
      out.add(new Pkg("dpkg", name, arch == null ? "" : arch, stanza.strip() + "\n", new ArrayList<>(sums.keySet()), sums));
    }
    String apk = null;
    for (String db : APK_DBS) {
      Optional<byte[]> b = r.read(db, MAX_DB);
      if (b.isEmpty()) continue;
      apk = db;
      for (String block : stanzas(text(b.get()))) {
        String name = apkField(block, "P");
        if (name == null) continue;
        String arch = apkField(block, "A");
        out.add(new Pkg("apk", name, arch == null ? "" : arch, block.strip() + "\n", leaves(apkFiles(block)), Map.of()));
      }
      break;
    }
    return new PackageDb(out, apk);
  }

  /** The packages for which {@code remains} holds for a payload file (or any file, when it has no payload). */
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
   * the status paragraph, {@code <name>.md5sums} the sums of the files that remain. A name used
   * by two architectures gets {@code <name>:<arch>} for the second.
   */
  static Map<String, byte[]> statusD(List<Pkg> kept, Predicate<String> remains) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Pkg p : kept) {
      if (!p.kind().equals("dpkg")) continue;
      String file = STATUS_D + "/" + p.name();
      if (out.containsKey(file)) file = file + ":" + p.arch();
      out.put(file, p.stanza().getBytes(StandardCharsets.UTF_8));
      StringBuilder sums = new StringBuilder();
      p.md5sums().forEach((path, line) -> {
        if (remains.test(path)) sums.append(line).append('\n');
      });
      if (sums.length() > 0) out.put(file + ".md5sums", sums.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * The apk {@code installed} database with only the kept packages, and in each only the files
   * ({@code R:} with their {@code a:}/{@code Z:} lines) and folders ({@code F:} with {@code M:})
   * that remain.
   */
  static byte[] apkInstalled(List<Pkg> kept, Predicate<String> remains, Predicate<String> dirRemains) {
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

  /**
   * The listed paths that are not folders of other listed paths. A database lists {@code /lib}
   * as a folder even where it is a symlink ({@code /lib -> usr/lib} on merged-/usr systems): such
   * entries must not count as files the package still has.
   */
  static List<String> leaves(List<String> paths) {
    java.util.TreeSet<String> sorted = new java.util.TreeSet<>(paths);
    List<String> out = new ArrayList<>();
    for (String p : sorted) {
      String next = sorted.higher(p + "/");
      if (next == null || !next.startsWith(p + "/")) out.add(p);
    }
    return out;
  }

  private static List<String> apkFiles(String block) {
    List<String> files = new ArrayList<>();
    String dir = null;
    for (String l : block.split("\n")) {
      if (l.startsWith("F:")) {
        dir = "/" + l.substring(2);
        files.add(dir);
      } else if (l.startsWith("R:") && dir != null) {
        files.add(ImagePaths.join(dir, l.substring(2)));
      }
    }
    return files;
  }

  private static Map<String, String> md5sums(byte[] b) {
    Map<String, String> m = new LinkedHashMap<>();
    if (b == null) return m;
    for (String l : text(b).split("\n")) {
      int sp = l.indexOf("  ");
      if (sp <= 0) continue;
      m.put("/" + l.substring(sp + 2), l);
    }
    return m;
  }

  static List<String> stanzas(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.replace("\r\n", "\n").split("\n\\s*\n")) {
      if (!s.isBlank()) out.add(s);
    }
    return out;
  }

  /** A dpkg field's value (first line), or null. */
  static String field(String stanza, String name) {
    for (String l : stanza.split("\n")) {
      if (l.startsWith(name + ":")) return l.substring(name.length() + 1).trim();
    }
    return null;
  }

  private static String apkField(String block, String key) {
    for (String l : block.split("\n")) {
      if (l.startsWith(key + ":")) return l.substring(key.length() + 1).trim();
    }
    return null;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
