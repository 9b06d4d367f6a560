package dev.caulk.audit;

import static dev.caulk.report.Severity.HIGH;
import static dev.caulk.report.Severity.MEDIUM;

import dev.caulk.fs.HiddenFile;
import dev.caulk.fs.Node;
import dev.caulk.report.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Checks of how the image was built, read from its history ({@code created_by} lines) and, where
 * the result is visible in the files, from the tree: a package index left behind is proved by the
 * files themselves, not guessed from a command line.
 */
final class HistoryChecks {
  static final String APT_LISTS = "/var/lib/apt/lists";

  private HistoryChecks() {}

  static Rule updateAlone() {
    return new BuiltinRule(
        "CIS-DI-0007",
        HIGH,
        "Package index update without install in the same step",
        "Run 'apt-get update' (or 'apk update') in the same RUN as the install that needs it, so a cached layer "
            + "never pairs an old index with new installs.",
        List.of("CIS-4.7", "DS-0017"),
        (r, ctx) ->
            perLine(
                r,
                ctx,
                cmds -> {
                  boolean apt = false;
                  boolean apk = false;
                  for (List<String> c : cmds) {
                    if (Commands.apt(c, "update")) apt = true;
                    if (c.contains("apk") && c.contains("update")) apk = true;
                    if (apt
                        && Commands.apt(c, "install", "upgrade", "dist-upgrade", "full-upgrade"))
                      return false;
                    if (apk && c.contains("apk") && (c.contains("add") || c.contains("upgrade")))
                      return false;
                  }
                  return apt || apk;
                }));
  }

