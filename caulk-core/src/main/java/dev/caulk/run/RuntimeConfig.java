package dev.caulk.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * Writes an OCI runtime-spec 1.0.2 {@code config.json} (config.md, config-linux.md) for a probe
 * run. The choices follow {@code runc spec}'s defaults with three deliberate differences: no
 * network namespace (the probe connects to 127.0.0.1), no cgroup mount, and a tmpfs on /tmp
 * because the rootfs is read-only. No {@code rlimits} either: the process inherits runc's, since
 * raising a hard limit fails where CAP_SYS_RESOURCE is not in the bounding set (as on CI machines
 * that are containers themselves).
 */
final class RuntimeConfig {
  /** The runtime-spec version written; runc 1.1 implements 1.0.2. */
  static final String OCI_VERSION = "1.0.2";
  /** The capabilities {@code runc spec} gives root; Docker's default set is larger, a probe needs no more. */
  static final List<String> ROOT_CAPABILITIES = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi");
  private static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private RuntimeConfig() {}

  static byte[] json(ProcessSpec p, String hostname) throws IOException {
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
    for (String set : List.of("bounding", "effective", "permitted", "ambient")) strings(caps.putArray(set), p.capabilities());
    proc.put("noNewPrivileges", true);
    ObjectNode rootfs = root.putObject("root");
    rootfs.put("path", "rootfs");
    rootfs.put("readonly", true);
    root.put("hostname", hostname);
    ArrayNode mounts = root.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
    mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
    mount(mounts, "/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=256m");
    ObjectNode linux = root.putObject("linux");
    ObjectNode deny = linux.putObject("resources").putArray("devices").addObject();
    deny.put("allow", false);
    deny.put("access", "rwm");
    ArrayNode ns = linux.putArray("namespaces");
    for (String t : List.of("pid", "ipc", "uts", "mount")) ns.addObject().put("type", t);
    strings(linux.putArray("maskedPaths"), MASKED);
    strings(linux.putArray("readonlyPaths"), READONLY);
    return MAPPER.writeValueAsBytes(root);
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
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
