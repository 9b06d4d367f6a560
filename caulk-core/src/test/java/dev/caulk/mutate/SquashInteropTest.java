package dev.caulk.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oracle: umoci must unpack what squash (and so the reproducible builder) writes. */
class SquashInteropTest {
  @TempDir Path tmp;

  @Test
  void umociUnpacksASquashedImage() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")), "umoci not installed");
    Image img =
        TestTars.image(
            TestTars.tar()
                .file("etc/os-release", "ID=test\n")
                .file("etc/secret", "s")
                .file("usr/bin/tool", "t".getBytes(), 04755, 0, 0)
                .hardlink("usr/bin/tool2", "usr/bin/tool")
                .symlink("bin", "usr/bin")
                .dir("tmp", 01777)
                .file("opt/" + "long-".repeat(40) + "name", "long".getBytes(), 0600, 1000, 1000)
                .bytes(),
            TestTars.tar()
                .file("etc/.wh.secret", "")
                .file("home/app/.profile", "x".getBytes(), 0640, 1000, 1000)
                .bytes());
    Image sq = Mutate.squash(img, Mutate.SquashOptions.defaults().withTempDir(tmp));
    Path layout = Files.createDirectory(tmp.resolve("layout"));
    writeLayout(sq, layout);
    Path bundle = tmp.resolve("bundle");
    Process p =
        new ProcessBuilder("umoci", "unpack", "--image", layout + ":t", bundle.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    Path rootfs = bundle.resolve("rootfs");
    assertEquals("ID=test\n", Files.readString(rootfs.resolve("etc/os-release")));
    assertFalse(Files.exists(rootfs.resolve("etc/secret")));
    assertEquals(04755, mode(rootfs.resolve("usr/bin/tool")));
    assertEquals(
        Files.getAttribute(rootfs.resolve("usr/bin/tool"), "unix:ino"),
        Files.getAttribute(rootfs.resolve("usr/bin/tool2"), "unix:ino"));
    assertEquals(Path.of("usr/bin"), Files.readSymbolicLink(rootfs.resolve("bin")));
    assertEquals(01777, mode(rootfs.resolve("tmp")));
    assertEquals(1000, Files.getAttribute(rootfs.resolve("home/app/.profile"), "unix:uid"));
    assertEquals("long", Files.readString(rootfs.resolve("opt/" + "long-".repeat(40) + "name")));
  }

  /**
   * A minimal OCI image layout (image-layout.md): oci-layout, index.json with a ref name, blobs.
   */
  private static void writeLayout(Image img, Path dir) throws IOException {
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    byte[] config = img.rawConfig();
    Files.write(blobs.resolve(Digest.sha256(config).hex()), config);
    for (Layer l : img.layers()) {
      try (InputStream in = l.compressed()) {
        Files.copy(in, blobs.resolve(l.digest().hex()));
      }
    }
    byte[] manifest = img.rawManifest();
    Files.write(blobs.resolve(Digest.sha256(manifest).hex()), manifest);
    Files.writeString(
        dir.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
            + img.mediaType()
            + "\",\"digest\":\""
            + img.digest()
            + "\",\"size\":"
            + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}");
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }
}
