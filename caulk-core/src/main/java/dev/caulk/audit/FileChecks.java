package dev.caulk.audit;

import static dev.caulk.report.Severity.HIGH;
import static dev.caulk.report.Severity.INFO;
import static dev.caulk.report.Severity.LOW;
import static dev.caulk.report.Severity.MEDIUM;

import dev.caulk.fs.FileTree;
import dev.caulk.fs.HiddenFile;
import dev.caulk.fs.Node;
import dev.caulk.report.Finding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks of the merged file tree: privileged files, programs that should not ship, writable places.
 */
final class FileChecks {
  /** Files Dockle calls unnecessary (DKL-LI-0003). */
  static final Set<String> UNNECESSARY_FILES =
      Set.of("Dockerfile", "docker-compose.yml", ".vimrc", ".DS_Store");

  /** Folders Dockle calls unnecessary: VCS data, editor settings, caches, cloud CLI settings. */
  static final Set<String> UNNECESSARY_DIRS =
      Set.of(".git", ".cache", ".aws", ".azure", ".gcp", ".vscode", ".idea", ".npm", ".svn", ".hg");

  /** Where binaries live even when PATH does not say so. */
  static final List<String> BIN_FOLDERS =
      List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin");

  private FileChecks() {}

  static Rule setuid() {
    return new BuiltinRule(
        "CIS-DI-0008",
        LOW,
        "setuid or setgid file",
        "Remove the setuid/setgid bits the service does not need: RUN find / -xdev -perm /6000 -type f -exec chmod "
            + "a-s {} +",
        List.of("CIS-4.8"),
        (r, ctx) -> {
          Inventory inv = ctx.inventory();
          Set<String> paths = new java.util.TreeSet<>(inv.setuid());
          paths.addAll(inv.setgid());
          List<Finding> out = new ArrayList<>();
          for (String p : paths) {
            Node n = ctx.tree().node(p).orElseThrow();
            String bits =
                n.isSetuid() && n.isSetgid()
                    ? "setuid and setgid"
                    : n.isSetuid() ? "setuid" : "setgid";
            out.add(
                r.finding()
                    .withPath(p)
                    .withLayer(ctx.layer(n.layerIndex()))
                    .withDetail(bits + ": " + n.modeString() + " " + n.uid() + ":" + n.gid()));
          }
          return out;
        });
  }

