package dev.caulk.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an OCI runtime-spec 1.0.2 {@code config.json} (config.md, config-linux.md) for a probe
 * run, from the process and the {@link Sandbox}. The choices follow {@code runc spec}'s defaults
 * with deliberate differences: a tmpfs on /tmp because the rootfs is read-only; no cgroup mount;
 * cgroup limits on memory, processes and CPU; the {@link Seccomp} filter; no capabilities unless
 * the sandbox grants some; a private network namespace (runc brings up its loopback interface)
 * where unprivileged ports start at 0, so a non-root service can bind port 80 without a capability;
 * and a user namespace when an {@link IdMap} is given. No {@code rlimits}: the process inherits
 * runc's, since raising a hard limit fails where CAP_SYS_RESOURCE is not in the bounding set (as on
 * CI machines that are containers themselves); the pids limit bounds processes instead.
 */
final class RuntimeConfig {
  /** The runtime-spec version written; runc 1.1 implements 1.0.2. */
  static final String OCI_VERSION = "1.0.2";

  /** The CFS period the CPU quota is expressed in: 100 ms, the kernel's default. */
  static final long CPU_PERIOD_MICROS = 100_000;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> MASKED =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/sys/firmware",
          "/proc/scsi");
  private static final List<String> READONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private RuntimeConfig() {}

  /**
   * The config.
   *
   * @param ids the user namespace's mapping, or null to run without one
   */
  static byte[] json(ProcessSpec p, String hostname, Sandbox sandbox, IdMap ids)
      throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("ociVersion", OCI_VERSION);
    ObjectNode proc = root.putObject("process");
    proc.put("terminal", false);
    ObjectNode user = proc.putObject("user");
    user.put("uid", p.uid());
    user.put("gid", p.gid());
    if (!p.additionalGids().isEmpty()) {
      ArrayNode g = user.putArray("additionalGids");
      p.additionalGids().forEach(g::add);
    }
    strings(proc.putArray("args"), p.args());
    strings(proc.putArray("env"), p.env());
    proc.put("cwd", p.cwd());
    ObjectNode caps = proc.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted", "ambient"))
      strings(caps.putArray(set), p.capabilities());
    proc.put("noNewPrivileges", true);
    ObjectNode rootfs = root.putObject("root");
    rootfs.put("path", "rootfs");
    rootfs.put("readonly", true);
    root.put("hostname", hostname);
    ArrayNode mounts = root.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
        "gid=5");
    mount(
        mounts,
        "/dev/shm",
        "tmpfs",
        "shm",
        "nosuid",
        "noexec",
        "nodev",
        "mode=1777",
        "size=65536k");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    if (ids != null && sandbox.hostNetwork()) {
      // sysfs can only be mounted by the owner of the network namespace: bind the host's, read-only
      mount(mounts, "/sys", "none", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro");
    } else {
      mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
    }
    mount(mounts, "/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=256m");
    ObjectNode linux = root.putObject("linux");
    if (ids != null) {
      for (String map : List.of("uidMappings", "gidMappings")) {
        ObjectNode m = linux.putArray(map).addObject();
        m.put("containerID", 0);
        m.put("hostID", ids.hostBase());
        m.put("size", ids.size());
      }
    }
    if (!sandbox.hostNetwork())
      linux.putObject("sysctl").put("net.ipv4.ip_unprivileged_port_start", "0");
    ObjectNode resources = linux.putObject("resources");
    ObjectNode deny = resources.putArray("devices").addObject();
    deny.put("allow", false);
    deny.put("access", "rwm");
    if (sandbox.memoryBytes() > 0)
      resources.putObject("memory").put("limit", sandbox.memoryBytes());
    if (sandbox.pids() > 0) resources.putObject("pids").put("limit", sandbox.pids());
    if (sandbox.cpuMillis() > 0) {
      ObjectNode cpu = resources.putObject("cpu");
      cpu.put("quota", CPU_PERIOD_MICROS * sandbox.cpuMillis() / 1000);
      cpu.put("period", CPU_PERIOD_MICROS);
    }
    ArrayNode ns = linux.putArray("namespaces");
    for (String t : namespaces(sandbox, ids)) ns.addObject().put("type", t);
    strings(linux.putArray("maskedPaths"), MASKED);
    strings(linux.putArray("readonlyPaths"), READONLY);
    Seccomp.write(linux.putObject("seccomp"));
    return MAPPER.writeValueAsBytes(root);
  }

  /** pid, ipc, uts and mount always; network unless the host's is shared; user with a mapping. */
  static List<String> namespaces(Sandbox sandbox, IdMap ids) {
    List<String> out = new ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
    if (!sandbox.hostNetwork()) out.add("network");
    if (ids != null) out.add("user");
    return out;
  }

  private static void mount(
      ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    if (options.length > 0) strings(m.putArray("options"), List.of(options));
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
