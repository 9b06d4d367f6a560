package dev.caulk.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Image;
import dev.caulk.mutate.Mutate;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real images under real runc: the advent example's two services (static and dynamic), probed over
 * HTTP on a free port, plus the failure paths. Skipped without root or runc, except under CI=true.
 */
class ContainerTest {
  @TempDir static Path shared;
  static Map<String, Image> advent;

  @TempDir Path tmp;

  @BeforeAll
  static void build() throws Exception {
    RuncAvailable.assume();
    advent = TestImages.advent(shared.resolve("cache"));
  }

  /** A user namespace's root must walk to the bundle: JUnit's folder is 0700. */
  @BeforeEach
  void searchable() throws java.io.IOException {
    Files.setPosixFilePermissions(
        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
  }

  private Container.Options options(int port) {
    return Container.Options.defaults()
        .withTempDir(tmp)
        .withPort(port)
        .withEnv("PORT", Integer.toString(port));
  }

  private void assertAdventBody(String service, ProbeResult r) {
    assertEquals(200, r.status(), r.toString());
    assertTrue(r.body().contains("service=" + service + " "), r.body());
    assertTrue(r.body().contains("uid=1000 gid=1000"), r.body());
    assertTrue(r.body().matches("(?s).*utc_offset=\\+0[12]:00 .*"), r.body());
    assertTrue(r.body().contains("tz=Europe/Ljubljana"), r.body());
    assertTrue(r.body().contains("ca_bundle=readable"), r.body());
  }

  @Test
  void staticServiceAnswersAsItsUserWithZoneAndCaBundle() throws Exception {
    int port = Ports.freeLoopbackPort();
    ProbeResult r =
        Probe.run(advent.get("stats"), options(port), Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT);
    assertAdventBody("stats", r);
    assertEquals(port, r.port());
    assertTrue(r.outputTail().contains("listening on :" + port + " as uid 1000"), r.outputTail());
    assertFalse(Ports.accepting(port, 200), "container still listening after teardown");
  }

  @Test
  void dynamicServiceRunsWithItsLibraryClosure() throws Exception {
    int port = Ports.freeLoopbackPort();
    assertAdventBody(
        "hello",
        Probe.run(
            advent.get("hello"), options(port), Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT));
  }

  @Test
  void teardownLeavesNothingBehind() throws Exception {
    int port = Ports.freeLoopbackPort();
    Path work;
    String id;
    long pid;
    try (Container c = Container.start(advent.get("stats"), options(port))) {
      id = c.id();
      pid = c.pid();
      work = c.bundle().dir().getParent();
      assertTrue(id.matches("caulk-[0-9a-f]{16}"), id);
      assertEquals(port, c.port().getAsInt());
      assertEquals(List.of("/app/service"), c.process().args());
      assertEquals(1000, c.process().uid());
      ProbeResult r = Probe.check(c, Probe.Check.tcp(), Duration.ofSeconds(10));
      assertEquals(0, r.status());
      assertTrue(c.isRunning());
      assertTrue(Files.isDirectory(work.resolve("state").resolve(id)), "private runc state");
    }
    assertFalse(Files.exists(work), "work dir removed");
    assertEquals(null, ProcStat.of(pid), "process gone");
    assertFalse(Files.exists(Path.of("/run/runc", id)), "nothing in /run/runc");
    assertFalse(Ports.accepting(port, 200));
  }

  @Test
  void namedUserAndGroupResolveThroughTheImagesPasswd() throws Exception {
    int port = Ports.freeLoopbackPort();
    Image stats = advent.get("stats");
    ContainerConfig named =
        stats.config().runConfig().toBuilder().user("www-data:www-data").build();
    ProbeResult r =
        Probe.run(
            Mutate.withConfig(stats, named),
            options(port),
            Probe.Check.http("/"),
            Probe.DEFAULT_TIMEOUT);
    assertTrue(r.body().contains("uid=1000 gid=1000"), r.body());
  }

  @Test
  void processThatExitsFailsTheProbeQuicklyWithItsOutput() throws Exception {
    ReproducibleLayerBuilder layer =
        TestImages.withShell()
            .file(
                "/app/service",
                "#!/bin/sh\necho \"boom: cannot open /etc/app.conf\" >&2\nexit 1\n"
                    .getBytes(StandardCharsets.UTF_8),
                0755,
                0,
                0);
    Image image =
        TestImages.of(layer, TestImages.config(List.of("/app/service"), "1000:1000"), tmp);
    long start = System.nanoTime();
    ProbeException e =
        assertThrows(
            ProbeException.class,
            () ->
                Probe.run(
                    image,
                    options(Ports.freeLoopbackPort()),
                    Probe.Check.http("/"),
                    Probe.DEFAULT_TIMEOUT));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 5000, "took " + ms + " ms");
    assertTrue(e.getMessage().contains("exited before port"), e.getMessage());
    assertTrue(e.getMessage().contains("boom: cannot open /etc/app.conf"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.outputTail().contains("boom"), e.outputTail());
  }

  @ParameterizedTest
  @CsvSource({
    "1000:1000, 0000000000000000, /",
    "0, 0000000000000000, /"
  }) // no /etc/passwd: HOME=/ as in Docker
  void rootfsIsReadOnlyTmpIsWritableAndTheProcessIsConfined(String user, String capEff, String home)
      throws Exception {
    String script =
        "#!/bin/sh\nread -r h < /proc/sys/kernel/hostname\necho cwd=$(pwd) home=$HOME host=$h\n"
            + "echo x > /tmp/x && echo tmp=writable\n(echo x > /app/y) 2>/dev/null || echo rootfs=readonly\n"
            + "while read -r k v; do [ \"$k\" = CapEff: ] && echo capeff=$v; "
            + "[ \"$k\" = NoNewPrivs: ] && echo nnp=$v; done < /proc/self/status\necho done >&2\n";
    ReproducibleLayerBuilder layer =
        TestImages.withShell()
            .file("/app/service", script.getBytes(StandardCharsets.UTF_8), 0755, 0, 0);
    ContainerConfig run =
        TestImages.config(List.of("/app/service"), user).toBuilder()
            .workingDir("/srv/missing")
            .build();
    Container.Options o =
        options(Ports.freeLoopbackPort())
            .withSandbox(Sandbox.defaults().withProbeAsRoot(user.equals("0")));
    try (Container c = Container.start(TestImages.of(layer, run, tmp), o)) {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!c.outputTail(4096).contains("done") && System.nanoTime() < deadline) Thread.sleep(10);
      String out = Files.readString(c.stdoutFile());
      assertTrue(
          out.contains("cwd=/srv/missing home=" + home + " host=" + Bundle.HOSTNAME + "\n"), out);
      assertTrue(out.contains("tmp=writable\n"), out);
      assertTrue(out.contains("rootfs=readonly\n"), out);
      assertTrue(out.contains("capeff=" + capEff + "\n"), out);
      assertTrue(out.contains("nnp=1\n"), out);
    }
  }

