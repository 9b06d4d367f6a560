package dev.caulk.run;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How tightly a probe confines the image it runs. An image under probe is untrusted: by default it
 * runs as the image's own non-root user (an image that runs as root is refused), in a user
 * namespace where the kernel allows one, in its own network namespace (only a loopback interface;
 * the probe reaches its port through a relay, see docs/run.md), with cgroup limits on memory,
 * processes and CPU, no capabilities, no new privileges, a seccomp filter that refuses dangerous
 * system calls ({@link Seccomp}), and a read-only root filesystem with a tmpfs on {@code /tmp}.
 *
 * <p>Build one from {@link #defaults()} with the {@code with…} methods; every setting is checked
 * there.
 *
 * @param asRoot run an image whose user is root (uid 0, or no {@code User}); off by default
 * @param hostNetwork share the host's network namespace instead of a private one; off by default
 * @param userNamespace run in a user namespace when the kernel and the temporary folder allow it
 *     (on by default; when it cannot be used, the run goes on without one after a one-line warning)
 * @param memoryBytes the cgroup memory limit; 0 for none
 * @param pids the cgroup limit on processes and threads; 0 for none
 * @param cpuMillis the CPU quota in thousandths of a CPU (1000 is one CPU); 0 for none
 * @param capabilities the capabilities the process keeps, from {@link #ALLOWED_CAPABILITIES}; none
 *     by default
 */
public record Sandbox(
    boolean asRoot,
    boolean hostNetwork,
    boolean userNamespace,
    long memoryBytes,
    int pids,
    int cpuMillis,
    List<String> capabilities) {
  /** The default memory limit: 512 MiB. */
  public static final long DEFAULT_MEMORY = 512L << 20;

  /** The default limit on processes and threads. */
  public static final int DEFAULT_PIDS = 256;

  /** The default CPU quota: one CPU. */
  public static final int DEFAULT_CPU_MILLIS = 1000;

  /**
   * The capabilities a probe may be given: those Docker grants a container by default. Anything
   * beyond (CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_SYS_PTRACE…) is refused: a probe that needs it is not
   * a probe of a service.
   */
  public static final Set<String> ALLOWED_CAPABILITIES =
      Set.of(
          "CAP_AUDIT_WRITE",
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_MKNOD",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_RAW",
          "CAP_SETFCAP",
          "CAP_SETGID",
          "CAP_SETPCAP",
          "CAP_SETUID",
          "CAP_SYS_CHROOT");

  /** The smallest memory limit accepted: below it, runtimes fail before the process starts. */
  public static final long MIN_MEMORY = 8L << 20;

  /** Checks the limits and the capabilities; sorts and copies the capabilities. */
  public Sandbox {
    if (memoryBytes < 0 || (memoryBytes > 0 && memoryBytes < MIN_MEMORY)) {
      throw new IllegalArgumentException(
          "probe memory limit must be 0 (none) or at least " + (MIN_MEMORY >> 20) + " MiB");
    }
    if (pids < 0)
      throw new IllegalArgumentException("probe process limit must be 0 (none) or positive");
    if (cpuMillis < 0 || (cpuMillis > 0 && cpuMillis < 10)) {
      throw new IllegalArgumentException(
          "probe CPU quota must be 0 (none) or at least 10 thousandths of a CPU");
    }
    TreeSet<String> caps = new TreeSet<>();
    for (String c : capabilities) {
      String name = c == null ? "" : c.startsWith("CAP_") ? c : "CAP_" + c;
      if (!ALLOWED_CAPABILITIES.contains(name)) {
        throw new IllegalArgumentException(
            "capability "
                + Users.quote(c)
                + " is not allowed in a probe (allowed: "
                + String.join(", ", new TreeSet<>(ALLOWED_CAPABILITIES))
                + ")");
      }
      caps.add(name);
    }
    capabilities = List.copyOf(caps);
  }

  /**
   * Root refused, private network, a user namespace when possible, 512 MiB, 256 processes, one CPU,
   * no capabilities.
   */
  public static Sandbox defaults() {
    return new Sandbox(
        false, false, true, DEFAULT_MEMORY, DEFAULT_PIDS, DEFAULT_CPU_MILLIS, List.of());
  }

  /**
   * Allows an image whose user is root ({@code --probe-as-root}); it still gets no capabilities
   * unless given some.
   */
  public Sandbox withProbeAsRoot(boolean v) {
    return new Sandbox(v, hostNetwork, userNamespace, memoryBytes, pids, cpuMillis, capabilities);
  }

  /**
   * Shares the host's network ({@code --probe-host-network}): the process can reach every service
   * of the host, and the probe connects to 127.0.0.1 directly (one container per port at a time).
   */
  public Sandbox withProbeHostNetwork(boolean v) {
    return new Sandbox(asRoot, v, userNamespace, memoryBytes, pids, cpuMillis, capabilities);
  }

  /** Whether to use a user namespace where possible (true by default). */
  public Sandbox withUserNamespace(boolean v) {
    return new Sandbox(asRoot, hostNetwork, v, memoryBytes, pids, cpuMillis, capabilities);
  }

  /** The memory limit in bytes; 0 for none. */
  public Sandbox withMemoryBytes(long v) {
    return new Sandbox(asRoot, hostNetwork, userNamespace, v, pids, cpuMillis, capabilities);
  }

  /** The limit on processes and threads; 0 for none. */
  public Sandbox withPids(int v) {
    return new Sandbox(asRoot, hostNetwork, userNamespace, memoryBytes, v, cpuMillis, capabilities);
  }

  /** The CPU quota in thousandths of a CPU; 0 for none. */
  public Sandbox withCpuMillis(int v) {
    return new Sandbox(asRoot, hostNetwork, userNamespace, memoryBytes, pids, v, capabilities);
  }

  /**
   * The capabilities the process keeps ({@code NET_BIND_SERVICE} or {@code CAP_NET_BIND_SERVICE}),
   * from the allowed set.
   */
  public Sandbox withCapabilities(List<String> v) {
    return new Sandbox(asRoot, hostNetwork, userNamespace, memoryBytes, pids, cpuMillis, v);
  }
}
