package dev.caulk.audit;

import static dev.caulk.report.Severity.HIGH;
import static dev.caulk.report.Severity.INFO;
import static dev.caulk.report.Severity.LOW;
import static dev.caulk.report.Severity.MEDIUM;

import dev.caulk.fs.Node;
import dev.caulk.report.Finding;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Healthcheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Checks of the image config: user, health check, volumes, ports, tag, entrypoint. */
final class ConfigChecks {
  /**
   * Folders that must not be volumes: the kernel's views, devices, the host's root and the Docker
   * socket.
   */
  static final Set<String> SENSITIVE_VOLUMES =
      Set.of(
          "/",
          "/proc",
          "/sys",
          "/dev",
          "/boot",
          "/etc",
          "/lib/modules",
          "/var/run/docker.sock",
          "/run/docker.sock",
          "/var/run",
          "/run/containerd");

  private ConfigChecks() {}

  static Rule rootUser() {
    return new BuiltinRule(
        "CIS-DI-0001",
        MEDIUM,
        "Image runs as root",
        "Add a USER instruction with a non-root uid (for example USER 65532:65532) and give that user only the files "
            + "it must write.",
        List.of("CIS-4.1", "DS-0002"),
        (r, ctx) -> {
          RuntimeUser u = ctx.runtimeUser();
          if (!u.root()) return List.of();
          String spec = u.spec();
          String why;
          if (spec.isEmpty()) {
            why = "User is not set, so the process runs as root (uid 0)";
          } else if (spec.equals("root") || spec.startsWith("0") || spec.startsWith("root:")) {
            why = "User '" + spec + "' is uid 0";
          } else {
            why = "User '" + spec + "' is uid 0 in /etc/passwd";
          }
          return List.of(r.finding().withDetail(why));
        });
  }

  static Rule healthcheck() {
    return new BuiltinRule(
        "CIS-DI-0006",
        INFO,
        "No HEALTHCHECK",
        "Add a HEALTHCHECK instruction, or accept this finding when the orchestrator probes the container itself.",
        List.of("CIS-4.6", "DS-0026"),
        (r, ctx) -> {
          Healthcheck h = ctx.runConfig().healthcheck();
          if (h == null || h.test() == null || h.test().isEmpty()) {
            return List.of(r.finding().withDetail("the config has no Healthcheck"));
          }
          if (h.test().get(0).equalsIgnoreCase("NONE")) {
            return List.of(r.finding().withDetail("HEALTHCHECK NONE disables the check"));
          }
          return List.of();
        });
  }