  @Test
  void missingEntrypointBinaryIsRefusedBeforeRunc() throws Exception {
    Image image =
        TestImages.of(
            new ReproducibleLayerBuilder().directory("/app", 0755, 0, 0),
            TestImages.config(List.of("/app/missing"), "1000"),
            tmp);
    RunException e =
        assertThrows(
            RunException.class, () -> Container.start(image, options(Ports.freeLoopbackPort())));
    assertEquals(
        "the image's entrypoint '/app/missing' is not an executable file in the image: no such file;"
            + " nothing was run",
        e.getMessage());
    try (var s = Files.list(tmp)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().startsWith("caulk-run-")),
          "work dir cleaned up");
    }
  }

  @Test
  void bareNameIsLookedUpInThePath() throws Exception {
    Image image =
        TestImages.of(
            TestImages.withShell(),
            TestImages.config(List.of("service"), "1000", "PATH=/nowhere:/usr/bin"),
            tmp);
    RunException e =
        assertThrows(
            RunException.class, () -> Container.start(image, options(Ports.freeLoopbackPort())));
    assertEquals(
        "the image's entrypoint 'service' is not an executable file in the image: no executable file of that"
            + " name in the"
            + " PATH '/nowhere:/usr/bin'; nothing was run",
        e.getMessage());
  }

  @Test
  void imageWithoutEntrypointIsRefused() throws Exception {
    Image image = TestImages.of(null, ContainerConfig.EMPTY, tmp);
    RunException e =
        assertThrows(
            RunException.class, () -> Container.start(image, options(Ports.freeLoopbackPort())));
    assertEquals("image has no Entrypoint or Cmd: nothing to run", e.getMessage());
  }

  private Container.Options hostNetwork(int port) {
    return options(port).withSandbox(Sandbox.defaults().withProbeHostNetwork(true));
  }

  @Test
  void withTheHostNetworkAPortAlreadyServedByAnotherProcessIsRefused() throws Exception {
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = other.getLocalPort();
      RunException e =
          assertThrows(
              RunException.class, () -> Container.start(advent.get("stats"), hostNetwork(port)));
      assertTrue(
          e.getMessage().contains("port " + port + " on 127.0.0.1 is already in use"),
          e.getMessage());
      // in its own network namespace, the host's port is no concern
      assertAdventBody(
          "stats",
          Probe.run(
              advent.get("stats"), options(port), Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT));
    }
  }

  @Test
  void inTheirOwnNetworkNamespacesTwoContainersUseTheSamePortAtOnce() throws Exception {
    int port = Ports.freeLoopbackPort();
    try (Container first = Container.start(advent.get("stats"), options(port));
        Container second = Container.start(advent.get("hello"), options(port))) {
      assertAdventBody("stats", Probe.check(first, Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT));
      assertAdventBody("hello", Probe.check(second, Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT));
      assertFalse(Ports.accepting(port, 200), "nothing listens on the host's port");
    }
  }

  @Test
  void withTheHostNetworkASecondContainerOnTheSamePortWaitsForTheFirst() throws Exception {
    int port = Ports.freeLoopbackPort();
    Container.Options second = hostNetwork(port).withLockTimeout(Duration.ofMillis(300));
    try (Container first = Container.start(advent.get("stats"), hostNetwork(port))) {
      RunException e =
          assertThrows(RunException.class, () -> Container.start(advent.get("hello"), second));
      assertTrue(e.getMessage().contains("another caulk container"), e.getMessage());
      assertTrue(first.isRunning());
    }
    assertAdventBody(
        "hello",
        Probe.run(advent.get("hello"), second, Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT));
  }

  /** Without PORT, each example image answers on its exposed port 3000, as the recipe's did. */
  @Test
  void exposedPortIsTheDefault() throws Exception {
    try (Container c =
        Container.start(
            advent.get("stats"),
            Container.Options.defaults()
                .withTempDir(tmp)
                .withLockTimeout(Duration.ofSeconds(30)))) {
      assertEquals(3000, c.port().getAsInt());
      assertAdventBody("stats", Probe.check(c, Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT));
    } catch (RunException e) {
      // something else on this machine serves 3000: the refusal is the documented behaviour
      assertTrue(e.getMessage().contains("port 3000"), e.getMessage());
    }
  }
}
