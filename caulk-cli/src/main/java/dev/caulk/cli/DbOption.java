package dev.caulk.cli;

import dev.caulk.scan.db.VulnDb;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db DIR}: where the vulnerability database lives. */
final class DbOption {
  @Option(names = "--db", paramLabel = "DIR",
      description = "Vulnerability database directory (default: $CAULK_DB, else $XDG_CACHE_HOME/caulk/db or ~/.cache/caulk/db).")
  Path db;

  /** The flag, else {@code CAULK_DB}, else the library's default. */
  Path directory() {
    if (db != null) return db;
    String env = System.getenv("CAULK_DB");
    if (env != null && !env.isBlank()) return Path.of(env);
    return VulnDb.defaultDirectory();
  }
}
