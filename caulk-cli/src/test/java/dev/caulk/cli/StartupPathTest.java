package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The short paths of {@link Main}: what they print matches the full command model's. */
final class StartupPathTest {
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
}
