package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.mutate.Mutate;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.slim.Prover;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit, Sbom, Scan and Rewrite through their options and results, on small images in OCI layouts.
 */
class AnalysisVerbsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static ImageLocation image;
  private static ImageLocation evil;

  @BeforeAll
  static void images() throws IOException {
    byte[] exe = Files.readAllBytes(Path.of("/usr/bin/true"));
    Image img =
        Mutate.withConfig(
            TestTars.image(
                TestTars.tar()
                    .dir("etc")
                    .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                    .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                    .file("app/svc", exe, 0755, 0, 0)
                    .file("app/su", exe, 04755, 0, 0)
                    .file("bin/sh", exe, 0755, 0, 0)
                    .bytes()),
            ContainerConfig.EMPTY.toBuilder()
                .entrypoint(List.of("/app/svc"))
                .env("PATH", "/app:/bin")
                .build());
    image = new ImageLocation.OciLayout(tmp.resolve("oci"), "1.0");
    Locations.write(Artifact.of(img), image, RegistryOptions.defaults());
    evil = new ImageLocation.OciLayout(tmp.resolve("evil"), "1");
    Locations.write(
        Artifact.of(TestTars.image(TestTars.tar().file("../../escape", "x").bytes())),
        evil,
        RegistryOptions.defaults());
  }

  @Test
  void auditOptionsAreValidatedWithOneLineNamingTheOption() {
    assertEquals(
        "an image location is required",
        assertThrows(InvalidOptionsException.class, () -> Audit.options().build()).getMessage());
    assertTrue(
        assertThrows(
                InvalidOptionsException.class,
                () -> Audit.options().location(image).format("yaml").build())
            .getMessage()
            .contains("yaml"));
    assertThrows(
        InvalidOptionsException.class,
        () -> Audit.options().location(image).failOn("bogus").build());
    String bad =
        assertThrows(
                InvalidOptionsException.class,
                () -> Audit.options().location(image).ignore("ID relative/glob\u001b").build())
            .getMessage();
    assertTrue(bad.startsWith("--ignore 'ID relative/glob?'"), bad);
  }

  @Test
  void auditGateFailsOnlyWhenOnAndNotIgnored() throws IOException {
    Session s = Session.defaults(e -> {});
    Audit.Result off = Audit.run(Audit.options().location(image).build(), s);
    assertFalse(off.gateFailed(), "no gate unless asked");
    assertFalse(off.verdict().passed(), "yet findings remain");
    Audit.Result on = Audit.run(Audit.options().location(image).gate(true).build(), s);
    assertTrue(on.gateFailed());
    Audit.Result critical =
        Audit.run(Audit.options().location(image).failOn("critical").gate(true).build(), s);
    assertEquals(critical.verdict().failing().isEmpty(), !critical.gateFailed());
    List<String> ids = on.verdict().failing().stream().map(f -> f.id()).distinct().toList();
    Audit.Options ignoring = Audit.options().location(image).gate(true).ignores(ids).build();
    Audit.Result waived = Audit.run(ignoring, s);
    assertFalse(waived.gateFailed());
    assertFalse(waived.verdict().suppressed().isEmpty());
  }

  @Test
  void auditWritesItsReportFileAtomicallyAndWarnsOfExpiredIgnores(@TempDir Path dir)
      throws IOException {
    List<Event> events = new CopyOnWriteArrayList<>();
    Path out = dir.resolve("audit.json");
    Audit.Result r =
        Audit.run(
            Audit.options()
                .location(image)
                .format("json")
                .output(out)
                .ignore("CIS-DI-0001 exp:2020-01-01")
                .today(LocalDate.of(2026, 1, 1))
                .build(),
            Session.defaults(events::add));
    assertEquals(new String(r.document()), Files.readString(out));
    JsonNode root = JSON.readTree(out.toFile());
    assertEquals(
        "/app/su", root.at("/inventory/setuid/0").asText(), "the typed inventory is rendered");
    assertTrue(
        events.contains(
            new Event.Log(
                Event.Level.WARN,
                "ignore 'CIS-DI-0001 exp:2020-01-01' (--ignore) expired on 2020-01-01; its findings are back")),
        events.toString());

    Files.writeString(out, "old");
    assertThrows(
        IOException.class,
        () ->
            Audit.run(
                Audit.options().location(evil).output(out).build(), Session.defaults(e -> {})));
    assertEquals("old", Files.readString(out), "a failed audit leaves the old report");
    assertEquals(1, count(dir), "and no temporary file");
    IOException isDir =
        assertThrows(
            IOException.class,
            () ->
                Audit.run(
                    Audit.options().location(image).output(dir).build(),
                    Session.defaults(e -> {})));
    assertEquals("-o " + dir + ": is a directory", isDir.getMessage());
  }

  @Test
  void sbomIsRenderedAndWritten(@TempDir Path dir) throws IOException {
    assertThrows(InvalidOptionsException.class, () -> Sbom.options().location(image).format("xml"));
    assertThrows(InvalidOptionsException.class, () -> Sbom.options().build());
    Path out = dir.resolve("sbom.json");
    Sbom.Result r =
        Sbom.run(
            Sbom.options().location(image).format("spdx").output(out).build(),
            Session.defaults(e -> {}));
    assertEquals("SPDX-2.3", JSON.readTree(out.toFile()).path("spdxVersion").asText());
    assertEquals(new String(r.document()), Files.readString(out));
    Files.writeString(out, "old");
    assertThrows(
        IOException.class,
        () ->
            Sbom.run(Sbom.options().location(evil).output(out).build(), Session.defaults(e -> {})));
    assertEquals("old", Files.readString(out));
    assertEquals(1, count(dir));
  }

  @Test
  void scanOptionsAndAMissingDatabase(@TempDir Path dir) {
    assertThrows(InvalidOptionsException.class, () -> Scan.options().database(dir).build());
    assertThrows(InvalidOptionsException.class, () -> Scan.options().target("x").build());
    String fmt =
        assertThrows(
                InvalidOptionsException.class,
                () -> Scan.options().target("x").database(dir).format("xml").build())
            .getMessage();
    assertEquals(
        "unknown format 'xml': expected one of table, json, sarif, junit, cyclonedx, openvex", fmt);
    assertThrows(
        InvalidOptionsException.class,
        () -> Scan.options().target("x").database(dir).severities(List.of("info")).build());
    assertThrows(
        InvalidOptionsException.class,
        () -> Scan.options().target("x").database(dir).ignore("ID relative/glob").build());
    IOException none =
        assertThrows(
            IOException.class,
            () ->
                Scan.run(
                    Scan.options().target(image.toString()).database(dir.resolve("db")).build(),
                    Session.defaults(e -> {})));
    assertTrue(none.getMessage().startsWith("no vulnerability database in"), none.getMessage());
  }

  @Test
  void rewriteOptionsAreValidated() {
    ImageLocation to = new ImageLocation.OciLayout(tmp.resolve("out"), "x");
    assertThrows(
        InvalidOptionsException.class,
        () -> Rewrite.options().source(image).destination(to).build());
    assertEquals(
        "--to is required",
        assertThrows(
                InvalidOptionsException.class,
                () -> Rewrite.options().mode(Rewrite.Mode.SLIM).source(image).build())
            .getMessage());
    assertThrows(
        InvalidOptionsException.class,
        () ->
            Rewrite.options()
                .mode(Rewrite.Mode.SLIM)
                .source(image)
                .destination(to)
                .trace(true)
                .build());
    assertThrows(
        InvalidOptionsException.class,
        () ->
            Rewrite.options()
                .mode(Rewrite.Mode.SLIM)
                .source(image)
                .destination(to)
                .user("1")
                .build());
    assertThrows(
        InvalidOptionsException.class,
        () ->
            Rewrite.options()
                .mode(Rewrite.Mode.HARDEN)
                .source(image)
                .destination(to)
                .includeExe(List.of("sh"))
                .build());
    assertThrows(
        InvalidOptionsException.class,
        () ->
            Rewrite.options()
                .mode(Rewrite.Mode.HARDEN)
                .source(image)
                .destination(to)
                .maxSpoolBytes(-1)
                .build());
    Rewrite.Options ok =
        Rewrite.options()
            .mode(Rewrite.Mode.HARDEN)
            .source(image)
            .destination(to)
            .probe(Prover.Options.defaults())
            .trace(true)
            .build();
    assertTrue(ok.trace());
  }

  @Test
  void hardenWritesTheResultAndItsReport(@TempDir Path dir) throws IOException {
    ImageLocation to = new ImageLocation.OciLayout(dir.resolve("hard"), "1");
    Path report = dir.resolve("report.json");
    Rewrite.Result r =
        Rewrite.run(
            Rewrite.options()
                .mode(Rewrite.Mode.HARDEN)
                .source(image)
                .destination(to)
                .format(Rewrite.Format.JSON)
                .output(report)
                .build(),
            Session.defaults(e -> {}));
    assertTrue(r.destination().endsWith("@" + r.digest()), r.destination());
    JsonNode json = JSON.readTree(report.toFile());
    assertEquals(r.destination(), json.path("result").asText());
    assertEquals(
        1, json.at("/before/setuid").size(), "the original's audit, from the verb's own executor");
    assertEquals(0, json.at("/after/setuid").size());
    assertEquals(r.digest(), Locations.open(to, RegistryOptions.defaults()).image().digest());
  }

  @Test
  void rewriteAuditsWithTheSecretConfigsRules(@TempDir Path dir) throws IOException {
    String acme = "acme_q7w2k9x4m1p8z3r6t5y0u2i9o4a7s1d3";
    byte[] exe = Files.readAllBytes(Path.of("/usr/bin/true"));
    Image img =
        Mutate.withConfig(
            TestTars.image(
                TestTars.tar()
                    .dir("app")
                    .file("app/svc", exe, 0755, 0, 0)
                    .file("app/conf", "key=" + acme + "\n")
                    .bytes()),
            ContainerConfig.EMPTY.toBuilder().entrypoint(List.of("/app/svc")).build());
    ImageLocation source = new ImageLocation.OciLayout(dir.resolve("src"), "1");
    Locations.write(Artifact.of(img), source, RegistryOptions.defaults());
    Path rules =
        Files.writeString(
            dir.resolve("secrets.yaml"),
            "rules:\n  - id: acme-api-key\n    regex: 'acme_[a-z0-9]{32}'\n    keywords: [acme_]\n");
    Rewrite.Builder b =
        Rewrite.options().mode(Rewrite.Mode.HARDEN).source(source).format(Rewrite.Format.JSON);
    Rewrite.Result plain =
        Rewrite.run(
            b.destination(new ImageLocation.OciLayout(dir.resolve("a"), "1")).build(),
            Session.defaults(e -> {}));
    Rewrite.Result configured =
        Rewrite.run(
            b.destination(new ImageLocation.OciLayout(dir.resolve("b"), "1"))
                .secretConfig(rules)
                .build(),
            Session.defaults(e -> {}));
    assertTrue(
        plain.comparison().before().findings().stream()
            .noneMatch(f -> f.id().equals("acme-api-key")));
    assertTrue(
        configured.comparison().before().findings().stream()
            .anyMatch(f -> f.id().equals("acme-api-key") && "/app/conf".equals(f.path())),
        "the before audit used the configured rule");
    assertTrue(
        configured.comparison().after().findings().stream()
            .anyMatch(f -> f.id().equals("acme-api-key")),
        "and so did the after audit");
    assertFalse(new String(configured.document(), StandardCharsets.UTF_8).contains(acme));
    assertThrows(
        InvalidOptionsException.class, () -> b.secretConfig(dir.resolve("missing.yaml")).build());
  }

  @Test
  void aFailedRewriteWritesNothing(@TempDir Path dir) {
    ImageLocation to = new ImageLocation.OciLayout(dir.resolve("never"), "1");
    assertThrows(
        IOException.class,
        () ->
            Rewrite.run(
                Rewrite.options()
                    .mode(Rewrite.Mode.SLIM)
                    .source(evil)
                    .destination(to)
                    .output(dir.resolve("r.txt"))
                    .build(),
                Session.defaults(e -> {})));
    assertFalse(Files.exists(dir.resolve("never")));
    assertFalse(Files.exists(dir.resolve("r.txt")));
  }

  private static long count(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
