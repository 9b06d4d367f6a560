package dev.caulk.verbs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.scan.db.DbStatus;
import dev.caulk.scan.db.EcosystemStatus;
import dev.caulk.scan.db.EcosystemUpdate;
import dev.caulk.scan.db.ImportResult;
import dev.caulk.scan.db.VulnDb;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local OSV vulnerability database that {@code scan} reads offline ({@code caulk db}): {@link
 * #update} downloads each ecosystem's export (the only network use of the scanner), {@link
 * #importFrom} indexes records given as files, {@link #status} says what is there.
 */
public final class Db {
  private Db() {}

  /** The public OSV bucket over HTTPS, the default export root of {@link #update}. */
  public static final URI DEFAULT_URL = VulnDb.OSV_EXPORTS;

  /**
   * Which database, and what to fetch or import.
   *
   * @param directory the database folder
   * @param url the export root for {@link #update} ({@code BASE/<Ecosystem>/all.zip})
   * @param ecosystems the ecosystems {@link #update} fetches; empty for those already there, else
   *     the defaults
   * @param source what {@link #importFrom} reads (an all.zip, a folder of .json records, one
   *     record), or null
   */
  public record Options(Path directory, URI url, List<String> ecosystems, Path source) {
    public Options {
      ecosystems = List.copyOf(ecosystems);
    }
  }

  /**
   * One ecosystem downloaded and imported.
   *
   * @param records how many usable records it held (0: the previous data is kept)
   * @param bytes the size of the export downloaded
   * @param source where it came from (scheme, host and path)
   */
  public record Updated(String ecosystem, int records, long bytes, String source) {}

  /**
   * @param ecosystems in the order fetched
   */
  public record UpdateResult(List<Updated> ecosystems) {
    public UpdateResult {
      ecosystems = List.copyOf(ecosystems);
    }
  }

  /**
   * An import.
   *
   * @param directory the database imported into
   * @param result records per ecosystem and what was skipped
   */
  public record Imported(Path directory, ImportResult result) {}

  /**
   * The database's state.
   *
   * @param status its directory and ecosystems
   * @param at when it was read (ages are relative to it)
   */
  public record Status(DbStatus status, Instant at) {
    /** How old an ecosystem's data is, never negative. */
    public Duration age(EcosystemStatus e) {
      Duration d = Duration.between(e.importedAt(), at);
      return d.isNegative() ? Duration.ZERO : d;
    }

    /** The JSON document of {@code caulk db status --format json} (pretty-printed). */
    public String toJson() throws IOException {
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("directory", status.directory().toString());
      ArrayNode ecos = root.putArray("ecosystems");
      for (EcosystemStatus e : status.ecosystems()) {
        ObjectNode n = ecos.addObject();
        n.put("ecosystem", e.ecosystem());
        n.put("records", e.records());
        n.put("packages", e.packages());
        n.put("importedAt", e.importedAt().toString());
        n.put("ageSeconds", age(e).getSeconds());
        n.put("source", e.source());
      }
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
  }

  public static Builder options() {
    return new Builder();
  }

  /** Downloads and imports each ecosystem's export; progress goes to the session's events. */
  public static UpdateResult update(Options o, Session session) throws IOException {
    try (VulnDb store = VulnDb.open(o.directory())) {
      List<Updated> out = new ArrayList<>();
      for (EcosystemUpdate u : store.update(o.url(), o.ecosystems(), session.events())) {
        int n = u.result().records().values().stream().mapToInt(Integer::intValue).sum();
        out.add(new Updated(u.ecosystem(), n, u.bytes(), u.source()));
      }
      return new UpdateResult(out);
    }
  }

  /**
   * Indexes the records at {@code source}, offline; each ecosystem in it replaces that ecosystem's
   * data.
   */
  public static Imported importFrom(Options o) throws IOException {
    if (o.source() == null) {
      throw new InvalidOptionsException(
          "db import: a SOURCE (all.zip, a folder of .json files, or one .json file) is required");
    }
    try (VulnDb store = VulnDb.open(o.directory())) {
      ImportResult r = store.importFrom(o.source());
      return new Imported(store.directory(), r);
    }
  }

  /** What the database holds, read now. */
  public static Status status(Options o) throws IOException {
    try (VulnDb store = VulnDb.open(o.directory())) {
      return new Status(store.status(), Instant.now());
    }
  }

  /** Builds {@link Options}. */
  public static final class Builder {
    private Path directory;
    private URI url = DEFAULT_URL;
    private final List<String> ecosystems = new ArrayList<>();
    private Path source;
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** The database folder (null: {@code $CAULK_DB}, else {@link VulnDb#defaultDirectory}). */
    public Builder directory(Path dir) {
      this.directory = dir;
      return this;
    }

    /**
     * Where {@code CAULK_DB} is read when no directory is given (default: the process's
     * environment).
     */
    public Builder environment(Map<String, String> env) {
      this.environment = env == null ? Map.of() : env;
      return this;
    }

    public Builder url(URI base) {
      this.url = base;
      return this;
    }

    public Builder ecosystems(List<String> names) {
      this.ecosystems.addAll(names);
      return this;
    }

    public Builder source(Path s) {
      this.source = s;
      return this;
    }

    public Options build() {
      if (url == null) {
        throw new InvalidOptionsException("--url: an export root is required");
      }
      return new Options(
          directory != null ? directory : defaultDirectory(environment), url, ecosystems, source);
    }

    private static Path defaultDirectory(Map<String, String> env) {
      String db = env.get("CAULK_DB");
      if (db != null && !db.isBlank()) {
        return Path.of(db);
      }
      return VulnDb.defaultDirectory();
    }
  }
}
