package dev.caulk.run;

import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An image running under runc, daemonless: {@link #start} unpacks a {@link Bundle} into a private
 * temporary directory and runs {@code runc run --detach} with a unique id ({@code caulk-<hex>}) and
 * {@code --root} in that directory, so no state leaks into /run/runc; the process's stdout and
 * stderr go to files there. {@link #close()} stops it (the image's StopSignal, else SIGTERM; SIGKILL
 * after the grace period), runs {@code runc delete --force} and removes the directory.
 *
 * <p>The container shares the host's network (no network namespace), so its port is reachable on
 * 127.0.0.1. Two containers using one port therefore never run at once: {@link #start} takes a
 * per-port lock (this JVM and other processes) held until {@link #close()}, and refuses to start
 * when something else already accepts connections on the port. Needs root, as runc without a user
 * namespace does.
 */
public final class Container implements AutoCloseable {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern SIGNAL_NAME = com.google.re2j.Pattern.compile("(SIG)?[A-Z][A-Z0-9+-]{0,15}");
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern SIGNAL_NUMBER = com.google.re2j.Pattern.compile("[0-9]{1,2}");

  private static final Duration RUNC_TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Containers not closed yet: a JVM that exits (Ctrl-C included) tears them down instead of leaving them running. */
  private static final Set<Container> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK = new AtomicBoolean();

  /**
   * How to run.
   *
   * @param runc the runc binary, or null to look on the PATH and in /usr/sbin
   * @param tempDir where the private directory is created, or null for {@code java.io.tmpdir}
   * @param env variables added to the image's Env (e.g. {@code PORT} for services that honour it)
   * @param port the port to lock and probe; 0 for the image's first exposed TCP port (none: no lock)
   * @param stopGrace how long the process has to exit after the stop signal before SIGKILL
   * @param lockTimeout how long to wait for another container using the same port
   * @param listener progress and log events
   */
  public record Options(Path runc, Path tempDir, Map<String, String> env, int port, Duration stopGrace, Duration lockTimeout,
      EventListener listener) {
    public Options {
      env = Map.copyOf(env);
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      if (stopGrace.isNegative() || lockTimeout.isNegative()) throw new IllegalArgumentException("negative duration");
      if (listener == null) listener = EventListener.NONE;
    }

    /** runc from the PATH, the system temp dir, no extra env, the image's port, 5 s grace, 60 s lock wait. */
    public static Options defaults() {
      return new Options(null, null, Map.of(), 0, Duration.ofSeconds(5), Duration.ofSeconds(60), EventListener.NONE);
    }

    /** The runc binary to use (tests point it at a missing path). */
    public Options withRunc(Path v) {
      return new Options(v, tempDir, env, port, stopGrace, lockTimeout, listener);
    }

    /** Where the private directory (bundle, state, output) is created. */
    public Options withTempDir(Path v) {
      return new Options(runc, v, env, port, stopGrace, lockTimeout, listener);
    }

    /** The port to lock and probe instead of the image's; pass it to the service too (e.g. {@link #withEnv} PORT). */
    public Options withPort(int v) {
      return new Options(runc, tempDir, env, v, stopGrace, lockTimeout, listener);
    }

    /** How long the process may take to exit after the stop signal. */
    public Options withStopGrace(Duration v) {
      return new Options(runc, tempDir, env, port, v, lockTimeout, listener);
    }

    /** How long to wait for another caulk container on the same port. */
    public Options withLockTimeout(Duration v) {
      return new Options(runc, tempDir, env, port, stopGrace, v, listener);
    }

    /** Where debug and warning events go. */
    public Options withListener(EventListener v) {
      return new Options(runc, tempDir, env, port, stopGrace, lockTimeout, v);
    }

    /** Adds or replaces one environment variable. */
    public Options withEnv(String name, String value) {
      Map<String, String> m = new LinkedHashMap<>(env);
      m.put(name, value);
      return new Options(runc, tempDir, m, port, stopGrace, lockTimeout, listener);
    }
  }

  private final String id;
  private final Path workDir;
  private final Bundle bundle;
  private final Runc runc;
  private final ProcStat process;
  private final PortLock lock;
  private final String stopSignal;
  private final Options options;
  private volatile boolean closed;

  private Container(String id, Path workDir, Bundle bundle, Runc runc, ProcStat process, PortLock lock, String stopSignal, Options options) {
    this.id = id;
    this.workDir = workDir;
    this.bundle = bundle;
    this.runc = runc;
    this.process = process;
    this.lock = lock;
    this.stopSignal = stopSignal;
    this.options = options;
  }

  /**
   * Unpacks and starts {@code image}; returns once runc has started its process (the service may
   * not listen yet: {@link Probe} waits for that).
   *
   * @throws RunException when runc is missing, this is not root, the port is taken, the image has
   *     nothing to run or runc fails to start it
   */
  public static Container start(Image image, Options options) throws IOException {
    return start(image, options, Container::runDetached);
  }

  /**
   * How runc is asked to start the bundle: {@code runc run --detach} by default; {@link Trace}
   * creates, attaches strace, then starts. Returns runc's exit code; the pid file must exist after 0.
   */
  @FunctionalInterface
  interface Launcher {
    int launch(Runc runc, String id, Path bundleDir, Path pidFile, Path stdout, Path stderr) throws IOException;
  }

  private static int runDetached(Runc runc, String id, Path bundleDir, Path pidFile, Path stdout, Path stderr) throws IOException {
    return runc.runDetached(runc.command("run", "--detach", "--pid-file", pidFile.toString(), "--bundle",
        bundleDir.toString(), id), stdout, stderr, RUNC_TIMEOUT);
  }

  static Container start(Image image, Options options, Launcher launcher) throws IOException {
    Path runcBinary = Runc.locate(options.runc(), System.getenv("PATH"));
    if (!RootCheck.isRoot()) throw new RunException("running an image needs root: caulk runs runc without a user namespace");
    OptionalInt port = options.port() > 0 ? OptionalInt.of(options.port()) : Ports.exposedTcpPort(image.config().runConfig());
    PortLock lock = port.isPresent() ? PortLock.acquire(port.getAsInt(), options.lockTimeout()) : null;
    Path workDir = null;
    Runc runc = null;
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    String id = "caulk-" + HexFormat.of().formatHex(random);
    boolean created = false;
    try {
      if (port.isPresent() && Ports.accepting(port.getAsInt(), 200)) {
        throw new RunException("port " + port.getAsInt() + " on 127.0.0.1 is already in use by another process; choose a free port"
            + " (and pass it to the service, e.g. as PORT)");
      }
      Path parent = options.tempDir() != null ? options.tempDir() : Path.of(System.getProperty("java.io.tmpdir"));
      workDir = Files.createTempDirectory(parent, "caulk-run-");
      runc = new Runc(runcBinary, workDir);
      options.listener().debug("unpacking " + image.digest().shortString() + " for " + id);
      Bundle bundle = Bundle.create(image, workDir.resolve("bundle"), options.env());
      Path pidFile = workDir.resolve("container.pid");
      Path stderr = workDir.resolve("stderr.log");
      created = true;
      int code = launcher.launch(runc, id, bundle.dir(), pidFile, workDir.resolve("stdout.log"), stderr);
      if (code != 0) {
        String out = OutputTail.read(stderr, 16 * 1024) + "\n" + OutputTail.read(workDir.resolve("runc.log"), 16 * 1024);
        throw new RunException("runc run " + id + " failed (exit code " + code + "): " + Runc.errorMessage(out));
      }
      long pid = Long.parseLong(new String(Files.readAllBytes(pidFile), StandardCharsets.US_ASCII).trim());
      ProcStat proc = ProcStat.of(pid);
      if (proc == null) proc = new ProcStat(pid, -1);
      options.listener().debug("started " + id + " (pid " + pid + ") from " + image.digest().shortString());
      Container c = new Container(id, workDir, bundle, runc, proc, lock, stopSignal(image), options);
      register(c);
      return c;
    } catch (IOException | RuntimeException e) {
      try {
        cleanup(runc, created ? id : null, workDir, lock, options.listener());
      } catch (IOException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  private static void register(Container c) {
    OPEN.add(c);
    if (HOOK.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        for (Container open : OPEN) {
          try {
            open.close();
          } catch (IOException | RuntimeException ignored) {
            // the JVM is exiting; nothing left to report to
          }
        }
      }, "caulk-run-teardown"));
    }
  }

  /** The image's StopSignal when it is a plain signal name or number, else SIGTERM. */
  private static String stopSignal(Image image) throws IOException {
    String s = image.config().runConfig().stopSignal();
    if (s != null && (SIGNAL_NAME.matches(s) || SIGNAL_NUMBER.matches(s))) return s;
    return "SIGTERM";
  }

  /** The container id, {@code caulk-} and 16 hex digits. */
  public String id() {
    return id;
  }

  /** The host pid of the container's process. */
  public long pid() {
    return process.pid();
  }

  /** The port this container holds the lock of (given, or the image's first exposed TCP port). */
  public OptionalInt port() {
    return lock == null ? OptionalInt.empty() : OptionalInt.of(lock.port());
  }

  /** The bundle the container runs from. */
  public Bundle bundle() {
    return bundle;
  }

  /** What the container runs. */
  public ProcessSpec process() {
    return bundle.process();
  }

  /** True while the container's process runs. */
  public boolean isRunning() {
    return !closed && process.alive();
  }

  /** The file the process's stdout goes to (it grows while the container runs; read it bounded). */
  public Path stdoutFile() {
    return workDir.resolve("stdout.log");
  }

  /** The file the process's stderr goes to. */
  public Path stderrFile() {
    return workDir.resolve("stderr.log");
  }

  /**
   * The end of the process's output, at most about {@code maxBytes} of each stream, control
   * characters replaced: stderr alone, or both streams labelled when stdout has something.
   */
  public String outputTail(int maxBytes) throws IOException {
    if (closed) return "";
    String out = OutputTail.read(stdoutFile(), maxBytes).strip();
    String err = OutputTail.read(stderrFile(), maxBytes).strip();
    if (out.isEmpty()) return err;
    if (err.isEmpty()) return out;
    return "stdout:\n" + out + "\nstderr:\n" + err;
  }

  /**
   * Stops the process (stop signal, then SIGKILL after the grace period), deletes the container
   * from runc's state and removes the temporary directory, then releases the port. Safe to call
   * twice.
   *
   * @throws RunException when runc could not delete the container (it may still be running)
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    OPEN.remove(this);
    try {
      if (process.alive()) {
        runc.exec(RUNC_TIMEOUT, "kill", id, stopSignal);
        if (!waitForExit(options.stopGrace())) {
          options.listener().debug(id + ": no exit " + options.stopGrace().toMillis() + " ms after " + stopSignal + ", sending SIGKILL");
          runc.exec(RUNC_TIMEOUT, "kill", id, "SIGKILL");
          waitForExit(Duration.ofSeconds(5));
        }
      }
    } finally {
      cleanup(runc, id, workDir, lock, options.listener());
    }
  }

  private boolean waitForExit(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    while (process.alive()) {
      if (System.nanoTime() > deadline) return false;
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !process.alive();
      }
    }
    return true;
  }

  /** Deletes the container (when created), the directory and the lock; throws only when runc delete failed. */
  private static void cleanup(Runc runc, String id, Path workDir, PortLock lock, EventListener listener) throws IOException {
    RunException failed = null;
    try {
      if (runc != null && id != null) {
        Runc.Result r = runc.exec(RUNC_TIMEOUT, "delete", "--force", id);
        if (r.exitCode() != 0 && !r.output().contains("does not exist") && !r.output().contains("not exist")) {
          failed = new RunException("runc delete " + id + " failed (exit code " + r.exitCode() + "): " + Runc.errorMessage(r.output()));
        }
      }
    } catch (IOException e) {
      failed = new RunException("runc delete " + id + " failed: " + e.getMessage(), e);
    } finally {
      try {
        if (workDir != null && failed == null) Trees.delete(workDir);
      } catch (IOException e) {
        listener.warn("could not remove " + workDir + ": " + e.getMessage());
      } finally {
        if (lock != null) lock.close();
      }
    }
    if (failed != null) throw failed;
  }
}
