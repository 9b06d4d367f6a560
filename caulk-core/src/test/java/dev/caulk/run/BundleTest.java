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
        .file(
            "/etc/passwd",
            "root:x:0:0:root:/root:/sbin/nologin\nwww-data:x:1000:1000::/home/www-data:/sbin/nologin\n"
                .getBytes(StandardCharsets.UTF_8),
            0644,
            0,
            0)
        .file(
            "/etc/group",
            "root:x:0:\nwww-data:x:1000:\n".getBytes(StandardCharsets.UTF_8),
            0644,
            0,
            0)
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
    ContainerConfig run =
        ContainerConfig.EMPTY.toBuilder()
            .entrypoint(List.of("/app/service", "--serve"))
            .cmd(List.of("--verbose"))
            .user("www-data")
            .workingDir("/app")
            .env("TZ", "Europe/Ljubljana")
            .env("PORT", "3000")
            .build();
    Image image = TestImages.of(system(), run, tmp);
    try (Bundle b =
        Bundle.create(image, tmp.resolve("bundle"), Map.of("PORT", "4711", "EXTRA", "1"))) {
      JsonNode c = config(b);
      assertEquals("1.0.2", c.path("ociVersion").asText());
      JsonNode p = c.path("process");
      assertFalse(p.path("terminal").asBoolean(true));
      assertEquals(List.of("/app/service", "--serve", "--verbose"), texts(p.path("args")));
      assertEquals(
          List.of(
              "TZ=Europe/Ljubljana",
              "PORT=4711",
              "EXTRA=1",
              "PATH=" + Bundle.DEFAULT_PATH,
              "HOME=/home/www-data"),
          texts(p.path("env")));
      assertEquals("/app", p.path("cwd").asText());
      assertEquals(1000, p.path("user").path("uid").asInt());
      assertEquals(1000, p.path("user").path("gid").asInt());
      assertTrue(p.path("noNewPrivileges").asBoolean());
      for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
        assertEquals(
            List.of(),
            texts(p.path("capabilities").path(set)),
            "non-root keeps no capabilities: " + set);
      }
      assertEquals("rootfs", c.path("root").path("path").asText());
      assertTrue(c.path("root").path("readonly").asBoolean());
      assertEquals(Bundle.HOSTNAME, c.path("hostname").asText());
      JsonNode linux = c.path("linux");
      assertEquals(
          List.of("pid", "ipc", "uts", "mount", "network"),
          texts(linux.path("namespaces")),
          "own network, no user ns here");
      assertEquals(
          "0",
          linux.path("sysctl").path("net.ipv4.ip_unprivileged_port_start").asText(),
          "port 80 without a capability");
      JsonNode res = linux.path("resources");
      assertEquals(512L << 20, res.path("memory").path("limit").asLong());
      assertEquals(256, res.path("pids").path("limit").asInt());
      assertEquals(100_000, res.path("cpu").path("quota").asLong());
      assertEquals(100_000, res.path("cpu").path("period").asLong());
      assertFalse(res.path("devices").get(0).path("allow").asBoolean(true));
      JsonNode seccomp = linux.path("seccomp");
      assertEquals("SCMP_ACT_ALLOW", seccomp.path("defaultAction").asText());
      assertTrue(texts(seccomp.path("architectures")).contains("SCMP_ARCH_X86_64"));
      JsonNode denied = seccomp.path("syscalls").get(0);
      assertEquals("SCMP_ACT_ERRNO", denied.path("action").asText());
      assertEquals(1, denied.path("errnoRet").asInt());
      for (String call :
          List.of(
              "mount",
              "unshare",
              "setns",
              "ptrace",
              "keyctl",
              "bpf",
              "init_module",
              "kexec_load",
              "reboot")) {
        assertTrue(texts(denied.path("names")).contains(call), call);
      }
      List<String> cloneRules = new ArrayList<>();
      seccomp
          .path("syscalls")
          .forEach(
              r -> {
                if (texts(r.path("names")).equals(List.of("clone")))
                  cloneRules.add(r.path("args").get(0).path("op").asText());
                if (texts(r.path("names")).equals(List.of("clone3")))
                  assertEquals(38, r.path("errnoRet").asInt());
              });
      assertEquals(8, cloneRules.size(), "one rule per namespace flag");
      assertFalse(c.path("linux").has("uidMappings"));
      List<String> dests = new ArrayList<>();
      c.path("mounts").forEach(m -> dests.add(m.path("destination").asText()));
      assertEquals(
          List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/tmp"), dests);
      c.path("mounts")
          .forEach(
              m -> {
                if (m.path("destination").asText().equals("/sys"))
                  assertTrue(texts(m.path("options")).contains("ro"));
                if (m.path("destination").asText().equals("/tmp"))
                  assertEquals("tmpfs", m.path("type").asText());
              });
      assertEquals(b.process().args(), texts(p.path("args")));
      assertTrue(Files.isRegularFile(b.rootfs().resolve("app/service")));
    }
    assertFalse(Files.exists(tmp.resolve("bundle")), "close deletes the bundle");
  }

  @Test
  void rootIsRefusedByDefault() throws Exception {
    Image image =
        TestImages.of(
            system(), ContainerConfig.EMPTY.toBuilder().cmd(List.of("/app/service")).build(), tmp);
    RunException e =
        assertThrows(
            RunException.class, () -> Bundle.create(image, tmp.resolve("bundle"), Map.of()));
    assertTrue(
        e.getMessage().startsWith("the image sets no User: the probe does not run images as root"),
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bundle")), "refused before anything is unpacked");
  }

  @Test
  void rootWhenAllowedKeepsNoCapabilityUnlessGivenAndDefaultsApply() throws Exception {
    Image image =
        TestImages.of(
            system(),
            ContainerConfig.EMPTY.toBuilder()
                .cmd(List.of("/app/service"))
                .env("PATH", "/app")
                .build(),
            tmp);
    try (Bundle b =
        Bundle.create(
            image, tmp.resolve("bundle"), Map.of(), Sandbox.defaults().withProbeAsRoot(true))) {
      assertEquals(List.of(), b.process().capabilities());
    }
    Sandbox withCap =
        Sandbox.defaults().withProbeAsRoot(true).withCapabilities(List.of("NET_BIND_SERVICE"));
    try (Bundle b = Bundle.create(image, tmp.resolve("bundle"), Map.of(), withCap)) {
      ProcessSpec p = b.process();
      assertEquals(List.of("/app/service"), p.args());
      assertEquals(0, p.uid());
      assertEquals(0, p.gid());
      assertEquals("/", p.cwd());
      assertEquals("/app", p.envValue("PATH"), "the image's PATH is kept");
      assertEquals("/root", p.envValue("HOME"));
      assertEquals(List.of("CAP_NET_BIND_SERVICE"), p.capabilities());
      assertEquals(
          p.capabilities(), texts(config(b).path("process").path("capabilities").path("bounding")));
    }
  }

  @Test
  void noEntrypointOrCmdIsAnErrorBeforeAnythingIsWritten() throws Exception {
    Image image =
        TestImages.of(system(), ContainerConfig.EMPTY.toBuilder().user("1000").build(), tmp);
    RunException e =
        assertThrows(
            RunException.class, () -> Bundle.create(image, tmp.resolve("bundle"), Map.of()));
    assertEquals("image has no Entrypoint or Cmd: nothing to run", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bundle")));
  }

  @Test
  void unknownUserIsAnErrorAndTheBundleIsRemoved() throws Exception {
    Image image =
        TestImages.of(system(), TestImages.config(List.of("/app/service"), "nobody"), tmp);
    RunException e =
        assertThrows(
            RunException.class, () -> Bundle.create(image, tmp.resolve("bundle"), Map.of()));
    assertEquals(
        "image User 'nobody': user 'nobody' not found in the image's /etc/passwd", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bundle")));
  }

  @Test
  void invalidEnvNameIsRefused() throws Exception {
    Image image = TestImages.of(system(), TestImages.config(List.of("/app/service"), "0"), tmp);
    RunException e =
        assertThrows(
            RunException.class,
            () -> Bundle.create(image, tmp.resolve("bundle"), Map.of("A=B", "c")));
    assertTrue(e.getMessage().startsWith("invalid environment variable"), e.getMessage());
  }

  @Test
  void layersStackWithWhiteouts() throws Exception {
    ReproducibleLayerBuilder upper =
        new ReproducibleLayerBuilder()
            .whiteout("/app/service")
            .file("/app/new", new byte[] {2}, 0755, 0, 0);
    Image base = TestImages.of(system(), TestImages.config(List.of("/app/new"), "1000"), tmp);
    Image image =
        dev.caulk.mutate.Mutate.appendLayers(
            base, List.of(upper.build(tmp, dev.caulk.tar.LayerFormat.GZIP).layer()), List.of());
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
    ReproducibleLayerBuilder evil =
        new ReproducibleLayerBuilder().symlink("/escape", outside.toString(), 0, 0);
    ReproducibleLayerBuilder through =
        new ReproducibleLayerBuilder().file("/escape/pwned", new byte[] {1}, 0644, 0, 0);
    Image base = TestImages.of(evil, TestImages.config(List.of("/x"), "1000"), tmp);
    Image image =
        dev.caulk.mutate.Mutate.appendLayers(
            base, List.of(through.build(tmp, dev.caulk.tar.LayerFormat.GZIP).layer()), List.of());
    // the builder writes the parent "escape/" as a directory, which replaces the link: a safe
    // result
    Image runnable =
        dev.caulk.mutate.Mutate.withConfig(
            image, TestImages.config(List.of("/escape/pwned"), "1000"));
    try (Bundle b = Bundle.create(runnable, tmp.resolve("bundle"), Map.of())) {
      throw new AssertionError("/escape/pwned is not executable: " + b.dir());
    } catch (RunException e) {
      assertTrue(
          e.getMessage()
              .contains("'/escape/pwned' is not an executable file in the image: mode 0644"),
          e.getMessage());
      assertFalse(Files.exists(tmp.resolve("bundle")));
    } catch (InvalidLayerException e) {
      assertFalse(Files.exists(tmp.resolve("bundle")));
    }
    assertFalse(Files.exists(outside.resolve("pwned")), "nothing written through the link");
  }

  @Test
  void userNamespaceMapsHighHostIdsAndShiftsTheRootfsOwners() throws Exception {
    Image image =
        TestImages.of(system(), TestImages.config(List.of("/app/service"), "www-data"), tmp);
    try (Bundle b =
        Bundle.create(image, tmp.resolve("bundle"), Map.of(), Sandbox.defaults(), true)) {
      IdMap ids = b.ids();
      assertTrue(
          ids.hostBase() >= IdMap.LOWEST_BASE && ids.hostBase() % IdMap.MIN_SIZE == 0,
          ids.toString());
      assertEquals(IdMap.MIN_SIZE, ids.size());
      JsonNode linux = config(b).path("linux");
      for (String m : List.of("uidMappings", "gidMappings")) {
        assertEquals(0, linux.path(m).get(0).path("containerID").asLong());
        assertEquals(ids.hostBase(), linux.path(m).get(0).path("hostID").asLong());
        assertEquals(65536, linux.path(m).get(0).path("size").asLong());
      }
      assertTrue(texts(linux.path("namespaces")).contains("user"));
      assertEquals(
          1000,
          config(b).path("process").path("user").path("uid").asInt(),
          "the process's uid is the container's");
      if (RootCheck.isRoot()) {
        Path service = b.rootfs().resolve("app/service");
        assertEquals(
            (int) ids.hostBase(),
            Files.getAttribute(service, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals((int) ids.hostBase(), Files.getAttribute(b.rootfs(), "unix:uid"));
      }
    }
  }

  @Test
  void hostNetworkHasNoNetworkNamespaceAndWithAUserNamespaceBindsSys() throws Exception {
    Image image = TestImages.of(system(), TestImages.config(List.of("/app/service"), "1000"), tmp);
    Sandbox host =
        Sandbox.defaults()
            .withProbeHostNetwork(true)
            .withMemoryBytes(0)
            .withPids(0)
            .withCpuMillis(0);
    try (Bundle b = Bundle.create(image, tmp.resolve("bundle"), Map.of(), host, true)) {
      JsonNode c = config(b);
      assertEquals(
          List.of("pid", "ipc", "uts", "mount", "user"), texts(c.path("linux").path("namespaces")));
      assertFalse(
          c.path("linux").has("sysctl"), "the host's sysctls are not the container's to set");
      assertFalse(c.path("linux").path("resources").has("memory"), "0: no limit");
      assertFalse(c.path("linux").path("resources").has("pids"));
      assertFalse(c.path("linux").path("resources").has("cpu"));
      c.path("mounts")
          .forEach(
              m -> {
                if (m.path("destination").asText().equals("/sys")) {
                  assertEquals("/sys", m.path("source").asText());
                  assertTrue(texts(m.path("options")).containsAll(List.of("rbind", "ro")));
                }
              });
    }
  }

  @Test
  void entrypointChecks() throws Exception {
    ReproducibleLayerBuilder layer =
        system()
            .symlink("/usr/bin/run", "/app/service", 0, 0)
            .file("/app/data", new byte[] {1}, 0640, 0, 0)
            .symlink("/app/loop", "/app/loop", 0, 0);
    for (String ok : List.of("/app/service", "run", "../app/service", "/usr/bin/run")) {
      Image image =
          TestImages.of(
              layer, TestImages.config(List.of(ok), "1000", "PATH=/nowhere:/usr/bin"), tmp);
      try (Bundle b = Bundle.create(image, tmp.resolve("bundle"), Map.of())) {
        assertEquals(ok, b.process().args().get(0));
      }
    }
    for (String[] bad :
        new String[][] {
          {"/app/data", "mode 0640, no execute bit"},
          {"data", "no executable file of that name"},
          {"/app", "a directory"},
          {"/app/service/x", "no such file"}
        }) {
      Image image =
          TestImages.of(layer, TestImages.config(List.of(bad[0]), "1000", "PATH=/app"), tmp);
      RunException e =
          assertThrows(
              RunException.class, () -> Bundle.create(image, tmp.resolve("bundle"), Map.of()));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the image's entrypoint '"
                      + bad[0]
                      + "' is not an executable file in the image: "
                      + bad[1]),
          e.getMessage());
      assertFalse(Files.exists(tmp.resolve("bundle")));
    }
    Image loop = TestImages.of(layer, TestImages.config(List.of("/app/loop"), "1000"), tmp);
    RunException e =
        assertThrows(
            RunException.class, () -> Bundle.create(loop, tmp.resolve("bundle"), Map.of()));
    assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
  }
}