  static Rule addInsteadOfCopy() {
    return new BuiltinRule(
        "CIS-DI-0009",
        HIGH,
        "ADD used instead of COPY",
        "Use COPY for local files; ADD also fetches URLs and unpacks archives, which hides what enters the image.",
        List.of("CIS-4.9", "DS-0005"),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          boolean first = true;
          for (HistoryLine h : ctx.history()) {
            List<String> words = new ArrayList<>();
            Commands.split(h.createdBy()).forEach(words::addAll);
            if (!words.contains("ADD") || !(words.contains("in") || words.contains("buildkit")))
              continue;
            boolean baseRootfs =
                words.stream().anyMatch(w -> w.startsWith("file:"))
                    && words.contains("in")
                    && words.get(words.size() - 1).equals("/");
            if (first
                || baseRootfs) { // the base image's root file system, which the user did not write
              first = false;
              continue;
            }
            out.add(line(r, ctx, h));
          }
          return out;
        });
  }

  static Rule sudo() {
    return new BuiltinRule(
        "DKL-DI-0001",
        HIGH,
        "sudo used or installed",
        "Do not use sudo in a build or a container: build steps run as root already; switch users with USER, or "
            + "gosu/setpriv at run time.",
        List.of("DS-0010"),
        (r, ctx) -> {
          List<Finding> out =
              perLine(r, ctx, cmds -> cmds.stream().anyMatch(c -> c.contains("sudo")));
          for (Node dir : ctx.realPathFolders()) {
            ctx.tree()
                .node(dir.path() + "/sudo")
                .filter(n -> n.isRegular())
                .ifPresent(
                    n ->
                        out.add(
                            r.finding()
                                .withPath(n.path())
                                .withLayer(ctx.layer(n.layerIndex()))
                                .withDetail("sudo is installed")));
          }
          return out;
        });
  }

  static Rule distUpgrade() {
    return new BuiltinRule(
        "DKL-DI-0003",
        MEDIUM,
        "apt-get dist-upgrade used",
        "Do not dist-upgrade in an image; rebuild on a newer base image instead.",
        List.of("DS-0024"),
        (r, ctx) ->
            perLine(
                r,
                ctx,
                cmds ->
                    cmds.stream().anyMatch(c -> Commands.apt(c, "dist-upgrade", "full-upgrade"))));
  }

  static Rule apkNoCache() {
    return new BuiltinRule(
        "DKL-DI-0004",
        HIGH,
        "apk add without --no-cache",
        "Use 'apk add --no-cache', so the package index is not left in the layer.",
        List.of("DS-0025"),
        (r, ctx) ->
            perLine(
                r,
                ctx,
                cmds ->
                    cmds.stream()
                        .anyMatch(
                            c ->
                                c.contains("apk")
                                    && c.contains("add")
                                    && !c.contains("--no-cache"))));
  }

  static Rule aptLists() {
    return new BuiltinRule(
        "DKL-DI-0005",
        HIGH,
        "apt package lists left in the image",
        "End the RUN that installs packages with 'rm -rf /var/lib/apt/lists/*' (in the same RUN: deleting them in a "
            + "later layer does not make the image smaller).",
        List.of("DS-0029"),
        (r, ctx) -> {
          long files = 0;
          long bytes = 0;
          int layer = -1;
          for (Node n : FileChecks.below(ctx.tree(), APT_LISTS)) {
            if (n.isRegular() && isList(n.path())) {
              files++;
              bytes += n.size();
              layer = Math.max(layer, n.layerIndex());
            }
          }
          List<Finding> out = new ArrayList<>();
          if (files > 0) {
            out.add(
                r.finding()
                    .withPath(APT_LISTS)
                    .withLayer(ctx.layer(layer))
                    .withKey("final")
                    .withDetail(
                        files
                            + " index files, "
                            + Sizes.bytes(bytes)
                            + ", last written by "
                            + ctx.describeLayer(layer)
                            + evidence(ctx, layer)));
          }
          long hiddenFiles = 0;
          long hiddenBytes = 0;
          int from = -1;
          int by = -1;
          for (HiddenFile h : ctx.tree().hidden()) {
            if (h.size() > 0 && isList(h.path()) && h.hiddenBy() > h.layerIndex()) {
              hiddenFiles++;
              hiddenBytes += h.size();
              from = h.layerIndex();
              by = h.hiddenBy();
            }
          }
          if (hiddenFiles > 0) {
            out.add(
                r.finding()
                    .withPath(APT_LISTS)
                    .withLayer(ctx.layer(from))
                    .withKey("hidden")
                    .withDetail(
                        hiddenFiles
                            + " index files, "
                            + Sizes.bytes(hiddenBytes)
                            + ", deleted by "
                            + ctx.describeLayer(by)
                            + " but still shipped in "
                            + ctx.describeLayer(from)
                            + ": clean up in the same RUN"
                            + evidence(ctx, from)));
          }
          return out;
        });
  }

  private static boolean isList(String path) {
    if (!path.startsWith(APT_LISTS + "/")) return false;
    String rest = path.substring(APT_LISTS.length() + 1);
    return !rest.equals("lock") && !rest.startsWith("partial/") && !rest.startsWith("auxfiles/");
  }

  /**
   * "; history: RUN …" for the history line that made a layer, masked; empty when there is none.
   */
  static String evidence(AuditContext ctx, int layer) {
    for (HistoryLine h : ctx.history()) {
      if (h.layerIndex() == layer && layer >= 0 && !h.createdBy().isBlank()) {
        return "; history: " + ctx.mask(h.createdBy());
      }
    }
    return "";
  }

  /** One finding per history line whose commands match. */
  private static List<Finding> perLine(
      Rule r, AuditContext ctx, Predicate<List<List<String>>> matches) {
    List<Finding> out = new ArrayList<>();
    for (HistoryLine h : ctx.history()) {
      if (matches.test(Commands.split(h.createdBy()))) out.add(line(r, ctx, h));
    }
    return out;
  }

  private static Finding line(Rule r, AuditContext ctx, HistoryLine h) {
    return r.finding()
        .withLayer(ctx.layer(h.layerIndex()))
        .withKey("history:" + h.index())
        .withDetail(
            "history "
                + h.index()
                + (h.layerIndex() >= 0 ? ", " + ctx.describeLayer(h.layerIndex()) : "")
                + ": "
                + ctx.mask(h.createdBy()));
  }
}
