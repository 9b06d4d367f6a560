package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The short paths of {@link Main}: what they print matches the full command model's. */
final class StartupPathTest {
  @TempDir Path tmp;

  @Test
  void versionWithoutTheCommandModelPrintsWhatPicocliPrints() {
    Cli.Run fast = Cli.run("--version");
    Cli.Run shortFlag = Cli.run("-V");
    StringWriter picocli = new StringWriter();
    CommandLine root = new CommandLine(new CaulkCommand());
    root.setOut(new PrintWriter(picocli, true));
    assertEquals(0, root.execute("--version"));
    assertEquals(0, fast.exit(), fast.toString());
    assertEquals(picocli.toString().replace(System.lineSeparator(), "\n"), fast.out());
    assertEquals(fast.out(), shortFlag.out());
    assertEquals("", fast.err());
    String[] lines = fast.out().split("\n");
    assertEquals(2, lines.length, fast.out());
    assertEquals("caulk " + VersionProvider.version(), lines[0]);
    assertEquals("Java " + System.getProperty("java.version"), lines[1]);
  }

  @Test
  void versionWithMoreArgumentsGoesThroughPicocliAndPrintsTheSame() {
    // picocli answers a help option before it looks at the rest (it exits 0 here)
    Cli.Run r = Cli.run("--version", "--bogus");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(Cli.run("--version").out(), r.out());
  }

  @Test
  void warmUpOnlyForVerbsThatStreamLayers() {
    assertTrue(Main.streamsLayers(new String[] {"copy", "oci:a", "oci:b"}));
    assertTrue(Main.streamsLayers(new String[] {"audit", "oci:a"}));
    assertTrue(Main.streamsLayers(new String[] {"build"}));
    assertFalse(Main.streamsLayers(new String[] {"digest", "oci:a"}));
    assertFalse(Main.streamsLayers(new String[] {"inspect", "--format", "json", "oci:a"}));
    assertFalse(Main.streamsLayers(new String[] {"copy", "--help"}));
    assertFalse(Main.streamsLayers(new String[] {"--version"}));
    assertFalse(Main.streamsLayers(new String[] {}));
  }

  @Test
  void onlyTheInvokedVerbsModelGivesWhatTheFullModelGives() throws Exception {
    Path layout = tmp.resolve("layout");
    String manifest = writeLayout(layout);
    String oci = "oci:" + layout;
    List<String[]> lines =
        List.of(
            new String[] {"digest", oci},
            new String[] {"digest", "--full-ref", oci},
            new String[] {"digest", "--help"},
            new String[] {"digest", "--bogus", oci},
            new String[] {"digest", "--platfrom", "linux/amd64", oci},
            new String[] {"digest"},
            new String[] {"digest", "oci:" + tmp.resolve("missing")},
            new String[] {"inspect", "--help"},
            new String[] {"copy", "--bogus"},
            new String[] {"cp", "--help"},
            new String[] {"tags", "--help"},
            new String[] {"key", "--help"},
            new String[] {"--help", "digest"},
            new String[] {"--quiet", "digest", oci},
            new String[] {"digset", oci},
            new String[] {"help"},
            new String[] {});
    for (String[] args : lines) {
      Cli.Run lazy = run(args, true);
      Cli.Run full = run(args, false);
      assertEquals(full, lazy, String.join(" ", args));
    }
    Cli.Run ok = run(new String[] {"digest", oci}, true);
    assertEquals(0, ok.exit(), ok.toString());
    assertEquals(manifest + "\n", ok.out());
    Cli.Run bad = run(new String[] {"digest", "--bogus", oci}, true);
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("Unknown option: '--bogus'"), bad.err());
    Cli.Run help = run(new String[] {"digest", "--help"}, true);
    assertEquals(0, help.exit(), help.toString());
    assertTrue(help.out().startsWith("Usage: caulk digest "), help.out());
    // the root's help lists every verb, whatever follows it
    Cli.Run rootHelp = run(new String[] {"--help", "digest"}, true);
    assertTrue(rootHelp.out().contains("\n  copy, cp "), rootHelp.out());
  }

  private static Cli.Run run(String[] args, boolean onlyInvokedVerb) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new Console(out, err, false, false), onlyInvokedVerb);
    return new Cli.Run(
        code,
        out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"),
        err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  /** A one-image OCI layout (one empty tar layer); returns its manifest's digest. */
  private static String writeLayout(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    String layer = "\0".repeat(1024);
    String layerDigest = blob(dir, layer);
    String config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + layerDigest
            + "\"]}}";
    String configDigest = blob(dir, config);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\""
            + configDigest
            + "\",\"size\":"
            + config.length()
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
            + "\"digest\":\""
            + layerDigest
            + "\",\"size\":1024}]}";
    String manifestDigest = blob(dir, manifest);
    Files.writeString(
        dir.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
            + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
            + manifestDigest
            + "\",\"size\":"
            + manifest.length()
            + "}]}");
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    return manifestDigest;
  }

  private static String blob(Path dir, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    Files.write(dir.resolve("blobs/sha256/" + hex), bytes);
    return "sha256:" + hex;
  }
}
