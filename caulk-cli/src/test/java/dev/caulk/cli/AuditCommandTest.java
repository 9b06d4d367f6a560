package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.mutate.Mutate;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.tar.TestTars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static String layout;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void image() throws IOException {
    byte[] exe = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    Image img =
        Mutate.withConfig(
            TestTars.image(
                TestTars.tar()
                    .dir("etc")
                    .file("etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:10:10::/:/sbin/nologin\n")
                    .file("etc/shadow", "root:!:1::::::\napp::1::::::\n")
                    .file("app/svc", exe, 0755, 0, 0)
                    .file("app/su", exe, 04755, 0, 0)
                    .file("bin/sh", exe, 0755, 0, 0)
                    .bytes()),
            ContainerConfig.EMPTY.toBuilder()
                .entrypoint(List.of("/app/svc"))
                .env("PATH", "/app:/bin")
                .build());
    Path dir = tmp.resolve("oci");
    Locations.write(
        Artifact.of(img), new ImageLocation.OciLayout(dir, "1.0"), RegistryOptions.defaults());
    Locations.write(
        Artifact.of(img), new ImageLocation.OciLayout(dir, "latest"), RegistryOptions.defaults());
    layout = "oci:" + dir;
  }

  private static Run caulk(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new Console(out, err, false, false));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void jsonReportWithInventoryAndFindings() throws IOException {
    Run r = caulk("audit", "--format", "json", layout + ":1.0");
    assertEquals(0, r.code(), r.err());
    JsonNode root = JSON.readTree(r.out());
    assertEquals(layout + ":1.0", root.at("/image/name").asText());
    assertTrue(root.at("/image/digest").asText().startsWith("sha256:"));
    assertEquals("/app/su", root.at("/inventory/setuid/0").asText());
    assertEquals(List.of("/bin/sh"), List.of(root.at("/inventory/shells/0").asText()));
    List<String> ids = new ArrayList<>();
    root.get("findings").forEach(f -> ids.add(f.get("id").asText()));
    assertTrue(
        ids.containsAll(
            List.of("CIS-DI-0001", "CIS-DI-0006", "CIS-DI-0008", "DKL-LI-0001", "shell-present")),
        ids.toString());
    assertFalse(ids.contains("DKL-DI-0006"), "tag 1.0");
    JsonNode latest = JSON.readTree(caulk("audit", "-f", "json", layout + ":latest").out());
    assertTrue(latest.get("findings").findValuesAsText("id").contains("DKL-DI-0006"));
  }

  @Test
  void gateExitCodeSeverityAndIgnores() throws IOException {
    assertEquals(0, caulk("audit", "-q", layout + ":1.0").code(), "no gate by default");
    assertEquals(
        3, caulk("audit", "-q", "--exit-code", "3", "--severity", "high", layout + ":1.0").code());
    assertEquals(
        0,
        caulk("audit", "-q", "--exit-code", "3", "--severity", "critical", layout + ":1.0").code());
    assertEquals(
        0,
        caulk(
                "audit",
                "-q",
                "--exit-code",
                "3",
                "--severity",
                "fatal",
                "--ignore",
                "DKL-LI-0001 /etc/shadow",
                layout + ":1.0")
            .code(),
        "the only HIGH finding is accepted");
    Path ignore = tmp.resolve("ignores");
    Files.writeString(ignore, "# accepted\nDKL-LI-0001 exp:2000-01-01  # expired long ago\n");
    assertEquals(
        4,
        caulk(
                "audit",
                "-q",
                "--exit-code",
                "4",
                "--severity",
                "high",
                "--ignorefile",
                ignore.toString(),
                layout + ":1.0")
            .code());
    Files.writeString(ignore, "DKL-LI-0001 /etc/** exp:2999-12-31\n");
    Run ok =
        caulk(
            "audit",
            "-f",
            "json",
            "--exit-code",
            "4",
            "--severity",
            "high",
            "--ignorefile",
            ignore.toString(),
            layout + ":1.0");
    assertEquals(0, ok.code());
    assertFalse(
        JSON.readTree(ok.out()).get("findings").findValuesAsText("id").contains("DKL-LI-0001"),
        "ignored findings are not shown");
    Files.writeString(ignore, "DKL-LI-0001 exp:2026-13-40\n");
    Run bad = caulk("audit", "--ignorefile", ignore.toString(), layout + ":1.0");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains(ignore + ":1: bad expiry date"), bad.err());
  }

  @Test
  void sarifToAFileAndTheOtherFormats() throws IOException {
    Path sarif = tmp.resolve("out.sarif");
    Run r = caulk("audit", "-f", "sarif", "-o", sarif.toString(), layout + ":1.0");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    JsonNode log = JSON.readTree(sarif.toFile());
    assertEquals("2.1.0", log.get("version").asText());
    JsonNode json = JSON.readTree(caulk("audit", "-f", "json", layout + ":1.0").out());
    assertEquals(
        json.get("findings").size(), log.at("/runs/0/results").size(), "one result per finding");
    String table = caulk("audit", layout + ":1.0").out();
    assertTrue(table.contains("Inventory:\n") && table.contains("SEVERITY  ID"), table);
    assertTrue(table.indexOf("Inventory:") < table.indexOf("SEVERITY"), "inventory first");
    assertFalse(table.contains("\u001b["), "no colour when stdout is not a terminal");
    String junit = caulk("audit", "-f", "junit", layout + ":1.0").out();
    assertTrue(junit.startsWith("<?xml") && junit.contains("<testsuites"), junit);
  }

  @Test
  void usageErrorsAndHostileImages() throws IOException {
    assertEquals(2, caulk("audit", "-f", "yaml", layout + ":1.0").code());
    assertEquals(2, caulk("audit", "--severity", "bogus", layout + ":1.0").code());
    assertEquals(2, caulk("audit", "--exit-code", "300", layout + ":1.0").code());
    assertEquals(2, caulk("audit", "--ignore", "ID relative/glob", layout + ":1.0").code());
    assertEquals(2, caulk("audit").code());
    Image evil = TestTars.image(TestTars.tar().file("../../escape", "x").bytes());
    Path archive = tmp.resolve("evil.tar");
    Locations.write(
        Artifact.of(evil),
        new ImageLocation.DockerArchive(archive, "evil:1"),
        RegistryOptions.defaults());
    Run r = caulk("audit", "docker-archive:" + archive);
    assertEquals(1, r.code());
    assertTrue(
        r.err()
            .matches(
                "caulk: error: .*layer sha256:[0-9a-f]+…?: entry '\\.\\./\\.\\./escape' escapes the root\n"),
        r.err());
    assertFalse(Files.exists(tmp.getParent().resolve("escape")));
  }
}
