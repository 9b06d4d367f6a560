package dev.caulk.build;

import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * caulk checks its own result after a build: the image must not run as root, must hold no
 * setuid/setgid file, no shell and no package manager, and its entrypoint must exist and be
 * executable by the runtime user. It reads the image as any other image (its merged file tree),
 * not the build's intentions.
 */
public final class Verification {
  /** File names that are shells. */
  public static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox");
  /** File names that are package managers. */
  public static final Set<String> PACKAGE_MANAGERS = Set.of("apk", "apt", "apt-get", "aptitude", "dpkg", "rpm", "yum", "dnf", "microdnf",
      "zypper", "pacman", "pip", "pip3", "npm", "yarn", "gem");

  /** The outcome for one service. */
  public record Result(String service, List<String> violations) {
    /** Throws with every violation in one line when there are any. */
    public void throwIfFailed() throws BuildConfigException {
      if (!violations.isEmpty()) {
        throw new BuildConfigException(service + ": verification failed: " + String.join("; ", violations) + " (--no-verify builds anyway)");
      }
    }
  }

  private Verification() {}

  /** Checks every image of an artifact (each platform of an index). */
  public static Result check(String service, Artifact artifact, BuildSettings settings) throws IOException {
    List<String> violations = new ArrayList<>();
    if (artifact.isIndex()) {
      for (Descriptor d : artifact.index().index().manifests()) check(artifact.index().image(d), violations);
    } else {
      check(artifact.image(), violations);
    }
    return new Result(service, violations);
  }

  static void check(Image image, List<String> violations) throws IOException {
    ContainerConfig rc = image.config().runConfig();
    FileTree tree = FileTree.build(image);
    long[] ids = userIds(rc.user());
    if (ids == null || ids[0] == 0) violations.add("runs as root (User '" + (rc.user() == null ? "" : rc.user()) + "')");
    for (Node n : tree.walk()) {
      if (n.isSetuid() || n.isSetgid()) violations.add("setuid/setgid file " + n.path());
      if (!n.isDirectory() && SHELLS.contains(n.name())) violations.add("shell " + n.path());
      if (!n.isDirectory() && PACKAGE_MANAGERS.contains(n.name())) violations.add("package manager " + n.path());
    }
    List<String> ep = new ArrayList<>();
    if (rc.entrypoint() != null) ep.addAll(rc.entrypoint());
    if (ep.isEmpty() && rc.cmd() != null) ep.addAll(rc.cmd());
    if (ep.isEmpty()) {
      violations.add("no entrypoint or cmd");
      return;
    }
    String exe = ep.get(0);
    if (!exe.startsWith("/")) {
      violations.add("entrypoint '" + exe + "' is not an absolute path (a scratch image has no PATH lookup)");
      return;
    }
    Optional<Node> target = tree.resolve(exe);
    if (target.isEmpty() || !target.get().isRegular()) {
      violations.add("entrypoint " + exe + " is missing");
    } else if (ids != null && !executableBy(target.get(), ids[0], ids[1])) {
      violations.add("entrypoint " + exe + " is not executable by uid " + ids[0]);
    }
  }

  /** uid and gid of a numeric {@code uid[:gid]} user, or null when it is a name (resolved by the runtime). */
  static long[] userIds(String user) {
    if (user == null || user.isEmpty()) return new long[] {0, 0};
    String[] p = user.split(":", 2);
    try {
      long uid = Long.parseLong(p[0]);
      long gid = p.length > 1 ? Long.parseLong(p[1]) : uid;
      return new long[] {uid, gid};
    } catch (NumberFormatException e) {
      return p[0].equals("root") ? new long[] {0, 0} : null;
    }
  }

  static boolean executableBy(Node n, long uid, long gid) {
    int m = n.mode();
    if (uid == 0) return (m & 0111) != 0;
    if (n.uid() == uid) return (m & 0100) != 0;
    if (n.gid() == gid) return (m & 0010) != 0;
    return (m & 0001) != 0;
  }
}
