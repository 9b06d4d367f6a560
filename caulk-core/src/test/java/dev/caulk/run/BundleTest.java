package dev.caulk.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.image.Image;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.tar.InvalidLayerException;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles without a runtime: the generated config.json and the unpacked rootfs. */
class BundleTest {
  @TempDir Path tmp;

  private static ReproducibleLayerBuilder system() {
    return new ReproducibleLayerBuilder()
        .file("/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nwww-data:x:1000:1000::/home/www-data:/sbin/nologin\n"
            .getBytes(StandardCharsets.UTF_8), 0644, 0, 0)
        .file("/etc/group", "root:x:0:\nwww-data:x:1000:\n".getBytes(StandardCharsets.UTF_8), 0644, 0, 0)
        .file("/app/service", new byte[] {1}, 0755, 0, 0);
  }

  private JsonNode config(Bundle b) throws Exception {
    return new ObjectMapper().readTree(Files.readAllBytes(b.configFile()));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("type").asText()));
    return out;
  }

  @Test
  void configFollowsTheImageAndTheRuntimeSpec() throws Exception {
    ContainerConfig run = ContainerConfig.EMPTY.toBuilder().entrypoint(List.of("/app/service", "--serve")).cmd(List.of("--verbose"))
        .user("www-data").workingDir("/app").env("TZ", "Europe/Ljubljana").env("PORT", "3000").build();
    Image image = TestImages.of(system(), run, tmp);
    try (Bundle b = Bundle.create(image, tmp.resolve("bundle"), Map.of("PORT", "4711", "EXTRA", "1"))) {
      JsonNode c = config(b);
      assertEquals("1.0.2", c.path("ociVersion").asText());
      JsonNode p = c.path("process");
      assertFalse(p.path("terminal").asBoolean(true));
      assertEquals(List.of("/app/service", "--serve", "--verbose"), texts(p.path("args")));
      assertEquals(List.of("TZ=Europe/Ljubljana", "PORT=4711", "EXTRA=1", "PATH=" + Bundle.DEFAULT_PATH, "HOME=/home/www-data"),
          texts(p.path("env")));
      assertEquals("/app", p.path("cwd").asText());
      assertEquals(1000, p.path("user").path("uid").asInt());
      assertEquals(1000, p.path("user").path("gid").asInt());
      assertTrue(p.path("noNewPrivileges").asBoolean());
      for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
        assertEquals(List.of(), texts(p.path("capabilities").path(set)), "non-root keeps no capabilities: " + set);
      }
      assertEquals("rootfs", c.path("root").path("path").asText());
      assertTrue(c.path("root").path("readonly").asBoolean());
      assertEquals(Bundle.HOSTNAME, c.path("hostname").asText());
      assertEquals(List.of("pid", "ipc", "uts", "mount"), texts(c.path("linux").path("namespaces")), "no network namespace");
      List<String> dests = new ArrayList<>();
      c.path("mounts").forEach(m -> dests.add(m.path("destination").asText()));
      assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/tmp"), dests);
      c.path("mounts").forEach(m -> {
        if (m.path("destination").asText().equals("/sys")) assertTrue(texts(m.path("options")).contains("ro"));
        if (m.path("destination").asText().equals("/tmp")) assertEquals("tmpfs", m.path("type").asText());
      });
      assertEquals(b.process().args(), texts(p.path("args")));
      assertTrue(Files.isRegularFile(b.rootfs().resolve("app/service")));
    }
    assertFalse(Files.exists(tmp.resolve("bundle")), "close deletes the bundle");
  }

  @Test
  void rootKeepsRuncsDefaultCapabilitiesAndDefaultsApply() throws Exception {
    Image image = TestImages.of(system(), ContainerConfig.EMPTY.toBuilder().cmd(List.of("/app/service")).env("PATH", "/app").build(), tmp);
    try (Bundle b = Bundle.create(image, tmp.resolve("bundle"), Map.of())) {
      ProcessSpec p = b.process();
      assertEquals(List.of("/app/service"), p.args());
      assertEquals(0, p.uid());
      assertEquals(0, p.gid());
      assertEquals("/", p.cwd());
      assertEquals("/app", p.envValue("PATH"), "the image's PATH is kept");
      assertEquals("/root", p.envValue("HOME"));
      assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"), p.capabilities());
      assertEquals(p.capabilities(), texts(config(b).path("process").path("capabilities").path("bounding")));
    }
  }

  @Test
  void noEntrypointOrCmdIsAnErrorBeforeAnythingIsWritten() throws Exception {
    Image image = TestImages.of(system(), ContainerConfig.EMPTY.toBuilder().user("1000").build(), tmp);
    RunException e = assertThrows(RunException.class, () -> Bundle.create(image, tmp.resolve("bundle"), Map.of()));
    assertEquals("image has no Entrypoint or Cmd: nothing to run", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bundle")));
  }

  @Test
  void unknownUserIsAnErrorAndTheBundleIsRemoved() throws Exception {
    Image image = TestImages.of(system(), TestImages.config(List.of("/app/service"), "nobody"), tmp);
    RunException e = assertThrows(RunException.class, () -> Bundle.create(image, tmp.resolve("bundle"), Map.of()));
    assertEquals("image User 'nobody': user 'nobody' not found in the image's /etc/passwd", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bundle")));
  }

  @Test
  void invalidEnvNameIsRefused() throws Exception {
    Image image = TestImages.of(system(), TestImages.config(List.of("/app/service"), "0"), tmp);
    RunException e = assertThrows(RunException.class, () -> Bundle.create(image, tmp.resolve("bundle"), Map.of("A=B", "c")));
    assertTrue(e.getMessage().startsWith("invalid environment variable"), e.getMessage());
  }

  @Test
  void layersStackWithWhiteouts() throws Exception {
    ReproducibleLayerBuilder upper = new ReproducibleLayerBuilder().whiteout("/app/service")
        .file("/app/new", new byte[] {2}, 0755, 0, 0);
    Image base = TestImages.of(system(), TestImages.config(List.of("/app/new"), ""), tmp);
    Image image = dev.caulk.image.mutate.Mutate.appendLayers(base,
        List.of(upper.build(tmp, dev.caulk.tar.LayerFormat.GZIP).layer()), List.of());
    try (Bundle b = Bundle.create(image, tmp.resolve("bundle"), Map.of())) {
      assertFalse(Files.exists(b.rootfs().resolve("app/service")), "whiteout applied");
      assertTrue(Files.exists(b.rootfs().resolve("app/new")));
      assertTrue(Files.exists(b.rootfs().resolve("etc/passwd")));
    }
  }

  @Test
  void hostileLayerWritesNothingOutside() throws Exception {
    Path outside = tmp.resolve("outside");
    Files.createDirectory(outside);
    ReproducibleLayerBuilder evil = new ReproducibleLayerBuilder().symlink("/escape", outside.toString(), 0, 0);
    ReproducibleLayerBuilder through = new ReproducibleLayerBuilder().file("/escape/pwned", new byte[] {1}, 0644, 0, 0);
    Image base = TestImages.of(evil, TestImages.config(List.of("/x"), ""), tmp);
    Image image = dev.caulk.image.mutate.Mutate.appendLayers(base,
        List.of(through.build(tmp, dev.caulk.tar.LayerFormat.GZIP).layer()), List.of());
    // the builder writes the parent "escape/" as a directory, which replaces the link: a safe result
    try (Bundle b = Bundle.create(image, tmp.resolve("bundle"), Map.of())) {
      assertTrue(Files.isRegularFile(b.rootfs().resolve("escape/pwned")));
      assertFalse(Files.isSymbolicLink(b.rootfs().resolve("escape")));
    } catch (InvalidLayerException e) {
      assertFalse(Files.exists(tmp.resolve("bundle")));
    }
    assertFalse(Files.exists(outside.resolve("pwned")), "nothing written through the link");
  }
}
