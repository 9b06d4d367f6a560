package dev.caulk.slim;

import dev.caulk.accounts.Accounts;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.fs.Spool;
import dev.caulk.image.Image;
import dev.caulk.mutate.Mutate;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.tar.BuiltLayer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs one verb: read the image once, plan, write one layer, assemble the new image. */
final class Planner {
  private Planner() {}

  static Slimmer.Result run(Image image, Slimmer.Options o, Summary.Verb verb) throws IOException {
    ConfigFile cfg = image.config();
    ContainerConfig rc = cfg.runConfig();
    for (String k : o.keep()) PathGlob.compile(k);
    int layers = image.layers().size();
    o.listener().info(verb.word() + ": reading " + layers + (layers == 1 ? " layer" : " layers"));
    Clock clock = new Clock(o.listener(), verb.word());
    long compressed = image.compressedSize();
    long limit = o.spoolLimit(compressed);
    String limitMessage =
        verb.word()
            + ": the image's files take more than "
            + human(limit)
            + " in the temporary folder "
            + o.tempDir()
            + (o.maxSpoolBytes() > 0
                ? " (--max-spool)"
                : " (by default 10 times its "
                    + human(compressed)
                    + " of compressed layers, at least 2 GiB: a decompression bomb?)")
            + "; --max-spool SIZE raises the limit";
    try (ImageFiles files = ImageFiles.load(image, o.tree(), o.tempDir(), limit, limitMessage)) {
      clock.lap("read and spooled the layers");
      Work w = new Work(files, o.listener());
      FileTree tree = files.tree();
      Entrypoint ep = Entrypoint.of(rc, tree);
      Needs needs = new Needs(files, libraryPath(rc), o.listener());
      needs.program(ep.program(), "entrypoint " + Entrypoint.quote(ep.argv().get(0)));
      for (String p : ep.alsoRuns()) {
        try {
          needs.program(p, "program " + Entrypoint.quote(p));
        } catch (EntrypointException e) {
          o.listener()
              .warn(
                  "the entrypoint's shell runs " + p + ", which cannot be kept: " + e.getMessage());
        }
      }
      String pathEnv = Entrypoint.pathOf(rc);
      for (String exe : o.includeExe()) {
        String p =
            Entrypoint.find(tree, exe, pathEnv, rc.workingDir())
                .orElseThrow(
                    () ->
                        new EntrypointException(
                            "--include-exe "
                                + Entrypoint.quote(exe)
                                + " not found in the image's PATH ("
                                + pathEnv
                                + ")"));
        needs.program(p, "--include-exe " + Entrypoint.quote(exe));
      }
      for (String k : o.keep()) needs.keepArgument(k);
      for (String p : o.extraPaths()) {
        if (p.startsWith("/")) needs.path(ImagePaths.normalize(p), false);
      }
      needs.ownDirectory(rc.workingDir());
      Accounts accounts =
          Accounts.parse(
              files.read("/etc/passwd", 4 << 20).orElse(null),
              files.read("/etc/group", 4 << 20).orElse(null),
              files.read("/etc/shadow", 4 << 20).orElse(null));
      Users.RunAs before = runAs(accounts, rc.user(), o);
      if (verb == Summary.Verb.SLIM) {
        Essentials.keep(needs, rc);
        if (before != null) needs.ownDirectory(before.home());
      }
      long floor = needs.bytes();
      clock.lap("resolved the entrypoint's needs");
      w.protect.addAll(needs.paths());
      long[] original = originalTotals(files);

      String user = rc.user();
      List<String> pathFolders = List.of();
      if (verb == Summary.Verb.SLIM) {
        w.kept.addAll(needs.paths());
        if (tree.node("/tmp").isPresent()) w.kept.add("/tmp");
        else w.added.put("/tmp", new LayerAssembler.Added("/tmp", null, 01777, 0, 0));
        w.changes.add(
            "kept what "
                + String.join(" ", ep.argv())
                + " needs: "
                + needs.paths().size()
                + " paths");
      } else {
        for (Node n : tree.walk()) w.kept.add(n.path());
        pathFolders = Hardening.clearPathFolders(w, pathEnv);
        Hardening.removePrograms(w);
        Hardening.removeManagerData(w);
      }
      clock.lap("planned removals");
      Packages.Outcome pk = Packages.apply(w, verb);
      clock.lap("rewrote package metadata");
      if (verb == Summary.Verb.HARDEN) {
        Hardening.removeDanglingLinks(w);
        Hardening.pruneEmptied(w, pathFolders);
      }
      Hardening.dropPrivileges(w);
      if (verb == Summary.Verb.HARDEN) {
        Accounts fixed = Hardening.fixAccounts(w, accounts, o.fixAccounts(), o.listener());
        Users.Change change = Users.apply(w, fixed, before, o.user(), rc.user());
        user = change.user();
        Hardening.dropWrite(w, change.runAs());
      }
      clock.lap("planned permissions");
      w.changes.add(
          "squashed "
              + layers
              + (layers == 1 ? " layer" : " layers")
              + " into one; file times set to "
              + o.mtime());

      BuiltLayer layer =
          LayerAssembler.write(
              files, w.kept, w.edited, w.added, o.tempDir(), o.format(), o.mtime());
      clock.lap("wrote the layer");
      long[] after = w.totals();
      ContainerConfig newRc =
          user == null || user.equals(rc.user()) ? rc : rc.toBuilder().user(user).build();
      Image out =
          Mutate.withConfig(
              Mutate.flatten(
                  image,
                  layer.layer(),
                  new History(
                      null, "caulk", "caulk " + verb.word(), String.join("; ", w.changes), false)),
              newRc);
      Summary s =
          new Summary(
              verb,
              ep.argv(),
              ep.program(),
              rc.user() == null ? "" : rc.user(),
              user == null ? "" : user,
              original[0],
              after[0],
              original[1],
              after[1],
              floor,
              pk.kept(),
              pk.dropped(),
              needs.missingLibraries(),
              w.changes);
      o.listener()
          .info(
              verb.word()
                  + ": "
                  + original[0]
                  + " files ("
                  + original[1]
                  + " bytes) -> "
                  + after[0]
                  + " files ("
                  + after[1]
                  + " bytes)");
      return new Slimmer.Result(out, s);
    }
  }

