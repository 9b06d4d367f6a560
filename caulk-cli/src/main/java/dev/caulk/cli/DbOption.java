package dev.caulk.cli;

import dev.caulk.verbs.Db;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db DIR}: where the vulnerability database lives. */
final class DbOption {
  @Option(
      names = "--db",
      paramLabel = "DIR",
      description =
          "Vulnerability database directory (default: $CAULK_DB, else $XDG_CACHE_HOME/caulk/db or ~/.cache/caulk/db).")
  Path db;

  /** The flag, else {@code CAULK_DB}, else the library's default. */
  Path directory() {
    return options().build().directory();
  }

  /** The verb's options for this database. */
  Db.Builder options() {
    return Db.options().directory(db);
  }
}
