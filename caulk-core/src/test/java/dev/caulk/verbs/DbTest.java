package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.event.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Db}: import, update from a {@code file:} mirror laid out as the OSV bucket, and status.
 */
class DbTest {
  @TempDir Path tmp;

  static String record(String id, String ecosystem, String pkg) {
    return "{\"id\": \""
        + id
        + "\", \"modified\": \"2024-01-10T00:00:00Z\", \"affected\": [{\"package\": "
        + "{\"ecosystem\": \""
        + ecosystem
        + "\", \"name\": \""
        + pkg
        + "\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", "
        + "\"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"2.0\"}]}]}]}";
  }

  static void zip(Path file, Map<String, String> entries) throws Exception {
    Files.createDirectories(file.getParent());
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
  }

  @Test
  void importsUpdatesAndTellsItsStatus() throws Exception {
    Path db = tmp.resolve("db");
    Path records = Files.createDirectories(tmp.resolve("records"));
    Files.writeString(records.resolve("GO-1.json"), record("GO-2024-0001", "Go", "example.com/a"));
    Files.writeString(records.resolve("bad.json"), "{\"id\": \"BAD\"}");
    Db.Imported imported = Db.importFrom(Db.options().directory(db).source(records).build());
    assertEquals(Map.of("Go", 1), imported.result().records());
    assertEquals(db.toAbsolutePath().normalize(), imported.directory());

    Path mirror = tmp.resolve("mirror");
    zip(
        mirror.resolve("Debian/all.zip"),
        Map.of(
            "D-1.json",
            record("DEBIAN-CVE-2024-1", "Debian:12", "openssl"),
            "D-2.json",
            record("DEBIAN-CVE-2024-2", "Debian:12", "zlib")));
    List<Event> events = new ArrayList<>();
    Session session = Session.defaults(events::add);
    Db.UpdateResult up =
        Db.update(
            Db.options().directory(db).url(mirror.toUri()).ecosystems(List.of("Debian")).build(),
            session);
    assertEquals(1, up.ecosystems().size());
    Db.Updated d = up.ecosystems().get(0);
    assertEquals("Debian", d.ecosystem());
    assertEquals(2, d.records());
    assertEquals(Files.size(mirror.resolve("Debian/all.zip")), d.bytes());

    Db.Status s = Db.status(Db.options().directory(db).build());
    assertEquals(
        List.of("Debian", "Go"), s.status().ecosystems().stream().map(e -> e.ecosystem()).toList());
    assertTrue(s.age(s.status().ecosystems().get(0)).getSeconds() >= 0);
    JsonNode json = new ObjectMapper().readTree(s.toJson());
    assertEquals(db.toAbsolutePath().normalize().toString(), json.get("directory").asText());
    assertEquals(2, json.at("/ecosystems/0/records").asInt());
    assertEquals(1, json.at("/ecosystems/1/records").asInt());
    assertTrue(json.at("/ecosystems/0/ageSeconds").asLong() >= 0);
  }

  @Test
  void theDirectoryComesFromTheFlagThenCaulkDbThenTheDefault() {
    Path flag = tmp.resolve("flag");
    assertEquals(
        flag,
        Db.options()
            .directory(flag)
            .environment(Map.of("CAULK_DB", "/elsewhere"))
            .build()
            .directory());
    assertEquals(
        Path.of("/elsewhere"),
        Db.options().environment(Map.of("CAULK_DB", "/elsewhere")).build().directory());
    assertTrue(
        Db.options().environment(Map.of()).build().directory().endsWith(Path.of("caulk", "db")));
    assertEquals(Db.DEFAULT_URL, Db.options().build().url());
  }

  @Test
  void optionsAreChecked() {
    assertEquals(
        "--url: an export root is required",
        assertThrows(InvalidOptionsException.class, () -> Db.options().url(null).build())
            .getMessage());
    InvalidOptionsException e =
        assertThrows(
            InvalidOptionsException.class,
            () -> Db.importFrom(Db.options().directory(tmp.resolve("db")).build()));
    assertTrue(e.getMessage().startsWith("db import: a SOURCE"), e.getMessage());
  }
}
