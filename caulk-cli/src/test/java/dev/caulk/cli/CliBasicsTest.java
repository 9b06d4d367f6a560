package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliBasicsTest {
  @TempDir Path tmp;

  @Test
  void helpListsVerbsAndLocations() {
    Cli.Run r = Cli.run("--help");
    assertEquals(0, r.exit(), r.toString());
    for (String verb : new String[] {"build", "push", "copy", "inspect", "digest", "tags"})
      assertTrue(r.out().contains(verb), verb);
    assertTrue(r.out().contains("oci:DIR[:TAG]"));
    assertTrue(r.out().contains("Exit codes"));
  }

  @Test
  void verbHelpHasExamples() {
    Cli.Run r = Cli.run("copy", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("Examples"), r.out());
    assertTrue(r.out().contains("--src-creds"), r.out());
  }

  @Test
  void versionPrints() {
    Cli.Run r = Cli.run("--version");
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("caulk "), r.out());
  }

  @Test
  void unknownVerbIsUsageError() {
    Cli.Run r = Cli.run("cpoy", "a", "b");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("caulk: error:"), r.err());
    assertTrue(r.err().contains("Did you mean: caulk cp"), "suggests the near verb: " + r.err());
  }

  @Test
  void noVerbIsUsageError() {
    assertEquals(2, Cli.run().exit());
  }

  @Test
  void badLocationIsUsageErrorOnOneLine() {
    Cli.Run r = Cli.run("inspect", "oci-archive:x.tar");
    assertEquals(2, r.exit(), r.toString());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(
        first.startsWith("caulk: error:") && first.contains("unsupported transport 'oci-archive'"),
        r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void missingLayoutIsErrorWithoutStackTrace() {
    Cli.Run r = Cli.run("inspect", "oci:" + tmp.resolve("nope"));
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("no such file or directory"), r.err());
  }

  @Test
  void debugAddsStackTrace() {
    Cli.Run r = Cli.run("inspect", "--debug", "oci:" + tmp.resolve("nope"));
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void invalidJsonInLayoutIsOneLineError() throws Exception {
    Path dir = tmp.resolve("bad");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\": 2, \"manifests\": [");
    Cli.Run r = Cli.run("digest", "oci:" + dir);
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("invalid JSON"), r.err());
  }
}
