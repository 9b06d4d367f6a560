package dev.caulk.run;

import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An image running under runc, daemonless: {@link #start} unpacks a {@link Bundle} into a private
 * temporary directory and runs {@code runc run --detach} with a unique id ({@code caulk-<hex>}) and
 * {@code --root} in that directory, so no state leaks into /run/runc; the process's stdout and
 * stderr go to files there. {@link #close()} stops it (the image's StopSignal, else SIGTERM;
 * SIGKILL after the grace period), runs {@code runc delete --force} and removes the directory.
 *
 * <p>The run is confined by the options' {@link Sandbox}: by default the container has its own
 * network namespace, which the probe reaches through a {@link NetnsRelay} started with nsenter, so
 * containers using the same port run side by side. With the host's network ({@link
 * Sandbox#withProbeHostNetwork}), its port is 127.0.0.1's, so two containers using one port never
 * run at once: {@link #start} then takes a per-port lock (this JVM and other processes) held until
 * {@link #close()}, and refuses to start when something else already accepts connections on the
 * port. A user namespace is used where the kernel and the temporary folder allow it, else the
 * listener gets a one-line warning. Needs root: runc is run as root.
 */
public final class Container implements AutoCloseable {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern SIGNAL_NAME =
      com.google.re2j.Pattern.compile("(SIG)?[A-Z][A-Z0-9+-]{0,15}");

  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern SIGNAL_NUMBER =
      com.google.re2j.Pattern.compile("[0-9]{1,2}");

  private static final Duration RUNC_TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Containers not closed yet: a JVM that exits (Ctrl-C included) tears them down instead of
   * leaving them running.
   */
  private static final Set<Container> OPEN = ConcurrentHashMap.newKeySet();

  private static final AtomicBoolean HOOK = new AtomicBoolean();

  /**
   * How to run.
   *
   * @param runc the runc binary, or null to look on the PATH and in /usr/sbin
   * @param tempDir where the private directory is created, or null for {@code java.io.tmpdir}
   * @param env variables added to the image's Env (e.g. {@code PORT} for services that honour it)
   * @param port the port to lock and probe; 0 for the image's first exposed TCP port (none: no
   *     lock)
   * @param stopGrace how long the process has to exit after the stop signal before SIGKILL
   * @param lockTimeout how long to wait for another container using the same port
   * @param listener progress and log events
   * @param sandbox how the run is confined ({@link Sandbox#defaults()} unless given)
   */
  public record Options(
      Path runc,
      Path tempDir,
      Map<String, String> env,
      int port,
      Duration stopGrace,
      Duration lockTimeout,
      EventListener listener,
      Sandbox sandbox) {
    public Options {
      env = Map.copyOf(env);
      if (sandbox == null) sandbox = Sandbox.defaults();
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("port out of range: " + port);
      if (stopGrace.isNegative() || lockTimeout.isNegative())
        throw new IllegalArgumentException("negative duration");
      if (listener == null) listener = EventListener.NONE;
    }

    /**
     * runc from the PATH, the system temp dir, no extra env, the image's port, 5 s grace, 60 s lock
     * wait, default sandbox.
     */
    public static Options defaults() {
      return new Options(
          null,
          null,
          Map.of(),
          0,
          Duration.ofSeconds(5),
          Duration.ofSeconds(60),
          EventListener.NONE,
          Sandbox.defaults());
    }

    /** How the run is confined. */
    public Options withSandbox(Sandbox v) {
      return new Options(runc, tempDir, env, port, stopGrace, lockTimeout, listener, v);
    }

    /** The runc binary to use (tests point it at a missing path). */
    public Options withRunc(Path v) {
      return new Options(v, tempDir, env, port, stopGrace, lockTimeout, listener, sandbox);
    }

    /** Where the private directory (bundle, state, output) is created. */
    public Options withTempDir(Path v) {
      return new Options(runc, v, env, port, stopGrace, lockTimeout, listener, sandbox);
    }

    /**
     * The port to lock and probe instead of the image's; pass it to the service too (e.g. {@link
     * #withEnv} PORT).
     */
    public Options withPort(int v) {
      return new Options(runc, tempDir, env, v, stopGrace, lockTimeout, listener, sandbox);
    }

    /** How long the process may take to exit after the stop signal. */
    public Options withStopGrace(Duration v) {
      return new Options(runc, tempDir, env, port, v, lockTimeout, listener, sandbox);
    }

    /** How long to wait for another caulk container on the same port. */
    public Options withLockTimeout(Duration v) {
      return new Options(runc, tempDir, env, port, stopGrace, v, listener, sandbox);
    }

    /** Where debug and warning events go. */
    public Options withListener(EventListener v) {
      return new Options(runc, tempDir, env, port, stopGrace, lockTimeout, v, sandbox);
    }

    /** Adds or replaces one environment variable. */
    public Options withEnv(String name, String value) {
      Map<String, String> m = new LinkedHashMap<>(env);
      m.put(name, value);
      return new Options(runc, tempDir, m, port, stopGrace, lockTimeout, listener, sandbox);
    }
  }

  private final String id;
  private final Path workDir;
  private final Bundle bundle;
  private final Runc runc;
  private final ProcStat process;
  private final PortLock lock;
  private final OptionalInt port;
  private final RelayProcess relay;
  private final String stopSignal;
  private final Options options;
  private volatile boolean closed;

  private Container(
      String id,
      Path workDir,
      Bundle bundle,
      Runc runc,
      ProcStat process,
      PortLock lock,
      OptionalInt port,
      RelayProcess relay,
      String stopSignal,
      Options options) {
    this.id = id;
    this.workDir = workDir;
    this.bundle = bundle;
    this.runc = runc;
    this.process = process;
    this.lock = lock;
    this.port = port;
    this.relay = relay;
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
   * creates, attaches strace, then starts. Returns runc's exit code; the pid file must exist after
   * 0.
   */
  @FunctionalInterface
  interface Launcher {
    int launch(Runc runc, String id, Path bundleDir, Path pidFile, Path stdout, Path stderr)
        throws IOException;
  }

  private static int runDetached(
      Runc runc, String id, Path bundleDir, Path pidFile, Path stdout, Path stderr)
      throws IOException {
    return runc.runDetached(
        runc.command(
            "run",
            "--detach",
            "--pid-file",
            pidFile.toString(),
            "--bundle",
            bundleDir.toString(),
            id),
        stdout,
        stderr,
        RUNC_TIMEOUT);
  }

  static Container start(Image image, Options options, Launcher launcher) throws IOException {
    Path runcBinary = Runc.locate(options.runc(), System.getenv("PATH"));
    if (!RootCheck.isRoot())
      throw new RunException("running an image needs root: caulk runs runc as root");
    Sandbox sandbox = options.sandbox();
    Path nsenter = sandbox.hostNetwork() ? null : RelayProcess.locateNsenter(System.getenv("PATH"));
    OptionalInt port =
        options.port() > 0
            ? OptionalInt.of(options.port())
            : Ports.exposedTcpPort(image.config().runConfig());
    boolean locked = port.isPresent() && sandbox.hostNetwork();
    PortLock lock = locked ? PortLock.acquire(port.getAsInt(), options.lockTimeout()) : null;
    Path workDir = null;
    Runc runc = null;
    RelayProcess relay = null;
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    String id = "caulk-" + HexFormat.of().formatHex(random);
    boolean created = false;
    try {
      if (lock != null && Ports.accepting(port.getAsInt(), 200)) {
        throw new RunException(
            "port "
                + port.getAsInt()
                + " on 127.0.0.1 is already in use by another process; choose a free port"
                + " (and pass it to the service, e.g. as PORT)");
      }
      Path parent =
          options.tempDir() != null
              ? options.tempDir()
              : Path.of(System.getProperty("java.io.tmpdir"));
      workDir = Files.createTempDirectory(parent, "caulk-run-");
      runc = new Runc(runcBinary, workDir);
      boolean userns =
          sandbox.userNamespace() && userNamespacePossible(workDir, options.listener());
      if (userns)
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx--x--x"));
      options.listener().debug("unpacking " + image.digest().shortString() + " for " + id);
      Bundle bundle =
          Bundle.create(image, workDir.resolve("bundle"), options.env(), sandbox, userns);
      Path pidFile = workDir.resolve("container.pid");
      Path stdout = privateFile(workDir.resolve("stdout.log"));
      Path stderr = privateFile(workDir.resolve("stderr.log"));
      created = true;
      int code = launcher.launch(runc, id, bundle.dir(), pidFile, stdout, stderr);
      if (code != 0) {
        String out =
            OutputTail.read(stderr, 16 * 1024)
                + "\n"
                + OutputTail.read(workDir.resolve("runc.log"), 16 * 1024);
        throw new RunException(
            "runc run " + id + " failed (exit code " + code + "): " + Runc.errorMessage(out));
      }
      long pid =
          Long.parseLong(new String(Files.readAllBytes(pidFile), StandardCharsets.US_ASCII).trim());
      ProcStat proc = ProcStat.of(pid);
      if (proc == null) proc = new ProcStat(pid, -1);
      if (nsenter != null && port.isPresent() && proc.alive()) {
        try {
          relay = RelayProcess.start(nsenter, pid, port.getAsInt(), workDir);
        } catch (RunException e) {
          // a process that ended at once takes its network namespace with it: that is the service's
          // failure (reported by the wait for its port, with its output), not the relay's
          if (proc.alive()) {
            throw e;
          }
          options
              .listener()
              .debug("container " + id + " ended before the relay started: " + e.getMessage());
        }
      }
      options
          .listener()
          .debug(
              "started "
                  + id
                  + " (pid "
                  + pid
                  + ") from "
                  + image.digest().shortString()
                  + (bundle.ids() == null
                      ? ""
                      : ", user namespace from host id " + bundle.ids().hostBase())
                  + (sandbox.hostNetwork() ? ", host network" : ", own network namespace"));
      Container c =
          new Container(
              id, workDir, bundle, runc, proc, lock, port, relay, stopSignal(image), options);
      register(c);
      return c;
    } catch (IOException | RuntimeException e) {
      try {
        if (relay != null) relay.close();
        cleanup(runc, created ? id : null, workDir, lock, options.listener());
      } catch (IOException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  /**
   * Whether the kernel allows a user namespace and the container's root can walk to the bundle;
   * when not, one warning says why and the run goes on without one.
   */
  private static boolean userNamespacePossible(Path workDir, EventListener listener)
      throws IOException {
    String why =
        UserNamespaces.kernelRefusal(
            UserNamespaces.MAX_USER_NAMESPACES, UserNamespaces.UNPRIVILEGED_CLONE, true);
    if (why == null) {
      Path blocked = UserNamespaces.unsearchableAncestor(workDir);
      if (blocked != null)
        why =
            blocked + " is not searchable by other users (chmod o+x, or another temporary folder)";
    }
    if (why == null) return true;
    listener.warn("probe: no user namespace (" + why + "): the container's ids are the host's");
    return false;
  }

  /**
   * An empty file only its owner reads: the container's output may hold what the image prints of
   * its secrets.
   */
  private static Path privateFile(Path p) throws IOException {
    Files.createFile(
        p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return p;
  }

  private static void register(Container c) {
    OPEN.add(c);
    if (HOOK.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    for (Container open : OPEN) {
                      try {
                        open.close();
                      } catch (IOException | RuntimeException ignored) {
                        // the JVM is exiting; nothing left to report to
                      }
                    }
                  },
                  "caulk-run-teardown"));
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

  /** The port the probe checks (given, or the image's first exposed TCP port). */
  public OptionalInt port() {
    return port;
  }

  /**
   * How to reach {@link #port()}: 127.0.0.1 with the host network, else the relay into the
   * container's namespace.
   */
  Endpoint endpoint() {
    if (relay != null) return relay.endpoint();
    return new Endpoint.Tcp(port.orElse(0));
  }

  /** The sandbox the container runs in. */
  public Sandbox sandbox() {
    return options.sandbox();
  }

  /**
   * The host id of the container's uid 0 when it runs in a user namespace (its uid {@code N} is
   * host uid {@code base + N}); empty without one.
   */
  public OptionalLong userNamespaceBase() {
    return bundle.ids() == null ? OptionalLong.empty() : OptionalLong.of(bundle.ids().hostBase());
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
      if (relay != null) relay.close();
      if (process.alive()) {
        runc.exec(RUNC_TIMEOUT, "kill", id, stopSignal);
        if (!waitForExit(options.stopGrace())) {
          options
              .listener()
              .debug(
                  id
                      + ": no exit "
                      + options.stopGrace().toMillis()
                      + " ms after "
                      + stopSignal
                      + ", sending SIGKILL");
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

  /**
   * Deletes the container (when created), the directory and the lock; throws only when runc delete
   * failed.
   */
  private static void cleanup(
      Runc runc, String id, Path workDir, PortLock lock, EventListener listener)
      throws IOException {
    RunException failed = null;
    try {
      if (runc != null && id != null) {
        Runc.Result r = runc.exec(RUNC_TIMEOUT, "delete", "--force", id);
        if (r.exitCode() != 0
            && !r.output().contains("does not exist")
            && !r.output().contains("not exist")) {
          failed =
              new RunException(
                  "runc delete "
                      + id
                      + " failed (exit code "
                      + r.exitCode()
                      + "): "
                      + Runc.errorMessage(r.output()));
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
