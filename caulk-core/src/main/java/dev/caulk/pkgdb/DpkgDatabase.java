package dev.caulk.pkgdb;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dpkg database, read once for every user ({@code scan.catalog}'s cataloguer, {@code slim}'s
 * rewrite): {@code /var/lib/dpkg/status} or the distroless {@code status.d/<pkg>} stanzas (deb822),
 * the owned files in {@code info/<pkg>[:<arch>].list}, and the checksums in {@code .md5sums}
 * (deb-md5sums(5)). Pure parsers over lines: where the files come from, and how many records are
 * too many, is the caller's (its sink may throw).
 */
public final class DpkgDatabase {
  /** The database directory. */
  public static final String DIR = "/var/lib/dpkg";

  /** The status file. */
  public static final String STATUS = DIR + "/status";

  /** distroless's folder of one stanza file per package. */
  public static final String STATUS_D = DIR + "/status.d";

  /** The folder of {@code .list} and {@code .md5sums} files. */
  public static final String INFO = DIR + "/info";

  private static final Set<String> FIELDS =
      Set.of("package", "status", "version", "architecture", "source", "maintainer");

  /** RE2/J (linear time): {@code name} or {@code name (version)}. */
  private static final Pattern SOURCE = Pattern.compile("^(\\S+)\\s*(?:\\((.*)\\))?$");

  /** Receives records as they are read; throwing stops the reading. */
  public interface Sink<T> {
    /** Takes one record. */
    void accept(T record) throws IOException;
  }

  /** One md5sums line: the absolute path it names and the line as written. */
  public record Md5sum(String path, String line) {}

  /** A {@code Source} field read: name and, when given, version. */
  record Source(String name, String version) {}

  private DpkgDatabase() {}

  /**
   * Reads the stanzas of a status (or status.d) file.
   *
   * @param keepText whether each record keeps its stanza's text (to write it again)
   */
  public static void status(LineReader lines, boolean keepText, Sink<DpkgRecord> sink)
      throws IOException {
    Deb822.read(
        lines,
        FIELDS,
        keepText,
        s ->
            sink.accept(
                new DpkgRecord(
                    value(s, "package"),
                    value(s, "version"),
                    value(s, "architecture"),
                    value(s, "status"),
                    value(s, "source"),
                    value(s, "maintainer"),
                    s.line(),
                    s.text())));
  }

  /** All stanzas of a status file, in file order (no budget: for bytes already bounded). */
  public static List<DpkgRecord> status(byte[] content, boolean keepText) throws IOException {
    List<DpkgRecord> out = new ArrayList<>();
    status(LineReader.of(content), keepText, out::add);
    return out;
  }

  private static String value(Deb822.Stanza s, String field) {
    String v = s.get(field);
    return v == null ? null : v.strip();
  }

  /** See {@link DpkgRecord#installed}. */
  public static boolean installed(String status, boolean statusD) {
    if (status == null) {
      return statusD;
    }
    String[] w = status.strip().split("\\s+");
    return w.length == 3 && w[1].equals("ok") && w[2].equals("installed");
  }

  static Source source(String source) {
    if (source == null || source.isBlank()) {
      return null;
    }
    Matcher m = SOURCE.matcher(source.strip());
    if (!m.matches()) {
      return null;
    }
    String v = m.group(2);
    return new Source(m.group(1), v == null || v.isBlank() ? null : v.strip());
  }

  /**
   * The keys under which {@code info/} holds a package's files, most specific first: {@code
   * name:arch} (multi-arch systems), then {@code name}.
   */
  public static List<String> infoKeys(String name, String architecture) {
    return architecture == null || architecture.isEmpty()
        ? List.of(name)
        : List.of(name + ":" + architecture, name);
  }

  /** The absolute paths of a {@code .list} file, stripped, without the root {@code /.}. */
  public static void list(LineReader lines, Sink<String> sink) throws IOException {
    for (String line; (line = lines.next()) != null; ) {
      String p = line.strip();
      if (p.startsWith("/") && !p.equals("/.")) {
        sink.accept(p);
      }
    }
  }

  /**
   * The lines of a {@code .md5sums} file: {@code <hash><space><space or *><path relative to />}; a
   * line without a hash or a path is skipped.
   */
  public static void md5sums(LineReader lines, Sink<Md5sum> sink) throws IOException {
    for (String line; (line = lines.next()) != null; ) {
      int sp = line.indexOf(' ');
      if (sp <= 0) {
        continue;
      }
      String p = line.substring(sp + 1).strip();
      if (p.startsWith("*")) {
        p = p.substring(1);
      }
      if (p.isEmpty()) {
        continue;
      }
      sink.accept(new Md5sum(p.startsWith("/") ? p : "/" + p, line));
    }
  }

  /**
   * The listed paths that are not folders of other listed paths, sorted. A database lists {@code
   * /lib} as a folder even where it is a symlink ({@code /lib -> usr/lib} on merged-/usr systems):
   * such entries are not files the package has.
   */
  public static List<String> leaves(Collection<String> paths) {
    TreeSet<String> sorted = new TreeSet<>(paths);
    List<String> out = new ArrayList<>();
    for (String p : sorted) {
      String next = sorted.higher(p + "/");
      if (next == null || !next.startsWith(p + "/")) {
        out.add(p);
      }
    }
    return out;
  }
}
