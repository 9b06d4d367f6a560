package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.TestTars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in a child JVM capped at 256 MB of heap, as the launcher's users run it. */
class SmallHeapTest {
  @TempDir Path tmp;

  private record Run(int exit, String err) {}

  private Run caulk(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(List.of(args));
    Path err = tmp.resolve("stderr");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("caulk did not finish in 120 s");
    }
    return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * 64 MB of PAX xattr records gzip to a few hundred KB; the tree's image-wide budget stops them in
   * one line.
   */
  @Test
  void xattrBombIsOneLineWithinTheHeap() throws Exception {
    String pad = "x".repeat(512 << 10);
    TestTars.Tar t = TestTars.tar();
    for (int i = 0; i < 128; i++)
      t.entry("f" + i, EntryType.FILE, 0644, 0, 0, new byte[0], null, Map.of("user.pad", pad));
    Image img = TestTars.image(t.bytes());
    Path dir = tmp.resolve("oci");
    Locations.write(
        Artifact.of(img), new ImageLocation.OciLayout(dir, "x"), RegistryOptions.defaults());
    Run r = caulk("audit", "oci:" + dir + ":x");
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err().startsWith("caulk: error: ") && r.err().contains("bytes of extended attributes"),
        r.err());
    assertFalse(r.err().contains("OutOfMemoryError"), r.err());
  }
}
