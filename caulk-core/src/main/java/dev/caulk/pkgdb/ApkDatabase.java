package dev.caulk.pkgdb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The apk installed database ({@code /lib/apk/db/installed}, or {@code /usr/lib/apk/db/installed}
 * in apk v3 layouts), read once for every user: blank-line-separated records of {@code X:value}
 * lines (apk-tools {@code package.c} and {@code database.c}). Read here: {@code P} name, {@code V}
 * version, {@code A} arch, {@code L} license, {@code o} origin, {@code m} maintainer, {@code F}
 * folder and {@code R} file. Linear in the input.
 */
public final class ApkDatabase {
  /** Where images keep the database, in the order apk looks. */
  public static final List<String> PATHS =
      List.of("/lib/apk/db/installed", "/usr/lib/apk/db/installed");

  private ApkDatabase() {}

  /** Bounds on the file paths kept while reading (the database is untrusted). */
  public interface FileBudget {
    /** Whether one more file of this record (which has {@code kept} already) may be kept. */
    boolean take(int kept);
  }

  /**
   * Reads every record that has a name, in file order.
   *
   * @param files decides, file by file, whether a path is kept (a record over it is marked
   *     truncated)
   * @param keepText whether each record keeps its text (to write it again)
   */
  public static void read(
      LineReader lines, FileBudget files, boolean keepText, DpkgDatabase.Sink<ApkRecord> sink)
      throws IOException {
    Builder r = null;
    for (String line; (line = lines.next()) != null; ) {
      if (line.isEmpty()) {
        emit(r, sink);
        r = null;
        continue;
      }
      if (r == null) {
        r = new Builder(keepText);
      }
      if (r.text != null) {
        r.text.append(line).append('\n');
      }
      if (line.length() < 2 || line.charAt(1) != ':') {
        continue;
      }
      String v = line.substring(2).strip();
      switch (line.charAt(0)) {
        case 'P' -> r.name = v;
        case 'V' -> r.version = v;
        case 'A' -> r.arch = v;
        case 'L' -> r.license = v;
        case 'o' -> r.origin = v;
        case 'm' -> r.maintainer = v;
        case 'F' -> {
          r.dir = v;
          if (!v.isEmpty()) {
            r.dirs.add("/" + v);
          }
        }
        case 'R' -> {
          if (v.isEmpty() || v.contains("/")) {
            break;
          }
          if (!files.take(r.files.size())) {
            r.truncated = true;
          } else {
            r.files.add(r.dir.isEmpty() ? "/" + v : "/" + r.dir + "/" + v);
          }
        }
        default -> {}
      }
    }
    emit(r, sink);
  }

  /** Every record of a database already in memory, no file bound. */
  public static List<ApkRecord> read(byte[] content, boolean keepText) throws IOException {
    List<ApkRecord> out = new ArrayList<>();
    read(LineReader.of(content), kept -> true, keepText, out::add);
    return out;
  }

  private static void emit(Builder r, DpkgDatabase.Sink<ApkRecord> sink) throws IOException {
    if (r == null || r.name == null || r.name.isEmpty()) {
      return;
    }
    sink.accept(
        new ApkRecord(
            r.name,
            r.version,
            r.arch,
            r.license,
            r.origin,
            r.maintainer,
            r.dirs,
            r.files,
            r.truncated,
            r.text == null ? null : r.text.toString()));
  }

  private static final class Builder {
    final StringBuilder text;
    String name;
    String version;
    String arch;
    String license;
    String origin;
    String maintainer;
    String dir = "";
    final List<String> dirs = new ArrayList<>();
    final List<String> files = new ArrayList<>();
    boolean truncated;

    Builder(boolean keepText) {
      text = keepText ? new StringBuilder() : null;
    }
  }
}
