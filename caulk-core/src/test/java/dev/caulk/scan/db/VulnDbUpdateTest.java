package dev.caulk.scan.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.caulk.event.Event;
import dev.caulk.scan.osv.OsvEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caulk db update}: the OSV bucket layout {@code BASE/<Ecosystem>/all.zip} served by a local
 * HTTP server (the real bucket is not reachable from tests), with zips written by the tests.
 */
class VulnDbUpdateTest {
  @TempDir Path tmp;
  HttpServer server;
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getRawPath();
          requests.add(path);
          byte[] body = files.get(path);
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/osv/");
  }

  void serve(String path, Path zip) throws IOException {
    files.put(path, Files.readAllBytes(zip));
  }

  @Test
  void downloadsEachEcosystemExportAndImportsIt() throws Exception {
    serve("/osv/Debian/all.zip", Fixtures.debianZip(tmp.resolve("debian.zip")));
    serve(
        "/osv/Go/all.zip",
        Fixtures.zip(
            tmp.resolve("go.zip"),
            Fixtures.entries(
                "GO-2024-0001.json",
                Fixtures.record(
                    "GO-2024-0001", "2024-03-01T00:00:00Z", "Go|golang.org/x/net|0.17.0"))));
    List<Event> events = new CopyOnWriteArrayList<>();
    try (VulnDb db = VulnDb.open(tmp.resolve("db"))) {
      List<EcosystemUpdate> done = db.update(base(), List.of("Debian", "Go"), events::add);
      assertEquals(List.of("/osv/Debian/all.zip", "/osv/Go/all.zip"), requests);
      assertEquals(2, done.size());
      assertEquals(3, done.get(0).result().records().get("Debian"));
      assertTrue(done.get(0).source().endsWith("/osv/Debian/all.zip"), done.get(0).source());
      assertEquals(
          List.of("Debian", "Go"),
          db.status().ecosystems().stream().map(EcosystemStatus::ecosystem).toList());
      assertEquals("Debian-all.zip", db.status().ecosystem("Debian").orElseThrow().source());
      List<OsvEntry> net = db.lookup("Go", "golang.org/x/net");
      assertEquals("GO-2024-0001", net.get(0).id());
      assertTrue(
          events.stream().anyMatch(e -> e instanceof Event.Progress p && p.finished()),
          "progress reported");
      try (var left = Files.list(tmp.resolve("db"))) {
        assertTrue(
            left.noneMatch(p -> p.getFileName().toString().startsWith("download-")),
            "downloads are cleaned up");
      }

      // With no list, update refreshes what the store already has.
      requests.clear();
      db.update(base(), List.of(), null);
      assertEquals(List.of("/osv/Debian/all.zip", "/osv/Go/all.zip"), requests);
    }
  }

  @Test
  void namesWithSpacesAreEncodedAndMissingExportsAreClearErrors() throws Exception {
    serve(
        "/osv/Rocky%20Linux/all.zip",
        Fixtures.zip(
            tmp.resolve("r.zip"),
            Fixtures.entries(
                "RLSA-1.json",
                Fixtures.record(
                    "RLSA-1", "2024-03-01T00:00:00Z", "Rocky Linux:9|openssl|3.0.7-1"))));
    try (VulnDb db = VulnDb.open(tmp.resolve("db"))) {
      db.update(base(), List.of("Rocky Linux"), null);
      assertEquals(1, db.status().ecosystem("Rocky Linux").orElseThrow().records());
      VulnDbException e =
          assertThrows(VulnDbException.class, () -> db.update(base(), List.of("Maven"), null));
      assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
      assertTrue(e.getMessage().contains("/osv/Maven/all.zip"), e.getMessage());
      assertEquals(1, db.status().ecosystems().size(), "the store is unchanged");
      assertThrows(VulnDbException.class, () -> db.update(base(), List.of("../etc"), null));
    }
  }

  @Test
  void offlineIsAClearErrorAndFileMirrorsWork() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (VulnDb db = VulnDb.open(tmp.resolve("db"))) {
      VulnDbException e =
          assertThrows(
              VulnDbException.class,
              () -> db.update(URI.create("http://127.0.0.1:" + closed), List.of("Debian"), null));
      assertTrue(
          e.getMessage().startsWith("cannot reach http://127.0.0.1:" + closed + "/Debian/all.zip"),
          e.getMessage());
      assertTrue(e.getMessage().contains("caulk db import"), e.getMessage());
      assertTrue(db.status().isEmpty());

      Path mirror = tmp.resolve("mirror");
      Files.createDirectories(mirror.resolve("Debian"));
      Fixtures.debianZip(mirror.resolve("Debian/all.zip"));
      db.update(mirror.toUri(), List.of("Debian"), null);
      assertEquals(3, db.status().ecosystem("Debian").orElseThrow().records());
      assertThrows(
          VulnDbException.class,
          () -> db.update(URI.create("ftp://example.com/"), List.of("Debian"), null));
    }
  }

  @Test
  void aBadExportLeavesTheStoreAsItWas() throws Exception {
    files.put(
        "/osv/Debian/all.zip",
        "not a zip at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (VulnDb db = VulnDb.open(tmp.resolve("db"))) {
      db.importFrom(Fixtures.debianZip(tmp.resolve("d.zip")));
      VulnDbException e =
          assertThrows(VulnDbException.class, () -> db.update(base(), List.of("Debian"), null));
      assertTrue(e.getMessage().contains("Debian-all.zip"), e.getMessage());
      assertEquals(3, db.status().ecosystem("Debian").orElseThrow().records());
    }
  }
}