  static Rule sensitiveVolumes() {
    return new BuiltinRule(
        "DKL-DI-0002",
        HIGH,
        "Sensitive folder declared as a volume",
        "Remove VOLUME entries for system folders and the Docker socket; mount what the service needs at run time, "
            + "read-only where possible.",
        List.of("DS-0030"),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          if (ctx.runConfig().volumes() == null) return out;
          for (String v : ctx.runConfig().volumes().keySet()) {
            String n = v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
            if (SENSITIVE_VOLUMES.contains(n) || n.startsWith("/proc/") || n.startsWith("/sys/")) {
              out.add(r.finding().withDetail("VOLUME " + v).withKey(n));
            }
          }
          return out;
        });
  }

  static Rule latestTag() {
    return new BuiltinRule(
        "DKL-DI-0006",
        MEDIUM,
        "Image referenced by the latest tag",
        "Refer to the image by a version tag or, better, by its digest, so every run gets the same image.",
        List.of("DS-0001"),
        (r, ctx) -> {
          String tag = ctx.image().tag();
          if (tag == null || !tag.equals("latest")) return List.of();
          return List.of(
              r.finding()
                  .withDetail(
                      (ctx.image().name() == null ? "the image" : ctx.image().name())
                          + " resolves to the tag 'latest', which moves"));
        });
  }

  static Rule sshPort() {
    return new BuiltinRule(
        "ssh-port-exposed",
        MEDIUM,
        "SSH port exposed",
        "Do not run an SSH server in a container; use the runtime's exec for debugging.",
        List.of("DS-0004"),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (String p : ports(ctx.runConfig())) {
            if (port(p) == 22) out.add(r.finding().withDetail("EXPOSE " + p).withKey(p));
          }
          return out;
        });
  }

  static Rule privilegedPort() {
    return new BuiltinRule(
        "privileged-port-exposed",
        LOW,
        "Privileged port exposed",
        "Listen on a port above 1023 (for example 8080) and publish it as 80 or 443; binding below 1024 needs root "
            + "or CAP_NET_BIND_SERVICE.",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (String p : ports(ctx.runConfig())) {
            int n = port(p);
            if (n >= 0 && n < 1024 && n != 22)
              out.add(r.finding().withDetail("EXPOSE " + p).withKey(p));
          }
          return out;
        });
  }

  static Rule entrypoint() {
    return new BuiltinRule(
        "entrypoint-not-executable",
        HIGH,
        "Entrypoint missing or not executable",
        "Make the entrypoint (or the command, when there is no entrypoint) an existing file the runtime user may "
            + "execute; use an absolute path in images without a shell.",
        List.of(),
        (r, ctx) -> {
          List<String> argv = argv(ctx.runConfig());
          if (argv.isEmpty()) return List.of();
          String exe = argv.get(0);
          Optional<Node> found = locate(ctx, exe);
          if (found.isEmpty()) {
            return List.of(
                r.finding()
                    .withDetail(
                        "'"
                            + exe
                            + "' is not in the image"
                            + (exe.startsWith("/")
                                ? ""
                                : " (searched " + String.join(":", ctx.pathFolders()) + ")"))
                    .withKey(exe));
          }
          Node n = found.get();
          if (!executableBy(ctx.runtimeUser(), n)) {
            return List.of(
                r.finding()
                    .withPath(n.path())
                    .withLayer(ctx.layer(n.layerIndex()))
                    .withDetail(
                        n.modeString()
                            + " "
                            + n.uid()
                            + ":"
                            + n.gid()
                            + " is not executable by the runtime user '"
                            + ctx.runtimeUser().spec()
                            + "'")
                    .withKey(exe));
          }
          return List.of();
        });
  }

  /** Entrypoint followed by command, or the command alone, as the runtime builds argv. */
  static List<String> argv(ContainerConfig c) {
    List<String> out = new ArrayList<>();
    if (c.entrypoint() != null) out.addAll(c.entrypoint());
    if (c.cmd() != null) out.addAll(c.cmd());
    return out;
  }

  /** The regular file a command names (through symlinks and PATH), executable or not. */
  static Optional<Node> locate(AuditContext ctx, String exe) {
    Optional<Node> x = ctx.findExecutable(exe);
    if (x.isPresent()) return x;
    if (exe.contains("/")) {
      Optional<Node> n = ctx.tree().resolve(exe.startsWith("/") ? exe : "/" + exe);
      if (n.isPresent() && n.get().isRegular()) return n;
      return Optional.empty();
    }
    for (String dir : ctx.pathFolders()) {
      Optional<Node> n = ctx.tree().resolve(dir + "/" + exe);
      if (n.isPresent() && n.get().isRegular()) return n;
    }
    return Optional.empty();
  }

  static boolean executableBy(RuntimeUser u, Node n) {
    int m = n.mode();
    if (u.root()) return (m & 0111) != 0;
    if (u.resolved() && n.uid() == u.uid()) return (m & 0100) != 0;
    if ((u.gid() >= 0 && n.gid() == u.gid()) || u.supplementaryGids().contains(n.gid()))
      return (m & 0010) != 0;
    return (m & 0001) != 0;
  }

  private static List<String> ports(ContainerConfig c) {
    return c.exposedPorts() == null
        ? List.of()
        : List.copyOf(new java.util.TreeSet<>(c.exposedPorts().keySet()));
  }

  /** The number of {@code 80/tcp}, {@code 53/udp} or {@code 8080}; -1 when unreadable. */
  static int port(String spec) {
    String p = spec.toLowerCase(Locale.ROOT);
    int slash = p.indexOf('/');
    String n = slash < 0 ? p : p.substring(0, slash);
    if (n.isEmpty() || n.length() > 5 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
    return Integer.parseInt(n);
  }
}