  private static String human(long bytes) {
    return dev.caulk.report.Bytes.binary(bytes);
  }

  /** Debug timings of the steps. */
  private static final class Clock {
    private final dev.caulk.event.EventListener log;
    private final String verb;
    private long last = System.nanoTime();

    Clock(dev.caulk.event.EventListener log, String verb) {
      this.log = log;
      this.verb = verb;
    }

    void lap(String what) {
      long now = System.nanoTime();
      log.debug(verb + ": " + what + " in " + (now - last) / 1_000_000 + " ms");
      last = now;
    }
  }

  /**
   * The image's user; an unknown name is an error for harden (it decides permissions) and a warning
   * for slim.
   */
  private static Users.RunAs runAs(Accounts accounts, String user, Slimmer.Options o)
      throws SlimException {
    try {
      return Users.resolve(accounts, user);
    } catch (SlimException e) {
      o.listener().warn("the image's user: " + e.getMessage());
      return null;
    }
  }

  private static List<String> libraryPath(ContainerConfig rc) {
    String v = rc.envValue("LD_LIBRARY_PATH");
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    for (String d : v.split(":")) {
      if (d.startsWith("/")) out.add(d);
    }
    return out;
  }

  private static long[] originalTotals(ImageFiles files) {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    long n = 0;
    long bytes = 0;
    for (Node x : files.tree().walk()) {
      if (!x.isRegular()) continue;
      n++;
      Optional<Spool.Ref> r = files.ref(x.path());
      if (r.isPresent() && seen.add(r.get().id())) bytes += r.get().length();
    }
    return new long[] {n, bytes};
  }
}
