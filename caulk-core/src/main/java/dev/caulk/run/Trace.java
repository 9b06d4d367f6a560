package dev.caulk.run;

import dev.caulk.image.Image;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A container started under {@code strace -f}: SlimToolkit's dynamic analysis (build.md §5.1: its
 * sensor records every file the application touches) without a daemon or a privileged sensor. The
 * container is created ({@code runc create}), strace attaches to its init process while that waits
 * to exec, then {@code runc start} lets it exec the entrypoint: everything the program and its
 * children do from its first instruction on is seen, and nothing of runc's own setup counts.
 *
 * <p>Use it like a {@link Container} (probe {@link #container()}), {@link #close()} it, then read
 * {@link #paths(String)}. Needs root, runc and strace.
 */
public final class Trace implements AutoCloseable {
  static final String NOT_FOUND =
      "strace not found: install the strace package (apt-get install strace) to use --trace";
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RUNC_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final Process[] strace;
  private final Container container;
  private boolean closed;

  private Trace(Path dir, Process[] strace, Container container) {
    this.dir = dir;
    this.strace = strace;
    this.container = container;
  }

  /**
   * Starts {@code image} traced.
   *
   * @throws RunException when strace or runc is missing, this is not root, or strace cannot attach
   */
  public static Trace start(Image image, Container.Options options) throws IOException {
    Path straceBinary = locate(System.getenv("PATH"));
    Path parent =
        options.tempDir() != null
            ? options.tempDir()
            : Path.of(System.getProperty("java.io.tmpdir"));
    Path dir = Files.createTempDirectory(parent, "caulk-trace-");
    Process[] holder = new Process[1];
    try {
      Container c =
          Container.start(
              image,
              options,
              (runc, id, bundleDir, pidFile, stdout, stderr) -> {
                int code =
                    runc.runDetached(
                        runc.command(
                            "create",
                            "--pid-file",
                            pidFile.toString(),
                            "--bundle",
                            bundleDir.toString(),
                            id),
                        stdout,
                        stderr,
                        RUNC_TIMEOUT);
                if (code != 0) return code;
                String pid = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
                Path log = dir.resolve("strace.log");
                holder[0] =
                    new ProcessBuilder(
                            straceBinary.toString(),
                            "-f",
                            "-ff",
                            "-ttt",
                            "-z",
                            "-s",
                            "4096",
                            "-e",
                            "trace=%file,chdir,fchdir",
                            "-e",
                            "signal=none",
                            "-o",
                            dir.resolve("trace").toString(),
                            "-p",
                            pid)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                awaitAttach(holder[0], log);
                Runc.Result r = runc.exec(RUNC_TIMEOUT, "start", id);
                if (r.exitCode() != 0)
                  throw new RunException(
                      "runc start " + id + " failed: " + Runc.errorMessage(r.output()));
                return 0;
              });
      return new Trace(dir, holder, c);
    } catch (IOException | RuntimeException e) {
      if (holder[0] != null) holder[0].destroyForcibly();
      Trees.delete(dir);
      throw e;
    }
  }

  /** The strace binary: on the PATH, else in /usr/bin. */
  static Path locate(String pathEnv) throws RunException {
    List<Path> candidates = new ArrayList<>();
    if (pathEnv != null) {
      for (String d : pathEnv.split(File.pathSeparator)) {
        if (d.startsWith("/")) candidates.add(Path.of(d, "strace"));
      }
    }
    candidates.add(Path.of("/usr/bin/strace"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
    }
    throw new RunException(NOT_FOUND);
  }

  private static void awaitAttach(Process p, Path log) throws IOException {
    long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
    while (true) {
      String out = OutputTail.read(log, 16 * 1024);
      if (out.contains("attached")) return;
      if (!p.isAlive())
        throw new RunException("strace could not attach: " + OutputTail.clean(out.strip()));
      if (System.nanoTime() > deadline)
        throw new RunException("strace did not attach within " + ATTACH_TIMEOUT.toSeconds() + " s");
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunException("interrupted while waiting for strace");
      }
    }
  }

  /** The traced container: probe it as any other. */
  public Container container() {
    return container;
  }

  /**
   * Every path the program and its children used successfully, from the entrypoint's exec on: the
   * files they opened, executed, stat'ed or read links of, absolute inside the container, sorted;
   * {@code /proc}, {@code /sys} and {@code /dev} left out (the runtime provides those). Call after
   * {@link #close()}.
   *
   * @param workDir the container's working directory, for relative paths
   */
  public List<String> paths(String workDir) throws IOException {
    if (!closed) throw new IllegalStateException("close the trace first");
    return StraceLog.paths(dir, "trace", workDir == null || workDir.isEmpty() ? "/" : workDir);
  }

  /** Stops the container, waits for strace to finish writing and releases the port. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      container.close();
    } finally {
      Process p = strace[0];
      if (p != null) {
        try {
          if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
        }
      }
    }
  }

  /** Deletes the trace files; {@link #paths} no longer works afterwards. */
  public void delete() throws IOException {
    Trees.delete(dir);
  }
}
