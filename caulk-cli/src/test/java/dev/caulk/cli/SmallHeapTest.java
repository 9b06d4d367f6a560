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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in a child JVM capped at 256 MB of heap, as the launcher's users run it. */
class SmallHeapTest {
  @TempDir Path tmp;

  private Cli.Run caulk(String... args) throws Exception {
    return ChildCaulk.run(tmp, List.of(), List.of("-Xmx256m", "-XX:+UseSerialGC"), Map.of(), args);
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
    Cli.Run r = caulk("audit", "oci:" + dir + ":x");
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err().startsWith("caulk: error: ") && r.err().contains("bytes of extended attributes"),
        r.err());
    assertFalse(r.err().contains("OutOfMemoryError"), r.err());
  }
}
