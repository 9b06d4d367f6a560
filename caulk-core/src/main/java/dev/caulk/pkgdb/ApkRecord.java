package dev.caulk.pkgdb;

import java.util.List;

/**
 * One package of the apk installed database. Values are stripped; a field the record lacks is null.
 *
 * @param name {@code P}
 * @param version {@code V}
 * @param architecture {@code A}
 * @param license {@code L}
 * @param origin {@code o}, the source package that advisories name
 * @param maintainer {@code m}
 * @param directories the {@code F} folders as absolute paths, in order
 * @param files the {@code R} files as absolute paths (each in the {@code F} before it), in order,
 *     at most the reader's per-record bound
 * @param filesTruncated whether more {@code R} files were there than kept
 * @param text the record as written, ending in {@code \n}, or null when the reader was not asked to
 *     keep it
 */
public record ApkRecord(
    String name,
    String version,
    String architecture,
    String license,
    String origin,
    String maintainer,
    List<String> directories,
    List<String> files,
    boolean filesTruncated,
    String text) {
  /** Copies the lists. */
  public ApkRecord {
    directories = List.copyOf(directories);
    files = List.copyOf(files);
  }

  /** The source package: {@code o}, else the package itself. */
  public String sourceName() {
    return origin == null || origin.isEmpty() ? name : origin;
  }
}
