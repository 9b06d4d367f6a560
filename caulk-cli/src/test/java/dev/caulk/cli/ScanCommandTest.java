package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.caulk.image.Artifact;
import dev.caulk.layout.OciLayout;
import dev.caulk.tar.TestTars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * caulk sbom, scan and db end to end, offline: an image in an OCI layout, OSV records written here
 * in the real schema, a database imported through the CLI, and the stored SBOM re-scanned without
 * the image.
 */
class ScanCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path shared;
  static String image;
  static Path osv;
  static Path db;

  static String stanza(String pkg, String version, String source) {
    return "Package: "
        + pkg
        + "\nStatus: install ok installed\nArchitecture: amd64\n"
        + (source == null ? "" : "Source: " + source + "\n")
        + "Version: "
        + version
        + "\n\n";
  }

  static byte[] jar() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(
          new ZipEntry("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties"));
      z.write(
          "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n"
              .getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return out.toByteArray();
  }

  static String record(
      String id,
      String upstream,
      String ecosystem,
      String name,
      String fixed,
      String severityJson) {
    return "{\"schema_version\":\"1.6.0\",\"id\":\""
        + id
        + "\",\"modified\":\"2026-01-10T00:00:00Z\","
        + (id.startsWith("GHSA")
            ? "\"aliases\":[\"" + upstream + "\"],"
            : "\"upstream\":[\"" + upstream + "\"],")
        + "\"summary\":\""
        + name
        + " issue "
        + upstream
        + "\","
        + severityJson
        + "\"affected\":[{\"package\":{\"ecosystem\":\""
        + ecosystem
        + "\",\"name\":\""
        + name
        + "\"},"
        + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}"
        + (fixed == null ? "" : ",{\"fixed\":\"" + fixed + "\"}")
        + "]}]}]}";
  }

  @BeforeAll
  static void setUp() throws Exception {
    byte[] tar =
        TestTars.tar()
            .file(
                "etc/os-release",
                "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
            .file(
                "var/lib/dpkg/status",
                stanza("libssl3", "3.0.11-1~deb12u2", "openssl")
                    + stanza("bash", "5.2.15-2+b2", "bash (5.2.15-2)"))
            .file("app/app.jar", jar(), 0644, 0, 0)
            .bytes();
    Path layout = shared.resolve("layout");
    OciLayout.create(layout).write(Artifact.of(TestTars.image(tar)), "app", e -> {});
    image = "oci:" + layout + ":app";
    osv = Files.createDirectories(shared.resolve("osv"));
    Files.writeString(
        osv.resolve("a.json"),
        record(
            "DEBIAN-CVE-2023-5678",
            "CVE-2023-5678",
            "Debian:12",
            "openssl",
            "3.0.13-1~deb12u1",
            "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\"}],"));
    Files.writeString(
        osv.resolve("b.json"),
        record("DEBIAN-CVE-2024-0002", "CVE-2024-0002", "Debian:12", "openssl", null, ""));
    Files.writeString(
        osv.resolve("c.json"),
        record(
            "GHSA-jfh8-c2jp-5v3q",
            "CVE-2021-44228",
            "Maven",
            "org.apache.logging.log4j:log4j-core",
            "2.15.0",
            "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H\"}],"));
    db = shared.resolve("db");
    Cli.Run imp = Cli.run("db", "import", osv.toString(), "--db", db.toString());
    assertEquals(0, imp.exit(), imp.toString());
  }

  static Set<String> findingIds(String reportJson) throws IOException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode f : JSON.readTree(reportJson).path("findings"))
      ids.add(f.path("id").asText() + " " + f.path("path").asText());
    return ids;
  }

  @Test
  void dbImportAndStatus() throws Exception {
    Cli.Run status = Cli.run("db", "status", "--db", db.toString());
    assertEquals(0, status.exit(), status.toString());
    assertTrue(status.out().contains("Debian") && status.out().contains("Maven"), status.out());
    JsonNode json =
        JSON.readTree(Cli.run("db", "status", "--db", db.toString(), "--format", "json").out());
    assertEquals(2, json.path("ecosystems").size());
    assertEquals(2, json.path("ecosystems").get(0).path("records").asInt());
    Cli.Run empty = Cli.run("db", "status", "--db", shared.resolve("nothing").toString());
    assertEquals(0, empty.exit());
    assertTrue(empty.out().contains("empty"), empty.out());
    Cli.Run bad =
        Cli.run("db", "import", shared.resolve("missing.zip").toString(), "--db", db.toString());
    assertEquals(1, bad.exit(), bad.toString());
    assertTrue(bad.err().startsWith("caulk: error: missing.zip: no such file"), bad.err());
  }

  @Test
  void scanReportsInEveryFormat() throws Exception {
    Cli.Run table = Cli.run("scan", image, "--db", db.toString());
    assertEquals(0, table.exit(), table.toString());
    assertTrue(
        table.out().contains("CVE-2023-5678") && table.out().contains("CVE-2021-44228"),
        table.out());
    assertTrue(
        table.out().contains("libssl3 3.0.11-1~deb12u2 (fixed in 3.0.13-1~deb12u1)"), table.out());
    Cli.Run json = Cli.run("scan", image, "--db", db.toString(), "--format", "json");
    assertEquals(
        Set.of(
            "CVE-2021-44228 /app/app.jar",
            "CVE-2023-5678 /var/lib/dpkg/status",
            "CVE-2024-0002 /var/lib/dpkg/status"),
        findingIds(json.out()));
    JsonNode vulns = JSON.readTree(json.out()).path("inventory").path("vulnerabilities");
    assertEquals("CVE-2021-44228", vulns.get(0).path("id").asText(), "worst first");
    assertEquals("openssl", vulns.get(1).path("matchedName").asText());
    JsonNode sarif =
        JSON.readTree(Cli.run("scan", image, "--db", db.toString(), "--format", "sarif").out());
    assertEquals(3, sarif.path("runs").get(0).path("results").size());
    assertEquals(
        "", json.err(), "nothing on stderr when it is not a terminal and nothing is wrong");
  }

  @Test
  void vexDropsNotAffectedAndSaysUnderInvestigation() throws Exception {
    Path vex = shared.resolve("hand.openvex.json");
    Files.writeString(
        vex,
        "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"@id\":\"https://example.com/vex/1\","
            + "\"author\":\"a person\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"version\":1,\"statements\":["
            + "{\"vulnerability\":{\"name\":\"CVE-2021-44228\"},"
            + "\"products\":[{\"@id\":\"pkg:maven/org.apache.logging.log4j/log4j-core\"}],"
            + "\"status\":\"not_affected\",\"justification\":\"vulnerable_code_not_in_execute_path\"},"
            + "{\"vulnerability\":{\"name\":\"CVE-2024-0002\"},\"status\":\"under_investigation\"}]}");
    Cli.Run r =
        Cli.run("scan", image, "--db", db.toString(), "--format", "json", "--vex", vex.toString());
    assertEquals(0, r.exit(), r.toString());
    assertEquals(
        Set.of("CVE-2023-5678 /var/lib/dpkg/status", "CVE-2024-0002 /var/lib/dpkg/status"),
        findingIds(r.out()));
    assertTrue(r.err().contains("CVE-2024-0002 is under investigation"), r.err());
    Cli.Run out = Cli.run("scan", image, "--db", db.toString(), "--format", "openvex");
    assertEquals(0, out.exit(), out.toString());
    JsonNode doc = JSON.readTree(out.out());
    assertEquals("https://openvex.dev/ns/v0.2.0", doc.path("@context").asText());
    assertEquals(3, doc.path("statements").size(), out.out());
    assertEquals("under_investigation", doc.path("statements").get(0).path("status").asText());
    Path written = Files.writeString(shared.resolve("written.openvex.json"), out.out());
    Cli.Run reread =
        Cli.run(
            "scan", image, "--db", db.toString(), "--format", "json", "--vex", written.toString());
    assertEquals(3, findingIds(reread.out()).size(), "under_investigation keeps every finding");
    Path broken = Files.writeString(shared.resolve("broken.vex.json"), "{\"statements\": [");
    Cli.Run bad = Cli.run("scan", image, "--db", db.toString(), "--vex", broken.toString());
    assertNotEquals(0, bad.exit());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    Cli.Run missing =
        Cli.run(
            "scan", image, "--db", db.toString(), "--vex", shared.resolve("none.json").toString());
    assertEquals(2, missing.exit(), missing.toString());
  }

  @Test
  void gateSeverityUnfixedAndIgnores() throws Exception {
    assertEquals(3, Cli.run("scan", image, "--db", db.toString(), "--exit-code", "3").exit());
    assertEquals(
        0,
        Cli.run(
                "scan",
                image,
                "--db",
                db.toString(),
                "--exit-code",
                "3",
                "--severity",
                "critical",
                "--ignore",
                "CVE-2021-44228")
            .exit());
    Cli.Run high =
        Cli.run(
            "scan",
            image,
            "--db",
            db.toString(),
            "--format",
            "json",
            "--severity",
            "HIGH,critical");
    assertEquals(
        Set.of("CVE-2021-44228 /app/app.jar", "CVE-2023-5678 /var/lib/dpkg/status"),
        findingIds(high.out()));
    Cli.Run fixedOnly =
        Cli.run("scan", image, "--db", db.toString(), "--format", "json", "--ignore-unfixed");
    assertFalse(findingIds(fixedOnly.out()).contains("CVE-2024-0002 /var/lib/dpkg/status"));
    Path ignore = shared.resolve("ignores");
    Files.writeString(
        ignore,
        "# accepted\nCVE-2023-5678 pkg:openssl   # via the source package\nCVE-2024-0002 exp:2020-01-01\n");
    Cli.Run ignored =
        Cli.run(
            "scan",
            image,
            "--db",
            db.toString(),
            "--format",
            "json",
            "--ignorefile",
            ignore.toString(),
            "--exit-code",
            "4");
    assertEquals(4, ignored.exit(), "the expired ignore no longer hides CVE-2024-0002");
    assertEquals(
        Set.of("CVE-2021-44228 /app/app.jar", "CVE-2024-0002 /var/lib/dpkg/status"),
        findingIds(ignored.out()));
    assertTrue(
        ignored.err().contains("expired on 2020-01-01"),
        "expired waivers are announced even in CI: " + ignored.err());
  }

  @Test
  void sbomThenRescanWithoutTheImage() throws Exception {
    Path cdx = shared.resolve("out/app.cdx.json");
    Cli.Run sbom = Cli.run("sbom", image, "-o", cdx.toString());
    assertEquals(0, sbom.exit(), sbom.toString());
    assertEquals("", sbom.out(), "-o keeps stdout empty");
    byte[] doc = Files.readAllBytes(cdx);
    assertEquals(0, new JsonParser().validate(doc, Version.VERSION_16).size());
    JsonNode ssl = null;
    for (JsonNode c : JSON.readTree(doc).path("components"))
      if (c.path("name").asText().equals("libssl3")) ssl = c;
    assertTrue(
        ssl.path("purl").asText().contains("upstream=openssl")
            || ssl.toString().contains("caulk:package:sourceName"),
        ssl.toString());
    Path spdx = shared.resolve("out/app.spdx.json");
    assertEquals(0, Cli.run("sbom", image, "--format", "spdx", "-o", spdx.toString()).exit());
    Set<String> fromImage =
        findingIds(Cli.run("scan", image, "--db", db.toString(), "--format", "json").out());
    assertEquals(
        fromImage,
        findingIds(
            Cli.run("scan", cdx.toString(), "--db", db.toString(), "--format", "json").out()));
    assertEquals(
        fromImage,
        findingIds(
            Cli.run("scan", spdx.toString(), "--db", db.toString(), "--format", "json").out()));
    Path fifo = shared.resolve("fifo");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    java.util.concurrent.CompletableFuture<byte[]> piped =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.readAllBytes(fifo);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertEquals(
        0,
        Cli.run("sbom", image, "-o", fifo.toString()).exit(),
        "a named pipe is written straight through");
    assertEquals(
        0,
        new JsonParser()
            .validate(piped.get(30, java.util.concurrent.TimeUnit.SECONDS), Version.VERSION_16)
            .size());
    Cli.Run stdout = Cli.run("sbom", image, "--format", "spdx");
    assertTrue(stdout.out().contains("\"spdxVersion\" : \"SPDX-2.3\""), stdout.out());
  }

  @Test
  void cycloneDxOutputCarriesVulnerabilities() throws Exception {
    Path out = shared.resolve("vex.json");
    Cli.Run r =
        Cli.run(
            "scan",
            image,
            "--db",
            db.toString(),
            "--format",
            "cyclonedx",
            "-o",
            out.toString(),
            "--ignore",
            "CVE-2024-0002");
    assertEquals(0, r.exit(), r.toString());
    byte[] doc = Files.readAllBytes(out);
    assertEquals(0, new JsonParser().validate(doc, Version.VERSION_16).size());
    JsonNode vulns = JSON.readTree(doc).path("vulnerabilities");
    Set<String> ids = new TreeSet<>();
    for (JsonNode v : vulns) ids.add(v.path("id").asText());
    assertEquals(Set.of("CVE-2021-44228", "CVE-2023-5678"), ids, "ignored ones are left out");
  }

  @Test
  void noDatabaseIsAnErrorAndMissingEcosystemsAWarning() throws Exception {
    Cli.Run none = Cli.run("scan", image, "--db", shared.resolve("no-db").toString());
    assertEquals(1, none.exit(), none.toString());
    assertTrue(
        none.err().contains("no vulnerability database in")
            && none.err().contains("caulk db update"),
        none.err());
    Path debianOnly = shared.resolve("debian-only");
    Path src = Files.createDirectories(shared.resolve("osv-debian"));
    Files.copy(osv.resolve("a.json"), src.resolve("a.json"));
    assertEquals(0, Cli.run("db", "import", src.toString(), "--db", debianOnly.toString()).exit());
    Cli.Run partial = Cli.run("scan", image, "--db", debianOnly.toString());
    assertEquals(0, partial.exit(), partial.toString());
    assertTrue(
        partial.err().contains("no Maven advisories") && partial.err().contains("incomplete"),
        partial.err());
    assertTrue(
        Cli.run("scan", image, "--db", debianOnly.toString(), "--quiet").err().isEmpty(),
        "--quiet silences it");
  }

  @Test
  void helpListsTheVerbs() {
    Cli.Run r = Cli.run("--help");
    for (String verb : new String[] {"sbom", "scan", "db"})
      assertTrue(r.out().contains("  " + verb + " "), verb + ": " + r.out());
    assertTrue(Cli.run("scan", "--help").out().contains("pkg:NAME"));
    assertTrue(Cli.run("db", "--help").out().contains("import"));
  }

  @Test
  void usageErrors() throws IOException {
    assertEquals(2, Cli.run("scan", image, "--db", db.toString(), "--severity", "bogus").exit());
    assertEquals(2, Cli.run("scan", image, "--db", db.toString(), "--format", "xml").exit());
    Cli.Run ign = Cli.run("scan", image, "--db", db.toString(), "--ignore", "CVE-1 nonsense");
    assertEquals(2, ign.exit(), ign.toString());
    assertTrue(ign.err().contains("pkg:NAME"), ign.err());
    assertEquals(2, Cli.run("sbom", image, "--format", "xml").exit());
    assertEquals(2, Cli.run("scan", "oci-archive:x.tar", "--db", db.toString()).exit());
    assertEquals(2, Cli.run("db").exit());
    Path notSbom = shared.resolve("image.tar");
    Files.writeString(notSbom, "not json");
    Cli.Run file = Cli.run("scan", notSbom.toString(), "--db", db.toString());
    assertEquals(2, file.exit(), file.toString());
    assertTrue(
        file.err().contains("not a CycloneDX or SPDX JSON SBOM")
            && file.err().contains("docker-archive:"),
        file.err());
  }

  @Test
  void dbUpdateFromAMirrorAndOffline() throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("DEBIAN-CVE-2023-5678.json"));
      z.write(Files.readAllBytes(osv.resolve("a.json")));
      z.closeEntry();
    }
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/Debian/all.zip",
        ex -> {
          ex.sendResponseHeaders(200, zip.size());
          try (OutputStream o = ex.getResponseBody()) {
            o.write(zip.toByteArray());
          }
        });
    server.start();
    try {
      Path fresh = shared.resolve("fresh");
      Cli.Run up =
          Cli.run(
              "db",
              "update",
              "--url",
              "http://127.0.0.1:" + server.getAddress().getPort(),
              "--ecosystem",
              "Debian",
              "--db",
              fresh.toString());
      assertEquals(0, up.exit(), up.toString());
      assertTrue(up.out().startsWith("Debian"), up.out());
      Cli.Run missing =
          Cli.run(
              "db",
              "update",
              "--url",
              "http://127.0.0.1:" + server.getAddress().getPort(),
              "--ecosystem",
              "Go",
              "--db",
              fresh.toString());
      assertEquals(1, missing.exit());
      assertTrue(missing.err().contains("HTTP 404"), missing.err());
    } finally {
      server.stop(0);
    }
    Cli.Run offline =
        Cli.run(
            "db",
            "update",
            "--url",
            "http://127.0.0.1:1",
            "--db",
            shared.resolve("off").toString());
    assertEquals(1, offline.exit());
    assertTrue(offline.err().contains("cannot reach"), offline.err());
  }
}
