package dev.caulk.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox is effective, not only written down: a static C program (sandbox-probe.c, built with
 * gcc) reports from inside what it is and what it may do, and the host side checks the container's
 * uid and cgroup files. Skipped without root or runc, except under CI=true.
 */
class SandboxTest {
  @TempDir static Path shared;
  static byte[] probe;

  @TempDir Path tmp;

  @BeforeAll
  static void compile() throws Exception {
    RuncAvailable.assume();
    Path src = shared.resolve("sandbox-probe.c");
    try (InputStream in = SandboxTest.class.getResourceAsStream("sandbox-probe.c")) {
      Files.write(src, in.readAllBytes());
    }
    Path bin = shared.resolve("sandbox-probe");
    Process gcc =
        new ProcessBuilder("gcc", "-static", "-O1", "-o", bin.toString(), src.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + out);
    probe = Files.readAllBytes(bin);
  }

  /**
   * A user namespace's root must walk to the bundle: the per-test folder is made searchable (JUnit
   * makes it 0700).
   */
  @BeforeEach
  void searchable() throws IOException {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
  }

  private Image image(String user, String... args) throws IOException {
    ReproducibleLayerBuilder layer =
        new ReproducibleLayerBuilder()
            .file(
                "/etc/passwd",
                "root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000::/home/app:/sbin/nologin\n"
                    .getBytes(StandardCharsets.UTF_8),
                0644,
                0,
                0)
            .file(
                "/etc/group",
                "root:x:0:\napp:x:1000:\n".getBytes(StandardCharsets.UTF_8),
                0644,
                0,
                0)
            .file("/app/probe", probe, 0755, 0, 0)
            .file("/app/config", "not a program\n".getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    List<String> entrypoint = new ArrayList<>(List.of("/app/probe"));
    entrypoint.addAll(List.of(args));
    return TestImages.of(layer, TestImages.config(entrypoint, user), tmp);
  }

  private Container.Options options(Sandbox sandbox) {
    return Container.Options.defaults().withTempDir(tmp).withSandbox(sandbox);
  }

  /** Waits until the program prints {@code done} (or exits) and returns its stdout. */
  private static String output(Container c) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String out = Files.readString(c.stdoutFile());
      if (out.contains("done\n") || !c.isRunning()) return Files.readString(c.stdoutFile());
      Thread.sleep(10);
    }
    throw new AssertionError("no output within 20 s: " + c.outputTail(4096));
  }

  private static String hostStatus(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key)) return line.substring(key.length()).strip();
    }
    throw new AssertionError(key + " not in /proc/" + pid + "/status");
  }

  private static boolean userNamespacesAvailable() {
    return UserNamespaces.kernelRefusal(
            UserNamespaces.MAX_USER_NAMESPACES, UserNamespaces.UNPRIVILEGED_CLONE, true)
        == null;
  }

  @Test
  void runsAsTheImagesUserInAUserNamespaceWithNoPrivilegesAndAReadOnlyRoot() throws Exception {
    try (Container c = Container.start(image("app", "id"), options(Sandbox.defaults()))) {
      String out = output(c);
      assertTrue(out.contains("uid=1000 gid=1000\n"), out);
      assertTrue(out.contains("CapEff:\t0000000000000000\n"), out);
      assertTrue(out.contains("NoNewPrivs:\t1\n"), out);
      assertTrue(out.contains("Seccomp:\t2\n"), "a seccomp filter: " + out);
      assertTrue(out.contains("root_write=Read-only file system\n"), out);
      if (userNamespacesAvailable()) {
        long base = c.userNamespaceBase().orElseThrow();
        assertTrue(base >= IdMap.LOWEST_BASE, "high host ids: " + base);
        assertTrue(out.matches("(?s).*uid_map=\\s+0\\s+" + base + "\\s+65536\n.*"), out);
        assertTrue(
            hostStatus(c.pid(), "Uid:").startsWith(Long.toString(base + 1000)),
            "seen from the host, uid 1000 is base+1000");
      } else {
        assertTrue(c.userNamespaceBase().isEmpty());
        assertTrue(hostStatus(c.pid(), "Uid:").startsWith("1000"));
      }
    }
  }

  @Test
  void anUnsearchableTempFolderMeansNoUserNamespaceAndOneWarning() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    List<String> warnings = new ArrayList<>();
    EventListener listener =
        e -> {
          if (e instanceof Event.Log l && l.level() == Event.Level.WARN) warnings.add(l.message());
        };
    try (Container c =
        Container.start(image("1000", "id"), options(Sandbox.defaults()).withListener(listener))) {
      assertTrue(output(c).contains("uid=1000 gid=1000\n"));
      assertTrue(c.userNamespaceBase().isEmpty());
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(
          warnings
              .get(0)
              .startsWith("probe: no user namespace (" + tmp + " is not searchable by other users"),
          warnings.get(0));
    }
  }

  @Test
  void rootIsRefusedByDefaultAndRunsWithoutCapabilitiesWhenAllowed() throws Exception {
    RunException unset =
        assertThrows(
            RunException.class,
            () -> Container.start(image("", "id"), options(Sandbox.defaults())));
    assertEquals(
        "the image sets no User: the probe does not run images as root; set a non-root USER in the image,"
            + " or allow it"
            + " with --probe-as-root",
        unset.getMessage());
    RunException named =
        assertThrows(
            RunException.class,
            () -> Container.start(image("root", "id"), options(Sandbox.defaults())));
    String expected =
        "the image runs as User 'root' (uid 0): the probe does not run images as root";
    assertTrue(named.getMessage().startsWith(expected), named.getMessage());
    try (var s = Files.list(tmp)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().startsWith("caulk-run-")),
          "nothing left behind");
    }
    try (Container c =
        Container.start(image("root", "id"), options(Sandbox.defaults().withProbeAsRoot(true)))) {
      String out = output(c);
      assertTrue(out.contains("uid=0 gid=0\n"), out);
      assertTrue(out.contains("CapEff:\t0000000000000000\n"), "root keeps no capability: " + out);
      if (userNamespacesAvailable()) {
        assertTrue(
            hostStatus(c.pid(), "Uid:")
                .startsWith(Long.toString(c.userNamespaceBase().orElseThrow())),
            "root is nobody on the host");
      }
    }
  }

  @Test
  void dangerousSystemCallsFail() throws Exception {
    try (Container c = Container.start(image("app", "seccomp"), options(Sandbox.defaults()))) {
      String out = output(c);
      assertTrue(out.contains("ptrace=-1 errno=1\n"), out);
      assertTrue(out.contains("keyctl=fail errno=1\n"), out);
      assertTrue(out.contains("unshare=-1 errno=1\n"), out);
      assertTrue(
          out.contains("clone3 errno=38\n"), "ENOSYS, so that libc falls back to clone: " + out);
      assertTrue(out.contains("getpid=ok\n"), out);
    }
  }

  @Test
  void aForkBombStopsAtThePidsLimit() throws Exception {
    try (Container c =
        Container.start(image("app", "forks"), options(Sandbox.defaults().withPids(24)))) {
      String out = output(c);
      Matcher m = Pattern.compile("forks=(\\d+) errno=(\\d+)").matcher(out);
      assertTrue(m.find(), out);
      assertTrue(Integer.parseInt(m.group(1)) < 24, out);
      assertEquals("11", m.group(2), "EAGAIN: " + out);
      assertEquals("24", cgroupValue(c.pid(), "pids", "pids.max", "pids.max"));
    }
  }

  @Test
  void memoryBeyondTheLimitKillsTheProcess() throws Exception {
    try (Container c =
        Container.start(
            image("app", "memory"), options(Sandbox.defaults().withMemoryBytes(24L << 20)))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (c.isRunning() && System.nanoTime() < deadline) Thread.sleep(20);
      assertFalse(c.isRunning(), "the process was not stopped at the limit");
      String out = Files.readString(c.stdoutFile());
      Matcher m = Pattern.compile("mb=(\\d+)\n(?!.*mb=)", Pattern.DOTALL).matcher(out);
      assertTrue(m.find(), out);
      assertTrue(Integer.parseInt(m.group(1)) < 24, "stopped below 24 MiB: " + m.group(1));
      assertFalse(out.contains("done"), out);
    }
  }

  @Test
  void cgroupLimitsAreInForce() throws Exception {
    try (Container c = Container.start(image("app", "id"), options(Sandbox.defaults()))) {
      output(c);
      assertEquals(
          Long.toString(Sandbox.DEFAULT_MEMORY),
          cgroupValue(c.pid(), "memory", "memory.limit_in_bytes", "memory.max"));
      assertEquals(
          Integer.toString(Sandbox.DEFAULT_PIDS),
          cgroupValue(c.pid(), "pids", "pids.max", "pids.max"));
      String cpu = cgroupValue(c.pid(), "cpu", "cpu.cfs_quota_us", "cpu.max");
      assertTrue(cpu.equals("100000") || cpu.equals("100000 100000"), "one CPU: " + cpu);
    }
  }

  @Test
  void theProcessCannotReachTheHostsLoopbackUnlessTheHostNetworkIsShared() throws Exception {
    try (ServerSocket host = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accept =
          new Thread(
              () -> {
                while (!host.isClosed()) {
                  try (Socket s = host.accept()) {
                    s.getOutputStream().write('x');
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      accept.setDaemon(true);
      accept.start();
      String port = Integer.toString(host.getLocalPort());
      try (Container c =
          Container.start(image("app", "connect", port), options(Sandbox.defaults()))) {
        assertTrue(
            output(c).contains("connect=-1 errno=111\n"),
            "refused: nothing listens in the container's namespace");
      }
      try (Container c =
          Container.start(
              image("app", "connect", port),
              options(Sandbox.defaults().withProbeHostNetwork(true)))) {
        assertTrue(
            output(c).contains("connect=0 errno=0\n"),
            "the host network reaches the host's loopback");
      }
    }
  }

  @Test
  void anEntrypointThatIsNotAnExecutableFileIsRefusedWithoutStartingRunc() throws Exception {
    Path marker = tmp.resolve("runc-was-run");
    Path fakeRunc = tmp.resolve("fake-runc");
    Files.writeString(fakeRunc, "#!/bin/sh\ntouch " + marker + "\nexit 1\n");
    Files.setPosixFilePermissions(fakeRunc, PosixFilePermissions.fromString("rwxr-xr-x"));
    Container.Options o = options(Sandbox.defaults()).withRunc(fakeRunc);
    Image config =
        TestImages.of(
            new ReproducibleLayerBuilder().file("/app/config", new byte[] {1}, 0644, 0, 0),
            TestImages.config(List.of("/app/config"), "1000"),
            tmp);
    RunException e = assertThrows(RunException.class, () -> Container.start(config, o));
    assertEquals(
        "the image's entrypoint '/app/config' is not an executable file in the image: mode 0644,"
            + " no execute bit;"
            + " nothing was run",
        e.getMessage());
    Image dir =
        TestImages.of(
            new ReproducibleLayerBuilder().directory("/app", 0755, 0, 0),
            TestImages.config(List.of("/app"), "1000"),
            tmp);
    e = assertThrows(RunException.class, () -> Container.start(dir, o));
    assertTrue(
        e.getMessage().contains("'/app' is not an executable file in the image: a directory;"),
        e.getMessage());
    assertFalse(Files.exists(marker), "runc was never started");
    try (var s = Files.list(tmp)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().startsWith("caulk-run-")),
          "nothing left behind");
    }
  }

  /**
   * A cgroup file of the container's process: cgroup v1's controller folder, else the unified v2
   * folder.
   */
  static String cgroupValue(long pid, String controller, String v1File, String v2File)
      throws IOException {
    String unified = null;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
      String[] f = line.split(":", 3);
      if (f.length < 3) continue;
      if (f[0].equals("0") && f[1].isEmpty()) unified = f[2];
      for (String c : f[1].split(",")) {
        if (c.equals(controller)) {
          Path p = Path.of("/sys/fs/cgroup", f[1], f[2], v1File);
          if (Files.exists(p)) return Files.readString(p).strip();
        }
      }
    }
    if (unified != null) {
      Path p = Path.of("/sys/fs/cgroup", unified, v2File);
      if (Files.exists(p)) return Files.readString(p).strip();
    }
    throw new AssertionError("no " + v1File + " or " + v2File + " for pid " + pid);
  }
}
