package dev.caulk.audit;

import static dev.caulk.audit.AuditFixtures.cleanBase;
import static dev.caulk.audit.AuditFixtures.cleanConfig;
import static dev.caulk.audit.AuditFixtures.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.mutate.Mutate;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.format.ReportWriters;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.tar.InvalidLayerException;
import dev.caulk.tar.TestTars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuditorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A gzip layer that counts how often its blob is opened. */
  private static Layer counted(byte[] tar, AtomicInteger opens) {
    byte[] gz = TestTars.gzip(tar);
    return Layers.fromBlobs(
        Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(gz), gz.length),
        Digest.sha256(tar),
        d -> {
          opens.incrementAndGet();
          return new ByteArrayInputStream(gz);
        },
        "test");
  }

  @Test
  void everyLayerIsReadExactlyOnce() throws IOException {
    AtomicInteger opens = new AtomicInteger();
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(3);
    List<Layer> layers =
        List.of(
            counted(
                cleanBase()
                    .file("app/old.env", "TOKEN=" + s.githubPat() + "\n")
                    .file("usr/bin/tool", new byte[300], 0755, 0, 0)
                    .bytes(),
                opens),
            counted(
                TestTars.tar()
                    .file("app/.wh.old.env", "")
                    .file("usr/bin/.wh.tool", "")
                    .file("etc/passwd", AuditFixtures.PASSWD)
                    .bytes(),
                opens));
    Image img =
        Mutate.withConfig(
            Mutate.appendLayers(Images.scratch(Platform.LINUX_AMD64), layers, null),
            cleanConfig().build());
    Report r = Auditor.audit(img, Auditor.Options.defaults());
    assertEquals(2, opens.get(), "one streaming pass: each layer opened once");
    assertFalse(AuditFixtures.findings(r, "secret-in-hidden-layer").isEmpty());
    assertFalse(AuditFixtures.findings(r, "removed-binaries-still-shipped").isEmpty());
  }

  @Test
  void jsonShapeAsDocumented() throws IOException {
    Image img =
        image(
            cleanConfig().user("").build(),
            null,
            cleanBase()
                .file("app/su", AuditFixtures.SERVER, 04755, 0, 0)
                .dir("bin")
                .symlink("bin/sh", "/app/server")
                .bytes(),
            TestTars.tar().file("app/big", new byte[2000], 0644, 0, 0).bytes(),
            TestTars.tar().file("app/.wh.big", "").bytes());
    Report r =
        Auditor.audit(img, Auditor.Options.defaults().withName("registry.example/app:1.0", "1.0"));
    StringWriter w = new StringWriter();
    ReportWriters.json().write(r, w);
    JsonNode root = JSON.readTree(w.toString());
    assertEquals(
        List.of("schema", "image", "summary", "inventory", "findings", "rules"), names(root));
    assertEquals("registry.example/app:1.0", root.at("/image/name").asText());
    assertEquals(img.digest().toString(), root.at("/image/digest").asText());
    JsonNode inv = root.get("inventory");
    for (String field :
        List.of(
            "topLevel",
            "pathExecutables",
            "setuid",
            "setgid",
            "capabilities",
            "worldWritable",
            "shells",
            "packageManagers",
            "hiddenBytes",
            "imageBytes",
            "treeBytes")) {
      assertTrue(inv.has(field), field);
    }
    assertEquals(
        List.of(
            "topLevel",
            "pathExecutables",
            "setuid",
            "setgid",
            "capabilities",
            "worldWritable",
            "shells",
            "packageManagers",
            "hiddenBytes",
            "imageBytes",
            "treeBytes"),
        names(inv).subList(0, 11));
    assertEquals(2, inv.at("/topLevel/~1app/files").asInt());
    assertEquals(AuditFixtures.SERVER.length * 2L, inv.at("/topLevel/~1app/bytes").asLong());
    assertEquals(
        List.of("/app/server", "/app/su"),
        List.of(inv.at("/pathExecutables/0").asText(), inv.at("/pathExecutables/1").asText()));
    assertEquals("/app/su", inv.at("/setuid/0").asText());
    assertEquals("/bin/sh", inv.at("/shells/0").asText());
    assertEquals(2000, inv.get("hiddenBytes").asLong());
    assertEquals(img.compressedSize(), inv.get("imageBytes").asLong());
    assertEquals(
        AuditFixtures.SERVER.length * 2L
            + AuditFixtures.PASSWD.length()
            + AuditFixtures.GROUP.length()
            + AuditFixtures.SHADOW.length(),
        inv.get("treeBytes").asLong());
    for (JsonNode f : root.get("findings")) {
      for (String field :
          List.of("id", "severity", "title", "path", "layer", "detail", "remediation")) {
        assertTrue(f.has(field), field + " in " + f);
      }
      assertTrue(f.get("path").isNull() || f.get("path").asText().startsWith("/"), f.toString());
    }
  }

  @Test
  void sarifHasOneResultPerFindingWithStableFingerprints() throws IOException {
    Image img =
        image(
            cleanConfig().user("").healthcheck(null).build(),
            null,
            cleanBase()
                .file("app/su", AuditFixtures.SERVER, 04755, 0, 0)
                .file("app/sg", AuditFixtures.SERVER, 02755, 0, 0)
                .bytes());
    Report r = Auditor.audit(img, Auditor.Options.defaults());
    JsonNode a = sarif(r);
    JsonNode results = a.at("/runs/0/results");
    assertEquals(r.findings().size(), results.size());
    assertEquals("2.1.0", a.get("version").asText());
    List<String> prints = new ArrayList<>();
    results.forEach(x -> prints.add(x.at("/partialFingerprints/caulkFindingHash~1v1").asText()));
    assertEquals(prints.size(), prints.stream().distinct().count(), "one fingerprint per finding");
    // a rebuild with another layer digest (different mtime) keeps every fingerprint
    Image rebuilt =
        image(
            cleanConfig().user("").healthcheck(null).build(),
            null,
            cleanBase()
                .file("app/su", AuditFixtures.SERVER, 04755, 0, 0)
                .file("app/sg", AuditFixtures.SERVER, 02755, 0, 0)
                .file("app/new", "x")
                .bytes());
    List<String> again = new ArrayList<>();
    sarif(Auditor.audit(rebuilt, Auditor.Options.defaults()))
        .at("/runs/0/results")
        .forEach(x -> again.add(x.at("/partialFingerprints/caulkFindingHash~1v1").asText()));
    assertEquals(prints.stream().sorted().toList(), again.stream().sorted().toList());
  }

  @Test
  void secretValuesNeverReachAnyFormat() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(5);
    String pat = s.githubPat();
    String key = s.awsKeyId();
    String secret = s.awsSecret();
    Image img =
        image(
            cleanConfig().env("GITHUB_TOKEN", pat).label("aws_secret_access_key", secret).build(),
            List.of(
                AuditFixtures.run(
                    "RUN /bin/sh -c echo " + key + " > /dev/null && export DB_PASSWORD=" + secret),
                AuditFixtures.run("RUN rm")),
            cleanBase().file("app/creds", "aws_secret_access_key = " + secret + "\n").bytes(),
            TestTars.tar()
                .file("app/.wh.creds", "")
                .file("app/token.txt", "t: " + pat + "\n")
                .bytes());
    Report r = Auditor.audit(img, Auditor.Options.defaults());
    assertTrue(r.findings().size() >= 5, r.findings().toString());
    for (String format : List.of("table", "json", "sarif", "junit")) {
      StringWriter w = new StringWriter();
      ReportWriters.forFormat(format, "test", false).write(r, w);
      String out = w.toString();
      for (String raw : List.of(pat.substring(4, 24), key.substring(4), secret.substring(2, 22))) {
        assertFalse(out.contains(raw), format + " leaks a secret");
      }
      assertTrue(out.contains("****"), format);
    }
  }

  @Test
  void hostileLayersFailClearlyAndNothingIsWritten() throws IOException {
    String marker = "caulk-audit-escape-" + UUID.randomUUID();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Image> hostile =
        List.of(
            TestTars.image(
                TestTars.tar().file("../../../../../../.." + tmp + "/" + marker, "x").bytes()),
            TestTars.image(TestTars.tar().hardlink("h", "../../" + marker).bytes()),
            TestTars.image(TestTars.tar().file("a/.wh.", "").bytes()));
    for (Image img : hostile) {
      InvalidLayerException e =
          assertThrows(
              InvalidLayerException.class, () -> Auditor.audit(img, Auditor.Options.defaults()));
      assertTrue(e.getMessage().startsWith("layer sha256:"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    // a symlink to the host's temp folder, then a file "through" it: the tree makes a folder,
    // nothing leaves
    Image through =
        TestTars.image(
            TestTars.tar().symlink("out", tmp.toString()).bytes(),
            TestTars.tar().file("out/" + marker, "pwned").bytes());
    Report r = Auditor.audit(through, Auditor.Options.defaults());
    assertTrue(r.inventory().at("/topLevel/~1out/files").asInt() == 1, r.inventory().toString());
    assertFalse(Files.exists(tmp.resolve(marker)), "the audit wrote outside the image");
    byte[] tar = TestTars.tar().file("a", "x").bytes();
    byte[] gz = TestTars.gzip(tar);
    Layer lying =
        Layers.fromBlobs(
            Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(gz), gz.length),
            Digest.sha256("no"),
            d -> new ByteArrayInputStream(gz),
            "test");
    assertThrows(
        DigestMismatchException.class,
        () -> Auditor.audit(TestTars.imageOf(List.of(lying)), Auditor.Options.defaults()));
    byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
    Layer cut =
        Layers.fromBlobs(
            Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(gz), gz.length),
            Digest.sha256(tar),
            d -> new ByteArrayInputStream(truncated),
            "test");
    IOException e =
        assertThrows(
            IOException.class,
            () -> Auditor.audit(TestTars.imageOf(List.of(cut)), Auditor.Options.defaults()));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    Image bomb = TestTars.image(TestTars.tar().file("z", new byte[4 << 20], 0644, 0, 0).bytes());
    assertThrows(
        InvalidLayerException.class,
        () ->
            Auditor.audit(
                bomb,
                Auditor.Options.defaults()
                    .withTree(
                        dev.caulk.fs.FileTree.Options.defaults().withMaxLayerBytes(1 << 20))));
  }

  @Test
  void verificationOnlyRulesAndNoSecretScan() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(9);
    Image img =
        image(
            cleanConfig().build(),
            null,
            cleanBase().file("app/k", "id: " + s.awsKeyId() + "\n").bytes());
    Report r =
        Auditor.audit(
            img,
            Auditor.Options.defaults()
                .withSecrets(false)
                .withRules(Rules.select("aws-access-key-id", "cis-di-0001")));
    assertEquals(List.of(), r.findings());
    assertEquals(
        List.of("aws-access-key-id", "CIS-DI-0001"), r.rules().stream().map(x -> x.id()).toList());
    assertThrows(IllegalArgumentException.class, () -> Rules.select("no-such-rule"));
  }

  private static JsonNode sarif(Report r) throws IOException {
    StringWriter w = new StringWriter();
    ReportWriters.sarif("test").write(r, w);
    return JSON.readTree(w.toString());
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static List<String> ids(Report r) {
    return r.findings().stream().map(Finding::id).toList();
  }
}
