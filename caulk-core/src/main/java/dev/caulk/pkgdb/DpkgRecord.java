package dev.caulk.pkgdb;

/**
 * One stanza of the dpkg database ({@code /var/lib/dpkg/status} or a distroless {@code
 * status.d/<pkg>} file), with the fields caulk reads. Values are stripped; a field the stanza lacks
 * is null.
 *
 * @param name {@code Package}
 * @param version {@code Version}
 * @param architecture {@code Architecture}
 * @param status {@code Status} ({@code want error state}); a status.d stanza has none
 * @param source {@code Source} as written ({@code name} or {@code name (version)})
 * @param maintainer {@code Maintainer}
 * @param line the 1-based line the stanza starts on
 * @param text the stanza as written, ending in {@code \n}, or null when the reader was not asked to
 *     keep it
 */
public record DpkgRecord(
    String name,
    String version,
    String architecture,
    String status,
    String source,
    String maintainer,
    long line,
    String text) {

  /**
   * Whether the package is installed. It is when the third word of {@code Status} is {@code
   * installed} and the second is {@code ok}: {@code install ok installed}, {@code hold ok
   * installed}; also {@code deinstall ok installed}, since its files are still on disk. {@code
   * config-files}, {@code half-installed}, {@code unpacked} and {@code not-installed} are not. A
   * distroless {@code status.d} stanza has no {@code Status}: it is installed.
   *
   * @param statusD whether the stanza comes from {@code status.d}
   */
  public boolean installed(boolean statusD) {
    return DpkgDatabase.installed(status, statusD);
  }

  /** The source package's name: {@code Source}'s first word, else the package's own name. */
  public String sourceName() {
    DpkgDatabase.Source s = DpkgDatabase.source(source);
    return s == null ? name : s.name();
  }

  /**
   * The source package's version: the one in {@code Source}'s parentheses, else the package's own
   * version.
   */
  public String sourceVersion() {
    DpkgDatabase.Source s = DpkgDatabase.source(source);
    return s == null || s.version() == null ? version : s.version();
  }
}
