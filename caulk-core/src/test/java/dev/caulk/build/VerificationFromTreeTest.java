package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.RootFs;
import dev.caulk.tar.LayerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The post-build verification works from the layers' recipes and never reads a written layer back:
 * the cache's blobs are deleted before it runs, and every check still fires (each one is asserted,
 * so dropping a check fails this test).
 */
class VerificationFromTreeTest {
  @TempDir Path tmp;

  private static final Instant EPOCH = Instant.ofEpochSecond(1);
  private static final String KEY =
      "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n";

  private LayerCache cache;

  private Image image(ContainerConfig run, LayerRecipe... recipes) throws IOException {
    if (cache == null) cache = new LayerCache(tmp.resolve("cache"));
    List<Layer> layers = new ArrayList<>();
    for (LayerRecipe r : recipes) layers.add(cache.layer(r, EPOCH, LayerFormat.gzip(1)));
    ConfigFile cfg =
        new ConfigFile(
            EPOCH.toString(),
            null,
            "amd64",
            "linux",
            null,
            null,
            null,
            run,
            RootFs.of(List.of()),
            List.of());
    return Images.of(cfg, layers, false, null);
  }

  private static LayerRecipe system(String shadow, int shadowMode) {
    return new LayerRecipe("system")
        .dir("/etc", 0755, 0, 0)
        .bytes(
            "/etc/passwd",
            "root:x:0:0:root:/root:/sbin/nologin\napp:x:65532:65532::/home/app:/sbin/nologin\n",
            0644)
        .bytes("/etc/group", "root:x:0:\napp:x:65532:\n", 0644)
        .bytes("/etc/shadow", shadow, shadowMode);
  }

  /** Deletes every blob the cache wrote: a verification that read one back would fail. */
  private void deleteBlobs() throws IOException {
    try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().equals("blob")).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void everyCheckFiresFromTheRecipesAlone() throws IOException {
    Path key = Files.writeString(tmp.resolve("server.key"), KEY);
    Path svc = Files.writeString(tmp.resolve("svc"), "not a program");
    Image bad =
        image(
            ContainerConfig.EMPTY.toBuilder().user("0:0").entrypoint(List.of("/app/svc")).build(),
            system("root:$6$salt$hash:19000:0:99999:7:::\n", 0644),
            new LayerRecipe("app")
                .bytes("/bin/sh", new byte[] {1}, 0755, 0, 0)
                .bytes("/usr/bin/apt-get", new byte[] {1}, 0755, 0, 0)
                .bytes("/app/suid", new byte[] {1}, 04755, 0, 0)
                .file("/app/svc", svc, 0644, 0, 0)
                .file("/app/tls/server.key", key, 0600, 0, 0)
                .bytes("/app/tls/cert.pem", "-----BEGIN CERTIFICATE-----\n", 0644)
                .bytes("/home/app/.ssh/id_rsa", "x", 0600));
    List<String> readBack =
        Verification.check("svc", Artifact.of(bad), java.util.Map.of(), null).violations();
    deleteBlobs();
    List<String> v = Verification.check("svc", Artifact.of(bad), cache.known(), null).violations();
    assertEquals(readBack, v, "the same findings as reading the image");
    assertTrue(
        v.stream().anyMatch(s -> s.startsWith("runs as root") && s.endsWith("[CIS-DI-0001]")),
        v.toString());
    assertTrue(v.contains("setuid/setgid file /app/suid [CIS-DI-0008]"), v.toString());
    assertTrue(v.contains("shell /bin/sh [shell-present]"), v.toString());
    assertTrue(
        v.contains("package manager /usr/bin/apt-get [package-manager-present]"), v.toString());
    assertTrue(v.stream().anyMatch(s -> s.endsWith("[entrypoint-not-executable]")), v.toString());
    assertTrue(
        v.contains("credential file /etc/shadow is readable by every user (mode -rw-r--r--)"),
        v.toString());
    assertTrue(v.contains("account root in /etc/shadow has a password hash"), v.toString());
    assertTrue(v.contains("SSH private key /home/app/.ssh/id_rsa"), v.toString());
    assertTrue(v.contains("private key /app/tls/server.key"), v.toString());
    assertFalse(v.stream().anyMatch(s -> s.contains("cert.pem")), v.toString());
    assertEquals(9, v.size(), v.toString());
  }

  @Test
  void aCleanImagePassesAndAnEntrypointMustBeAbsolute() throws IOException {
    Path svc = Files.writeString(tmp.resolve("svc"), "#!");
    LayerRecipe app = new LayerRecipe("app").file("/app/svc", svc, 0755, 0, 0);
    Image ok =
        image(
            ContainerConfig.EMPTY.toBuilder()
                .user("65532:65532")
                .entrypoint(List.of("/app/svc"))
                .build(),
            system("root:*:19000:0:99999:7:::\n", 0640),
            app);
    deleteBlobs();
    assertEquals(
        List.of(), Verification.check("svc", Artifact.of(ok), cache.known(), null).violations());
    Image relative =
        image(
            ContainerConfig.EMPTY.toBuilder()
                .user("65532:65532")
                .entrypoint(List.of("svc"))
                .build(),
            system("root:*:19000:0:99999:7:::\n", 0640),
            app);
    Image none =
        image(ContainerConfig.EMPTY.toBuilder().user("65532:65532").build(), system("", 0640), app);
    deleteBlobs();
    List<String> v =
        Verification.check("svc", Artifact.of(relative), cache.known(), null).violations();
    assertTrue(v.stream().anyMatch(s -> s.contains("is not an absolute path")), v.toString());
    assertEquals(
        List.of("no entrypoint or cmd"),
        Verification.check("svc", Artifact.of(none), cache.known(), null).violations());
  }

  /** The listing a recipe gives is the tree a reader gets from the written layer. */
  @Test
  void theRecipesTreeIsTheWrittenLayersTree() throws IOException {
    Path bin = Files.write(tmp.resolve("bin"), new byte[70_000]);
    Image img =
        image(
            ContainerConfig.EMPTY,
            system("root:*:1:0:99999:7:::\n", 0640).dir("/tmp", 01777, 0, 0),
            new LayerRecipe("app")
                .file("/app/deep/er/service", bin, 0755, 0, 0)
                .dir("/home/app", 0700, 65532, 65532)
                .symlink("/etc/localtime", "/usr/share/zoneinfo/UTC")
                .bytes("/etc/timezone", "UTC\n", 0644));
    java.util.Map<dev.caulk.digest.Digest, List<dev.caulk.tar.TarEntry>> listings =
        new java.util.HashMap<>();
    cache.known().forEach((d, k) -> listings.put(d, k.entries()));
    assertEquals(2, listings.size());
    dev.caulk.fs.FileTree read = dev.caulk.fs.FileTree.build(img);
    deleteBlobs();
    dev.caulk.fs.FileTree listed =
        dev.caulk.fs.FileTree.build(img, listings, dev.caulk.fs.FileTree.Options.defaults(), null);
    assertEquals(read.walk(), listed.walk());
    assertTrue(listed.size() > 10, "a real tree: " + listed.size());
  }
}