  static Rule unnecessaryFiles() {
    return new BuiltinRule(
        "DKL-LI-0003",
        INFO,
        "Unnecessary file or folder in the image",
        "Keep build context files out of the image: add them to .dockerignore or copy only what the service needs.",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (Node n : ctx.tree().walk()) {
            String p = n.path();
            if (p.contains("/node_modules/") || p.contains("/vendor/")) continue;
            boolean dir = n.isDirectory() && UNNECESSARY_DIRS.contains(n.name());
            boolean file = !n.isDirectory() && UNNECESSARY_FILES.contains(n.name());
            if (dir && insideUnnecessary(p)) continue; // one finding per outermost folder
            if (dir || (file && !insideUnnecessary(p))) {
              out.add(
                  r.finding()
                      .withPath(p)
                      .withLayer(ctx.layer(n.layerIndex()))
                      .withDetail(dir ? "folder " + n.name() + "/" : "file " + n.name()));
            }
          }
          return out;
        });
  }

  static Rule shellPresent() {
    return new BuiltinRule(
        "shell-present",
        LOW,
        "Shell in the image",
        "Ship no shell in a service image (distroless, or delete it in the same layer that installed it); an "
            + "attacker who gets code execution uses it first.",
        List.of("CIS-4.3"),
        (r, ctx) -> perPath(r, ctx, ctx.inventory().shells(), "shell"));
  }

  static Rule packageManagerPresent() {
    return new BuiltinRule(
        "package-manager-present",
        LOW,
        "Package manager in the image",
        "Leave package managers in the build stage; a running service needs none, and they let an intruder install "
            + "tools.",
        List.of("CIS-4.3"),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (Inventory.PackageManager p : ctx.inventory().packageManagers()) {
            Node n = ctx.tree().node(p.path()).orElseThrow();
            out.add(
                r.finding()
                    .withPath(p.path())
                    .withLayer(ctx.layer(n.layerIndex()))
                    .withDetail(p.name()));
          }
          return out;
        });
  }

  static Rule worldWritable() {
    return new BuiltinRule(
        "world-writable",
        MEDIUM,
        "World-writable file or folder without sticky bit",
        "Remove write permission for others (chmod o-w), or set the sticky bit on shared folders (chmod +t).",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (Inventory.WorldWritable w : ctx.inventory().worldWritable()) {
            Node n = ctx.tree().node(w.path()).orElseThrow();
            out.add(
                r.finding()
                    .withPath(w.path())
                    .withLayer(ctx.layer(n.layerIndex()))
                    .withDetail(w.type() + " " + n.modeString()));
          }
          return out;
        });
  }

  static Rule capabilities() {
    return new BuiltinRule(
        "file-capabilities",
        LOW,
        "File with capabilities",
        "Drop file capabilities the service does not need (setcap -r FILE); grant capabilities at run time instead.",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (Inventory.Capability c : ctx.inventory().capabilities()) {
            Node n = ctx.tree().node(c.path()).orElseThrow();
            Finding f =
                r.finding()
                    .withPath(c.path())
                    .withLayer(ctx.layer(n.layerIndex()))
                    .withDetail(c.capabilities());
            out.add(Capabilities.powerful(c.capabilities()) ? f.withSeverity(HIGH) : f);
          }
          return out;
        });
  }

  static Rule writableByUser() {
    return new BuiltinRule(
        "writable-by-runtime-user",
        HIGH,
        "PATH folder or entrypoint writable by the runtime user",
        "Make programs and the folders on PATH owned by root and not writable by the user the container runs as, "
            + "so a compromised process cannot replace them.",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          RuntimeUser u = ctx.runtimeUser();
          if (u.root()) return out; // running as root is CIS-DI-0001's finding
          Map<String, String> why = new LinkedHashMap<>();
          for (Node dir : ctx.realPathFolders()) {
            if (ctx.writableByRuntimeUser(dir)) why.put(dir.path(), "PATH folder");
          }
          List<String> argv = ConfigChecks.argv(ctx.runConfig());
          if (!argv.isEmpty()) {
            Optional<Node> exe = ConfigChecks.locate(ctx, argv.get(0));
            if (exe.isPresent()) {
              if (ctx.writableByRuntimeUser(exe.get()))
                why.putIfAbsent(exe.get().path(), "entrypoint");
              String parent = exe.get().parent();
              Optional<Node> pd = parent == null ? Optional.empty() : ctx.tree().node(parent);
              if (pd.isPresent() && ctx.writableByRuntimeUser(pd.get()))
                why.putIfAbsent(parent, "entrypoint's folder");
            }
          }
          why.forEach(
              (p, what) -> {
                Node n = ctx.tree().node(p).orElseThrow();
                out.add(
                    r.finding()
                        .withPath(p)
                        .withLayer(ctx.layer(n.layerIndex()))
                        .withDetail(
                            what
                                + " "
                                + n.modeString()
                                + " "
                                + n.uid()
                                + ":"
                                + n.gid()
                                + " is writable by the runtime "
                                + "user '"
                                + u.spec()
                                + "' (uid "
                                + (u.resolved() ? u.uid() : "unknown")
                                + ")"));
              });
          return out;
        });
  }

  static Rule removedBinaries() {
    return new BuiltinRule(
        "removed-binaries-still-shipped",
        MEDIUM,
        "Binaries deleted by a later layer still ship",
        "Delete programs in the same RUN that installed them, or copy the files the service needs onto a clean "
            + "base (multi-stage build): a later layer's deletion hides them but every pull still downloads them.",
        List.of(),
        (r, ctx) -> {
          Set<String> folders = new LinkedHashSet<>(BIN_FOLDERS);
          folders.addAll(ctx.pathFolders());
          Map<Integer, long[]> byLayer = new java.util.TreeMap<>();
          Map<Integer, Set<String>> dirs = new java.util.TreeMap<>();
          Map<Integer, Set<Integer>> from = new java.util.TreeMap<>();
          for (HiddenFile h : ctx.tree().hidden()) {
            String parent = parentOf(h.path());
            if (h.hiddenBy() <= h.layerIndex()
                || !folders.contains(parent)
                || ctx.tree().exists(h.path())) continue;
            long[] c = byLayer.computeIfAbsent(h.hiddenBy(), k -> new long[2]);
            c[0]++;
            c[1] += h.size();
            dirs.computeIfAbsent(h.hiddenBy(), k -> new java.util.TreeSet<>()).add(parent);
            from.computeIfAbsent(h.hiddenBy(), k -> new java.util.TreeSet<>()).add(h.layerIndex());
          }
          List<Finding> out = new ArrayList<>();
          byLayer.forEach(
              (by, c) -> {
                List<String> shipped = from.get(by).stream().map(ctx::describeLayer).toList();
                out.add(
                    r.finding()
                        .withLayer(ctx.layer(by))
                        .withKey("deleted-by:" + by)
                        .withDetail(
                            c[0]
                                + " programs in "
                                + String.join(", ", dirs.get(by))
                                + " were deleted by "
                                + ctx.describeLayer(by)
                                + ", but "
                                + Sizes.bytes(c[1])
                                + " of them still ship in "
                                + String.join(", ", shipped)
                                + ": the image did not shrink and the programs can be extracted"
                                + HistoryChecks.evidence(ctx, by)));
              });
          return out;
        });
  }

  /**
   * Every node below a folder (not the folder itself), depth first, without walking the rest of the
   * tree.
   */
  static List<Node> below(FileTree tree, String dir) {
    List<Node> out = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.push(dir);
    while (!todo.isEmpty()) {
      for (Node c : tree.children(todo.pop())) {
        out.add(c);
        if (c.isDirectory()) todo.push(c.path());
      }
    }
    return out;
  }

  private static List<Finding> perPath(Rule r, AuditContext ctx, List<String> paths, String what) {
    List<Finding> out = new ArrayList<>();
    for (String p : paths) {
      Node n = ctx.tree().node(p).orElseThrow();
      String detail = what + (n.isSymlink() ? " (symlink to " + n.linkTarget() + ")" : "");
      out.add(r.finding().withPath(p).withLayer(ctx.layer(n.layerIndex())).withDetail(detail));
    }
    return out;
  }

  private static boolean insideUnnecessary(String path) {
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      if (UNNECESSARY_DIRS.contains(parts[i])) return true;
    }
    return false;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
