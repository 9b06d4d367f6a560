package dev.caulk.run;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the {@link NetnsRelay} of one container: {@code nsenter --net=/proc/PID/ns/net}
 * runs a small JVM (this JVM's {@code java}, the class's own code location as class path) that
 * listens on {@code relay.sock} in the container's private directory. Needs root (nsenter) and
 * nsenter from util-linux.
 */
final class RelayProcess implements AutoCloseable {
  static final String NSENTER_NOT_FOUND =
      "nsenter not found: install util-linux to probe an image in its own network"
          + " namespace, or share the host network with --probe-host-network";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> SBIN =
      List.of("/usr/bin/nsenter", "/usr/sbin/nsenter", "/bin/nsenter", "/sbin/nsenter");

  private final Process process;
  private final Path socket;

  private RelayProcess(Process process, Path socket) {
    this.process = process;
    this.socket = socket;
  }

  /** nsenter on the PATH, else in the usual folders. */
  static Path locateNsenter(String pathEnv) throws RunException {
    List<Path> candidates = new ArrayList<>();
    if (pathEnv != null) {
      for (String d : pathEnv.split(File.pathSeparator)) {
        if (d.startsWith("/")) candidates.add(Path.of(d, "nsenter"));
      }
    }
    for (String s : SBIN) candidates.add(Path.of(s));
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
    }
    throw new RunException(NSENTER_NOT_FOUND);
  }

  /**
   * Starts the relay into the network namespace of process {@code pid} and waits until it listens.
   *
   * @param dir the container's private directory (the socket and the relay's log go there)
   */
  static RelayProcess start(Path nsenter, long pid, int port, Path dir) throws IOException {
    Path socket = dir.resolve("relay.sock");
    Path log = dir.resolve("relay.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd =
        List.of(
            nsenter.toString(),
            "--net=/proc/" + pid + "/ns/net",
            "--",
            java.toString(),
            "-Xmx24m",
            "-Xss512k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Xshare:auto",
            "-cp",
            classPath(),
            NetnsRelay.class.getName(),
            socket.toString(),
            Integer.toString(port));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RelayProcess r = new RelayProcess(p, socket);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try {
      while (!OutputTail.read(log, 4096).contains(NetnsRelay.READY)) {
        if (!p.isAlive()) {
          throw new RunException(
              "the probe's relay into the container's network namespace did not start: "
                  + Runc.errorMessage(OutputTail.read(log, 4096) + "\n")
                  + " (exit code "
                  + p.exitValue()
                  + ")");
        }
        if (System.nanoTime() > deadline) {
          throw new RunException(
              "the probe's relay into the container's network namespace did not start within "
                  + READY_TIMEOUT.toSeconds()
                  + " s");
        }
        Thread.sleep(5);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      r.close();
      throw new RunException("interrupted while starting the probe's relay");
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /**
   * The class path holding {@link NetnsRelay}: its code source (a jar or a classes folder), else
   * this JVM's.
   */
  private static String classPath() {
    CodeSource cs = NetnsRelay.class.getProtectionDomain().getCodeSource();
    if (cs != null && cs.getLocation() != null) {
      try {
        return Path.of(cs.getLocation().toURI()).toString();
      } catch (URISyntaxException | IllegalArgumentException e) {
        // not a file: fall back to the class path
      }
    }
    return System.getProperty("java.class.path");
  }

  /** How the probe reaches the port. */
  Endpoint endpoint() {
    return new Endpoint.Relay(socket);
  }

  /** Stops the relay (closing its input ends it; then SIGKILL). */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // it is being stopped anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
